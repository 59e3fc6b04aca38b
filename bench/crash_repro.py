"""Reproduce the rare gunicorn worker crash (SIGSEGV) seen under the benchmark's load, and count how often.

    .venv/bin/python bench/crash_repro.py --database-url sqlite:////tmp/b100k.sqlite3 --runs 8

Each run copies the seeded database (a fresh copy: the crash is rare and the busiest post grows with every
run), starts `gunicorn -w 2` with PYTHONFAULTHANDLER=1, puts a signed-in member's pages under wrk's load for a
few seconds (as http_bench.py's rounds do), then signs in eight members, reads the busiest post (500+ replies)
as each, and walks its every page (as the write mix's set-up does). It prints, per run, whether a worker was
sent SIGSEGV and, if so, the top of the crashed worker's Python stack. Needs wrk (Debian's package).
What is known so far is in bench/README.md, "A crash under load".
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_bench import REPO, Server, heart_buttons, run_wrk, sign_in  # noqa: E402
from pages import OPENER  # noqa: E402
from seed_large import database_url  # noqa: E402


def one_run(source: Path, rounds: int) -> tuple[bool, str]:
    work = Path(tempfile.mkdtemp(prefix="kindred-crash-")) / "forum.sqlite3"
    shutil.copyfile(source, work)
    with sqlite3.connect(work) as connection:
        members = [row[0] for row in connection.execute(
            "SELECT username FROM users WHERE role = 'member' AND suspended_until IS NULL ORDER BY id "
            "LIMIT 9 OFFSET 10")]
        busiest = connection.execute("SELECT id FROM posts WHERE status = 'visible' "
                                     "ORDER BY reply_count DESC LIMIT 1").fetchone()[0]
        twenty = connection.execute("SELECT id FROM posts WHERE status = 'visible' AND reply_count >= 20 "
                                    "ORDER BY reply_count, id LIMIT 1").fetchone()[0]
    server = Server("crash", "forum:create_app()", {
        "DATABASE_URL": f"sqlite:///{work}", "FLASK_CONFIG": "production", "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0", "PYTHONFAULTHANDLER": "1"}, 2, REPO)
    try:
        reader = sign_in(server.base, members[0])
        for path in ["/", "/tags/Depression", f"/posts/{twenty}"] * rounds:
            run_wrk(server.base + path, 8, 2, reader)
        cookies = [sign_in(server.base, name) for name in members[1:]]
        for cookie in cookies:
            OPENER.open(urllib.request.Request(f"{server.base}/posts/{busiest}", headers={"Cookie": cookie}),
                        timeout=30).read()
        heart_buttons(lambda path: OPENER.open(urllib.request.Request(
            server.base + path, headers={"Cookie": cookies[0]}), timeout=30).read().decode(), busiest)
    except OSError:
        pass  # a worker died under a request: the log says how
    finally:
        server.stop()
        shutil.rmtree(work.parent, ignore_errors=True)
    log = server.log.read_text()
    if "SIGSEGV" not in log:
        return False, ""
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\w+)', log.split("most recent call first", 1)[-1])
    return True, " <- ".join(f"{Path(name).name}:{line} {function}" for name, line, function in frames[:4])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a seed_large.py SQLite database (100k posts reproduces it)")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of wrk load before the page walk")
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    if not url.startswith("sqlite:///") or shutil.which("wrk") is None:
        raise SystemExit("needs a SQLite database URL and wrk")
    source = Path(url.removeprefix("sqlite:///"))
    crashes = 0
    for number in range(1, args.runs + 1):
        crashed, where = one_run(source, args.rounds)
        crashes += crashed
        print(f"run {number}: {'SIGSEGV in ' + where if crashed else 'no crash'}", flush=True)
    print(f"{crashes} of {args.runs} runs crashed a worker (python {sys.version.split()[0]}, "
          f"sqlite {sqlite3.sqlite_version}, pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
