"""Kindred beside a bare Flask page, through gunicorn on 127.0.0.1, in one run.

(Not bench/http.py: run as a script, a file of that name would hide the standard library's `http` package
from every other script in this folder.)

    .venv/bin/python bench/seed_large.py --reset --posts 100000     # once
    .venv/bin/python bench/http_bench.py                                 # 3 interleaved rounds, 5 s per measurement
    .venv/bin/python bench/http_bench.py --rounds 5 --seconds 10 --clients 8 --workers 2
    .venv/bin/python bench/http_bench.py --rounds 0 --write-workers 2 4   # the write mix alone, at 2 and 4 workers

Two servers run side by side, each `gunicorn -w WORKERS` (sync workers): Kindred (`forum:create_app()`,
production settings, rate limits off so the load is not refused) and bench/bare_page.py, which renders
the same pages from the same SQLite file with plain `sqlite3` and one template. The load comes from wrk
(Debian's package) when it is installed, else from a Python client; both keep CLIENTS requests in flight.
Rounds are interleaved (bare, Kindred, bare, Kindred… for every page in every round) so that a busy
machine hurts both alike; the medians over rounds are printed with the ratio Kindred / bare. A write mix
(a reply and a heart per step, CLIENTS members at once) follows, and the rows are counted afterwards: every
answered write must be there exactly once. Last, each gunicorn worker's resident memory.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import OPENER, free_port, percentile  # noqa: E402
from seed_large import PASSWORD, REPO, database_url, describe, make_app  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SUBMISSION_FIELD = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')


@dataclass
class Target:
    label: str
    path: str
    bare_path: str | None          # None: no bare equivalent (signed-in pages are compared with the same bare page)
    signed_in: bool = False
    runs: dict[str, list[dict]] = field(default_factory=lambda: {"bare": [], "kindred": []})

    def median(self, side: str, key: str) -> float:
        values = [run[key] for run in self.runs[side]]
        return statistics.median(values) if values else 0.0


# --------------------------------------------------------------------------------------------------
# Servers


def local_postgres_cpu_seconds() -> float | None:
    """CPU time every PostgreSQL server process on this machine has used so far (None when there is none):
    what a write costs the database, apart from the app servers, when both share the machine."""
    ticks, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if text.split("(", 1)[1].split(")", 1)[0] in ("postgres", "postmaster"):
            fields = text.rsplit(")", 1)[1].split()
            ticks, found = ticks + int(fields[11]) + int(fields[12]), True
    return ticks / os.sysconf("SC_CLK_TCK") if found else None


class Server:
    def __init__(self, name: str, app_spec: str, env: dict, workers: int, cwd: Path, options: tuple = ()):
        """gunicorn reads gunicorn.conf.py from `cwd` (the repository's, for Kindred) unless `options` say
        otherwise (-c another file)."""
        self.name, self.port = name, free_port()
        self.log = Path(tempfile.mkstemp(prefix=f"kindred-http-{name}-", suffix=".log")[1])
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
                 *options, app_spec], cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                OPENER.open(f"{self.base}/", timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"{name} did not answer on {self.base}:\n{self.log.read_text()[-3000:]}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each gunicorn worker (the master's children), from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split() if children.exists() else []:
            status = Path(f"/proc/{pid}/status")
            for line in status.read_text().splitlines() if status.exists() else []:
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def worker_cpu_seconds(self) -> float:
        """CPU time (user and system) the gunicorn workers have used so far, from /proc: a measure of work done
        that another program on the machine disturbs far less than req/s."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        ticks = 0
        for pid in children.read_text().split() if children.exists() else []:
            stat = Path(f"/proc/{pid}/stat")
            if stat.exists():
                fields = stat.read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


# --------------------------------------------------------------------------------------------------
# Load


def run_wrk(url: str, clients: int, seconds: float, cookie: str | None) -> dict:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--latency", "--timeout", "10s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {pct: _milliseconds(value) for pct, value in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return {"rps": rps, "p50": latency.get("50", 0.0), "p99": latency.get("99", 0.0), "errors": failed}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_python_client(url: str, clients: int, seconds: float, cookie: str | None) -> dict:
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def client():
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                with OPENER.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
                    response.read()
                    bad += response.status != 200
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - started)
        with lock:
            timings.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"rps": len(timings) / wall, "p50": percentile(timings, 50) * 1000,
            "p99": percentile(timings, 99) * 1000, "errors": errors[0]}


# --------------------------------------------------------------------------------------------------
# Members and writes


def sign_in(base: str, username: str) -> str:
    """Sign in through the login form; the session cookie as a Cookie header value."""
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), jar)
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrf_token": CSRF_FIELD.search(page).group(1)}).encode()
    opener.open(f"{base}/login", data=data, timeout=30).read()
    cookies = {cookie.name: cookie.value for cookie in jar.cookiejar}
    if "session" not in cookies:
        raise SystemExit(f"could not sign in as {username}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


HEART_FORM = re.compile(r'<form[^>]*action="/replies/(\d+)/heart".*?</form>', re.S)
NEXT_PAGE = re.compile(r'rel="next" href="([^"]+)"')


def heart_buttons(get, post_id: int) -> dict[int, dict[str, str]]:
    """Each reply's heart button on the post's pages, as its form sends it (the hidden fields, CSRF token
    aside): walking the conversation page by page, as a member would have it on screen. `get(path)` -> HTML."""
    buttons, path = {}, f"/posts/{post_id}"
    while path:
        page = get(path)
        for match in HEART_FORM.finditer(page):
            buttons[int(match.group(1))] = {
                name: value for name, value in re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', match.group(0))
                if name != "csrf_token"}
        following = NEXT_PAGE.search(page)
        path = following.group(1).replace("&amp;", "&") if following else None
    return buttons


def write_mix(app, server: Server, members: list[str], post_id: int, reply_ids: list[int], seconds: float) -> None:
    """Each member, in its own thread, replies and hearts in turn; then count the rows the database holds."""
    base = server.base
    from forum.extensions import db
    from forum.models import Heart, Reply

    marker = f"bench-{secrets.token_hex(4)}"
    answered = {"replies": 0, "hearts": 0, "failed": 0}
    lock = threading.Lock()
    cookies = [sign_in(base, name) for name in members]
    member_ids = {}
    with app.app_context():
        from forum.models import User
        member_ids = dict(db.session.execute(select(User.username, User.id).where(User.username.in_(members))).all())
        hearts_before = db.session.scalar(select(func.count()).select_from(Heart)
                                          .where(Heart.user_id.in_(member_ids.values())))
    offset = secrets.randbelow(len(reply_ids))  # another run's hearts would all be repeats (no-ops)
    tokens = []  # each member's form token, from the post's page, fetched before the clock starts
    for cookie in cookies:
        page = OPENER.open(urllib.request.Request(f"{base}/posts/{post_id}", headers={"Cookie": cookie}),
                           timeout=30).read()
        tokens.append(CSRF_FIELD.search(page.decode()).group(1))
    buttons = heart_buttons(lambda path: OPENER.open(urllib.request.Request(
        f"{base}{path}", headers={"Cookie": cookies[0]}), timeout=30).read().decode(), post_id)
    deadline = time.perf_counter() + seconds

    def member_loop(index: int):
        headers = {"Cookie": cookies[index]}
        token = tokens[index]
        step, replies, hearts, failed = 0, 0, 0, 0
        while time.perf_counter() < deadline:
            body = {"csrf_token": token, "body": f"{marker} {index}-{step}: thinking of you tonight.",
                    "submission_key": secrets.token_urlsafe(16)}
            failed += not _post(f"{base}/posts/{post_id}/replies", body, headers)
            replies += 1
            target = reply_ids[(offset + index * 7919 + step) % len(reply_ids)]
            failed += not _post(f"{base}/replies/{target}/heart",
                                {**buttons.get(target, {}), "csrf_token": token, "hearted": "1"}, headers)
            hearts += 1
            step += 1
        with lock:
            answered["replies"] += replies
            answered["hearts"] += hearts
            answered["failed"] += failed

    started, cpu_before, client_before = time.perf_counter(), server.worker_cpu_seconds(), time.process_time()
    on_postgres = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql"
    database_before = local_postgres_cpu_seconds() if on_postgres else None
    threads = [threading.Thread(target=member_loop, args=(i,)) for i in range(len(members))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - started, server.worker_cpu_seconds() - cpu_before
    client_cpu = time.process_time() - client_before
    database_cpu = None if database_before is None else local_postgres_cpu_seconds() - database_before
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Reply).where(Reply.body.like(f"{marker} %")))
        distinct = db.session.scalar(select(func.count(func.distinct(Reply.body)))
                                     .where(Reply.body.like(f"{marker} %")))
        hearts_after = db.session.scalar(select(func.count()).select_from(Heart)
                                         .where(Heart.user_id.in_(member_ids.values())))
    writes = answered["replies"] + answered["hearts"]
    print(f"\nWrite mix: {len(members)} members at once for {seconds:g} s, each a reply then a heart in turn")
    print(f"  {writes / wall:,.0f} writes/s ({answered['replies']:,} replies, {answered['hearts']:,} hearts asked; "
          f"{answered['failed']} answered with an error); the app's workers used {cpu * 1000 / max(writes, 1):.1f} "
          f"ms of CPU a write, this client {client_cpu * 1000 / max(writes, 1):.1f}"
          + ("" if database_cpu is None else
             f", PostgreSQL {database_cpu * 1000 / max(writes, 1):.1f} (every server process on this machine)"))
    print(f"  replies stored: {stored:,} (distinct bodies {distinct:,}) for {answered['replies']:,} asked"
          f" -> {'exact' if stored == distinct == answered['replies'] - 0 else 'MISMATCH'}")
    print(f"  hearts added: {hearts_after - hearts_before:,} (a heart already given is a no-op, so ≤ asked)")


def _post(url: str, fields: dict, headers: dict) -> bool:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), headers=headers)
    try:
        with NO_REDIRECT.open(request, timeout=30) as response:
            response.read()
            return response.status < 400
    except urllib.error.HTTPError as error:
        if error.code in (302, 303):
            return True
        print(f"  POST {url}: HTTP {error.code}", file=sys.stderr)
        return False
    except OSError as error:
        print(f"  POST {url}: {error}", file=sys.stderr)
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


# --------------------------------------------------------------------------------------------------


def choose(app) -> tuple[list[Target], dict]:
    from forum.extensions import db
    from forum.models import Hashtag, Post, Reply, User
    from forum.services.text import tag_path

    with app.app_context():
        top = db.session.execute(select(Hashtag.name).where(Hashtag.post_count > 0)
                                 .order_by(Hashtag.post_count.desc(), Hashtag.id).limit(1)).scalar_one()
        thread = db.session.scalar(select(Post.id).where(Post.status == "visible", Post.reply_count >= 20)
                                   .order_by(Post.reply_count, Post.id).limit(1))
        busy = db.session.scalar(select(Post.id).where(Post.status == "visible")
                                 .order_by(Post.reply_count.desc()).limit(1))
        members = list(db.session.scalars(select(User.username)
                                          .where(User.role == "member", User.suspended_until.is_(None))
                                          .order_by(User.id).offset(10).limit(9)))
        # Hearts are for other members' words: none of the writers' own replies is a target (it answered 403).
        writer_ids = select(User.id).where(User.username.in_(members[1:]))
        reply_ids = list(db.session.scalars(select(Reply.id).where(Reply.post_id == busy, Reply.status == "visible",
                                                                   Reply.author_id.not_in(writer_ids)).limit(500)))
        posts = db.session.scalar(select(func.count()).select_from(Post))
    tag = tag_path(top)
    targets = []
    for signed_in in (False, True):
        who = " (signed in)" if signed_in else ""
        targets += [Target(f"/{who}", "/", "/", signed_in),
                    Target(f"{tag}{who}", tag, tag, signed_in),
                    Target(f"/posts/{thread}{who}", f"/posts/{thread}", f"/posts/{thread}", signed_in)]
    return targets, {"posts": posts, "reader": members[0], "writers": members[1:], "write_post": busy,
                     "reply_ids": reply_ids}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL, else bench/bench.sqlite3 (SQLite only "
                                               "for the bare page; on PostgreSQL Kindred is measured alone)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="0: the write mix alone")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--write-seconds", type=float, default=10.0, help="0 skips the write mix")
    parser.add_argument("--write-workers", type=int, nargs="*", metavar="N",
                        help="the write mix once per worker count (default: --workers); `make serve` runs 4")
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    sqlite_file = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    load = run_wrk if use_wrk else run_python_client
    app = make_app(url)
    targets, facts = choose(app)
    print(f"{describe(url)}: {facts['posts']:,} posts; {os.cpu_count()} CPUs; gunicorn -w {args.workers} each; "
          f"{args.clients} clients in flight ({'wrk' if use_wrk else 'Python client'}); {args.rounds} rounds of "
          f"{args.seconds:g} s, interleaved", flush=True)

    secret = secrets.token_urlsafe(48)
    kindred_env = {"DATABASE_URL": url, "FLASK_CONFIG": "production", "SECRET_KEY": secret,
                   "SESSION_COOKIE_SECURE": "0", "RATELIMIT_ENABLED": "0"}
    kindred = Server("kindred", "forum:create_app()", kindred_env, args.workers, REPO)
    bare = Server("bare", "bench.bare_page:app", {"BARE_DATABASE": sqlite_file}, args.workers,
                  REPO) if sqlite_file else None
    try:
        cookie = sign_in(kindred.base, facts["reader"])
        for round_number in range(1, args.rounds + 1):
            for target in targets:
                sides = [("bare", bare, None)] if bare else []
                sides.append(("kindred", kindred, cookie if target.signed_in else None))
                for side, server, side_cookie in sides:
                    path = target.bare_path if side == "bare" else target.path
                    load(server.base + path, args.clients, 1.0, side_cookie)  # warm
                    target.runs[side].append(load(server.base + path, args.clients, args.seconds, side_cookie))
            print(f"  round {round_number} done", flush=True)
        if args.rounds:
            report(targets, bool(bare))
        for workers in (args.write_workers or [args.workers]) if args.write_seconds else []:
            if workers == args.workers:
                print(f"\n(gunicorn -w {workers})", end="")
                write_mix(app, kindred, facts["writers"], facts["write_post"], facts["reply_ids"], args.write_seconds)
                continue
            writers_server = Server("kindred-writes", "forum:create_app()", kindred_env, workers, REPO)
            try:
                print(f"\n(gunicorn -w {workers})", end="")
                write_mix(app, writers_server, facts["writers"], facts["write_post"], facts["reply_ids"],
                          args.write_seconds)
            finally:
                writers_server.stop()
        print("\nResident memory per worker (MiB): Kindred "
              + ", ".join(f"{size:.0f}" for size in kindred.worker_rss_mib())
              + ("; bare " + ", ".join(f"{size:.0f}" for size in bare.worker_rss_mib()) if bare else ""))
    finally:
        kindred.stop()
        if bare:
            bare.stop()
    return 0


def report(targets: list[Target], with_bare: bool) -> None:
    print()
    header = (f"{'page':<34} {'bare req/s':>10} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'errors':>6}")
    print(header)
    print("-" * len(header))
    for target in targets:
        ours = target.median("kindred", "rps")
        theirs = target.median("bare", "rps") if with_bare else 0.0
        ratio = f"{ours / theirs:6.2f}" if theirs else f"{'-':>6}"
        errors = sum(run["errors"] for run in target.runs["kindred"])
        print(f"{target.label:<34} {theirs:10.0f} {ours:8.0f} {ratio} {target.median('kindred', 'p50'):7.1f} "
              f"{target.median('kindred', 'p99'):7.1f} {errors:6d}")
    print("(medians over rounds; ratio = Kindred / bare; signed-in rows are compared with the anonymous bare page)")


if __name__ == "__main__":
    raise SystemExit(main())
