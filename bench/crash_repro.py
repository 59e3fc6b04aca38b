"""Reproduce the rare gunicorn worker crash (SIGSEGV) seen under the benchmark's load, and count how often.

    .venv/bin/python bench/crash_repro.py --database-url sqlite:////tmp/b100k.sqlite3 --runs 8

Each run copies the seeded database (a fresh copy: the crash is rare and the busiest post grows with every
run), starts `gunicorn -w 2` with PYTHONFAULTHANDLER=1, puts a signed-in member's pages under wrk's load for a
few seconds (as http_bench.py's rounds do), then signs in eight members, reads the busiest post (500+ replies)
as each, and walks its every page (as the write mix's set-up does). It prints, per run, whether a worker was
sent SIGSEGV and, if so, the top of the crashed worker's Python stack. Needs wrk (Debian's package).

The workers run as `make serve` runs them, with the repository's gunicorn.conf.py (the collector between
requests, forum/collector.py); `--automatic-gc` runs them without it, as Python leaves collection, which is
how the crash was seen. `--env PYTHONMALLOC=debug` turns on CPython's allocator checks (freed memory is
overwritten, so a use after free crashes where it happens). What is known is in bench/README.md, "A crash
under load".
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


def one_run(source: Path, rounds: int, extra_env: dict[str, str], automatic_gc: bool) -> tuple[bool, str]:
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
        "SESSION_COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0", "PYTHONFAULTHANDLER": "1", **extra_env}, 2, REPO,
        ("-c", os.devnull) if automatic_gc else ())
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
    if "SIGSEGV" not in log and "Fatal Python error" not in log:
        return False, ""
    keep = Path(tempfile.gettempdir()) / f"kindred-crash-{os.getpid()}-{secrets.token_hex(3)}.log"
    shutil.copyfile(server.log, keep)
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\w+)', log.split("most recent call first", 1)[-1])
    fatal = re.search(r"Fatal Python error: (.*)", log)
    return True, (f"{fatal.group(1) if fatal else 'SIGSEGV'} in "
                  + " <- ".join(f"{Path(name).name}:{line} {function}" for name, line, function in frames[:4])
                  + f" (log: {keep})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a seed_large.py SQLite database (100k posts reproduces it)")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of wrk load before the page walk")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="set in the workers' environment, e.g. PYTHONMALLOC=debug (CPython's allocator checks)")
    parser.add_argument("--automatic-gc", action="store_true",
                        help="workers without gunicorn.conf.py: Python's automatic collection, as before")
    args = parser.parse_args(argv)
    extra_env = dict(pair.split("=", 1) for pair in args.env)
    url = database_url(args.database_url)
    if not url.startswith("sqlite:///") or shutil.which("wrk") is None:
        raise SystemExit("needs a SQLite database URL and wrk")
    source = Path(url.removeprefix("sqlite:///"))
    crashes = 0
    for number in range(1, args.runs + 1):
        crashed, where = one_run(source, args.rounds, extra_env, args.automatic_gc)
        crashes += crashed
        print(f"run {number}: {where if crashed else 'no crash'}", flush=True)
    print(f"{crashes} of {args.runs} runs crashed a worker (python {sys.version.split()[0]}, "
          f"sqlite {sqlite3.sqlite_version}, pid {os.getpid()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
