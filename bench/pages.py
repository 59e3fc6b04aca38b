"""Requests per second and SQL queries per page, against a database filled by bench/seed_large.py.

    .venv/bin/python bench/pages.py                        # in-process, Flask test client, one thread
    .venv/bin/python bench/pages.py --http                 # also through gunicorn -w 2 on 127.0.0.1
    .venv/bin/python bench/pages.py --explain              # also the plan of every query of every page
    .venv/bin/python bench/pages.py --activity             # also notifications, profile, search, moderation, API
    .venv/bin/python bench/pages.py --recount              # also time the tag recount and post writes
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/kindred_bench

The database defaults to $BENCH_DATABASE_URL, else bench/bench.sqlite3, as for seed_large.py. Pages are
fetched anonymously (in-process, --member signs in as a seeded member first). For each page: a few warm-up
requests, one request with every SQL statement counted (an SQLAlchemy before_cursor_execute listener on
db.engine), then N timed requests one after another.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_large import REPO, database_url, describe, make_app, schema_revisions  # noqa: E402
from sqlalchemy import event, func, select, update  # noqa: E402

NEXT_LINK = re.compile(r'rel="next" href="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SLOW_MS = 50.0


@dataclass
class Page:
    label: str
    path: str
    note: str = ""
    queries: list[tuple[str, object, float]] = field(default_factory=list)  # (sql, params, ms)
    timings: list[float] = field(default_factory=list)                      # seconds per request
    wall: float = 0.0
    size: int = 0
    articles: int = 0  # <article> elements on the page: post cards or replies (0 would mean an empty page)
    #: Who asks for it with --activity: "" the run's viewer, "heavy" the member with the most posts (and
    #: notifications), "moderator" the first seeded moderator.
    who: str = ""
    http: dict = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.timings, 95) * 1000

    @property
    def rps(self) -> float:
        return len(self.timings) / self.wall if self.wall else 0.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


class QueryLog:
    """Records statements (with their parameters and time) while `on` is set."""

    def __init__(self, engine):
        self.on = False
        self.entries: list[tuple[str, object, float]] = []
        self._started = threading.local()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self._started.t = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.entries.append((statement, parameters, (time.perf_counter() - self._started.t) * 1000))

    def capture(self):
        log = self

        class _Capture:
            def __enter__(self):
                log.entries, log.on = [], True
                return log.entries

            def __exit__(self, *exc):
                log.on = False

        return _Capture()


# --------------------------------------------------------------------------------------------------
# Choosing the pages


def choose_pages(app, deep: int) -> list[Page]:
    from forum.extensions import db
    from forum.models import Hashtag, Post
    from forum.services.text import tag_path

    with app.app_context():
        require_current_schema(app)
        posts = db.session.scalar(select(func.count()).select_from(Post))
        if not posts:
            raise SystemExit("no posts here: fill the database first with bench/seed_large.py")
        tags = db.session.execute(select(Hashtag.name, Hashtag.post_count).where(Hashtag.post_count > 0)
                                  .order_by(Hashtag.post_count.desc(), Hashtag.id)).all()
        busiest = db.session.execute(select(Post.id, Post.reply_count).where(Post.status == "visible")
                                     .order_by(Post.reply_count.desc(), Post.id).limit(1)).one()
        typical = db.session.execute(select(Post.id, Post.reply_count).where(Post.status == "visible",
                                                                              Post.reply_count == 3)
                                     .order_by(Post.id.desc()).limit(1)).first()
    print(f"{posts:,} posts, {len(tags)} tags in use", flush=True)
    top, mid, median = tags[0], tags[min(len(tags) - 1, len(tags) // 10)], tags[len(tags) // 2]
    pages = [
        Page("Latest", "/"),
        Page(f"Latest, page {deep + 1}", "/", note=f"deep:{deep}"),
        Page("Needs a reply", "/needs-reply"),
        Page(f"#{top.name} (top tag, {top.post_count:,} posts)", tag_path(top.name)),
        Page(f"#{top.name}, page {deep + 1}", tag_path(top.name), note=f"deep:{deep}"),
        Page(f"#{mid.name} (mid tag, {mid.post_count:,} posts)", tag_path(mid.name)),
        Page(f"#{mid.name}, page {deep + 1}", tag_path(mid.name), note=f"deep:{deep}"),
        Page(f"#{median.name} (median tag, {median.post_count:,} posts)", tag_path(median.name)),
        Page(f"Post with {busiest.reply_count} replies", f"/posts/{busiest.id}"),
    ]
    if typical is not None:
        pages.append(Page("Post with 3 replies", f"/posts/{typical.id}"))
    pages.append(Page("Tag index", "/tags"))
    return pages


def activity_pages(app) -> list[Page]:
    """A member's and a moderator's own pages, search and the API's lists (bench/seed_activity.py fills what
    the notifications and the queue show)."""
    from forum.extensions import db
    from forum.models import Hashtag, ModerationItem, Notification, Post, User

    with app.app_context():
        heavy = db.session.execute(
            select(User.id, User.username).join(Post, Post.author_id == User.id)
            .where(User.role == "member", Post.status == "visible")
            .group_by(User.id, User.username).order_by(func.count().desc(), User.id).limit(1)).one()
        written = db.session.scalar(select(func.count()).where(Post.author_id == heavy.id))
        unread = db.session.scalar(select(func.count()).where(Notification.recipient_id == heavy.id,
                                                              Notification.read_at.is_(None)))
        queue = db.session.scalar(select(func.count()).where(ModerationItem.status == "open"))
        top = db.session.scalar(select(Hashtag.name).order_by(Hashtag.post_count.desc(), Hashtag.id).limit(1))
        busiest = db.session.execute(select(Post.id, Post.reply_count).where(Post.status == "visible")
                                     .order_by(Post.reply_count.desc(), Post.id).limit(1)).one()
    HEAVY_MEMBER[0] = heavy.username
    return [
        Page(f"Profile of {heavy.username} ({written:,} posts)", f"/u/{heavy.username}"),
        Page(f"Their notifications ({unread:,} unread)", "/notifications", who="heavy"),
        Page("Their notifications, page 5", "/notifications", note="deep:4", who="heavy"),
        Page("Latest, signed in as them", "/", who="heavy"),
        Page("Search 'morning'", "/search?q=morning"),
        Page("Search 'quiet walk', #top tag", f"/search?q=quiet+walk&tag={top}"),
        Page(f"Moderation queue ({queue:,} open)", "/moderation/", who="moderator"),
        Page("Moderation log", "/moderation/log", who="moderator"),
        Page("Community health", "/moderation/health", who="moderator"),
        Page(f"Post with {busiest.reply_count} replies, page 20", f"/posts/{busiest.id}", note="deep:19"),
        Page("API latest posts", "/api/v1/posts"),
        Page(f"API #{top}", f"/api/v1/tags/{top}/posts"),
        Page(f"API post with {busiest.reply_count} replies", f"/api/v1/posts/{busiest.id}"),
        Page(f"API {heavy.username}'s posts", f"/api/v1/members/{heavy.username}/posts"),
        Page("API their notifications", "/api/v1/notifications", who="heavy"),
    ]


#: The member activity_pages found (set when it runs).
HEAVY_MEMBER = [""]


def require_current_schema(app) -> None:
    """Stop on a database seeded before a newer migration, rather than measure error pages.

    It is not upgraded here: on SQLite, upgrades that rebuild a table (Alembic batch mode) with
    foreign keys on cascade-delete the rows that point at it.
    """
    current, heads = schema_revisions(app)
    if current != heads:
        raise SystemExit(f"the database is at migration {sorted(current) or 'none'}, the code at {sorted(heads)}: "
                         "seed it again with bench/seed_large.py --reset")


def follow_cursors(client, page: Page) -> None:
    """Turn a "deep:N" page into the URL N "Older posts" links in (or as deep as the list goes)."""
    if not page.note.startswith("deep:"):
        return
    wanted = int(page.note.split(":")[1])
    path = page.path
    for depth in range(wanted):
        response = client.get(path)
        found = NEXT_LINK.search(response.get_data(as_text=True))
        if not found:
            page.label = re.sub(r"page \d+", f"page {depth + 1} (last)", page.label)
            break
        path = found.group(1).replace("&amp;", "&")
    page.path = path
    page.note = ""


# --------------------------------------------------------------------------------------------------
# Measuring


def sign_in(app, client, username: str) -> str:
    """Sign the test client in through the login form (every seeded member's password is the same)."""
    from seed_large import PASSWORD

    from forum.extensions import db
    from forum.models import User

    if not username:
        with app.app_context():
            username = db.session.scalar(select(User.username).where(User.role == "member")
                                         .order_by(User.id).offset(5).limit(1))
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {username} (HTTP {response.status_code})")
    return username


def measure_in_process(app, pages: list[Page], requests: int, warmup: int, member: str | None) -> str:
    from forum.extensions import db
    from forum.models import User

    with app.app_context():
        log = QueryLog(db.engine)
    client = app.test_client()
    viewer = "anonymous viewer"
    if member is not None:
        viewer = f"signed in as {sign_in(app, client, member)}"
    clients = {"": client}
    for page in pages:
        if page.who not in clients:
            clients[page.who] = app.test_client()
            if page.who == "moderator":
                with app.app_context():
                    name = db.session.scalar(select(User.username).where(User.role == "moderator")
                                             .order_by(User.id).limit(1))
            else:
                name = HEAVY_MEMBER[0]
            sign_in(app, clients[page.who], name)
        client = clients[page.who]
        # The notifications page marks the lines it shows read: put them back, so every request sees the same.
        fresh = (lambda: unread_again(app)) if page.who == "heavy" else (lambda: None)
        fresh()
        follow_cursors(client, page)
        for _ in range(warmup):
            check(client.get(page.path), page)
            fresh()
        with log.capture() as entries:
            response = check(client.get(page.path), page)
        fresh()
        page.queries = list(entries)
        page.size = len(response.get_data())
        page.articles = response.get_data(as_text=True).count("<article")
        if response.is_json:  # the API: the longest list in the answer (posts, replies, notifications)
            page.articles = max((len(v) for v in (response.get_json() or {}).values() if isinstance(v, list)),
                                default=0)
        busy = 0.0
        started = time.perf_counter()
        for _ in range(requests):
            t0 = time.perf_counter()
            check(client.get(page.path), page)
            page.timings.append(time.perf_counter() - t0)
            t1 = time.perf_counter()
            fresh()
            busy += time.perf_counter() - t1
        page.wall = time.perf_counter() - started - busy
        print(f"  {page.label:<44} {page.median_ms:7.1f} ms median", flush=True)
    return viewer


def unread_again(app) -> None:
    """Mark the busy member's notifications unread again, as bench/seed_activity.py left them."""
    from forum.extensions import db
    from forum.models import Notification, User

    with app.app_context():
        member = db.session.scalar(select(User.id).where(User.username == HEAVY_MEMBER[0]))
        db.session.execute(update(Notification).where(Notification.recipient_id == member,
                                                      Notification.read_at.is_not(None)).values(read_at=None))
        db.session.commit()


def check(response, page: Page):
    if response.status_code != 200:
        raise SystemExit(f"{page.path} answered {response.status_code}")
    return response


def print_table(pages: list[Page], title: str, requests: int, viewer: str) -> None:
    print()
    print(f"{title}: {requests} sequential requests per page after warm-up, {viewer}")
    header = (f"{'page':<46} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>8} {'KiB':>6} "
              f"{'items':>6}")
    print(header)
    print("-" * len(header))
    for page in pages:
        flag = "  <-- slow" if page.median_ms > SLOW_MS else ""
        if page.articles == 0 and page.path.split("?")[0] != "/tags" and not page.who:
            flag += "  <-- no posts shown!"
        print(f"{page.label:<46} {len(page.queries):>7} {page.median_ms:>10.1f} {page.p95_ms:>8.1f} "
              f"{page.rps:>8.1f} {page.size / 1024:>6.0f} {page.articles:>6}{flag}")


# --------------------------------------------------------------------------------------------------
# Query plans


def explain(app, pages: list[Page], only_slow: bool) -> None:
    from forum.extensions import db

    with app.app_context():
        dialect = db.engine.dialect.name
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for page in pages:
                if only_slow and page.median_ms <= SLOW_MS:
                    continue
                print()
                print(f"== {page.label}  {page.path}  ({len(page.queries)} queries, "
                      f"{page.median_ms:.1f} ms median)")
                for statement, parameters, ms in page.queries:
                    print(f"-- {ms:.2f} ms: {' '.join(statement.split())}")
                    print(f"   params: {parameters!r}"[:400])
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    if dialect == "sqlite":
                        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                        for row in cursor.fetchall():
                            print(f"   plan: {row[-1]}")
                    elif dialect == "postgresql":
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                        for (line,) in cursor.fetchall():
                            print(f"   {line}")
                        raw.rollback()
        finally:
            raw.close()


# --------------------------------------------------------------------------------------------------
# The write path's tag recount


def time_recounts(app, repeats: int = 5) -> None:
    """Time forum.services.tags.recount_hashtags (tag merges and `flask --app forum tags recount`), then post writes."""
    from forum.extensions import db
    from forum.models import Hashtag
    from forum.services.tags import recount_hashtags

    with app.app_context():
        tags = db.session.execute(select(Hashtag.id, Hashtag.name, Hashtag.post_count)
                                  .order_by(Hashtag.post_count.desc(), Hashtag.id)).all()
        middle = tags[len(tags) // 2]
        cases = [([tags[0].id], f"#{tags[0].name} ({tags[0].post_count:,} posts)"),
                 ([middle.id], f"#{middle.name} ({middle.post_count:,} posts)"),
                 ([tag.id for tag in tags[:8]], "the 8 most used tags"),
                 (None, f"every tag ({len(tags):,}), as the repair command does")]
        print()
        print(f"recount_hashtags (rolled back each time), median of {repeats}:")
        for ids, label in cases:
            timings = []
            for _ in range(repeats + 1):
                t0 = time.perf_counter()
                recount_hashtags(ids)
                db.session.flush()
                timings.append(time.perf_counter() - t0)
                db.session.rollback()
            print(f"  {label:<50} {statistics.median(timings[1:]) * 1000:8.1f} ms")
    time_post_writes(app, repeats)


def time_post_writes(app, repeats: int = 5) -> None:
    """Time writing, editing and deleting a post carrying the most used tags, as a member would (rolled back)."""
    from forum.extensions import db
    from forum.models import Hashtag, Post, PostStatus, User
    from forum.services.posts import create_post, delete_post, edit_post

    with app.app_context():
        top = db.session.scalars(select(Hashtag.name).order_by(Hashtag.post_count.desc(), Hashtag.id).limit(8)).all()
        author = db.session.scalars(select(User).where(User.role == "member", User.suspended_until.is_(None))
                                    .order_by(User.id).limit(1)).one()
        author_id = author.id
        victim_id = db.session.scalar(select(Post.id).where(Post.status == PostStatus.VISIBLE.value,
                                                            Post.author_id == author_id).order_by(Post.id.desc()))
        body = "A slow morning, but I made tea and went outside for a bit."
        writes = [
            (f"create_post with #{top[0]}",
             lambda: create_post(db.session.get(User, author_id), "Checking in", f"{body} #{top[0]}")),
            ("create_post with the 8 most used tags",
             lambda: create_post(db.session.get(User, author_id), "Checking in",
                                 body + " " + " ".join(f"#{name}" for name in top))),
            (f"edit_post: a post's tags become #{top[0]} #{top[1]}",
             lambda: edit_post(db.session.get(Post, victim_id), "Checking in", f"{body} #{top[0]} #{top[1]}")),
            ("delete_post (a visible post of theirs)", lambda: delete_post(db.session.get(Post, victim_id))),
        ]
        print()
        print(f"post writes through the services (rolled back each time), median of {repeats}:")
        for label, write in writes:
            timings = []
            for _ in range(repeats + 1):
                t0 = time.perf_counter()
                write()
                db.session.flush()
                timings.append(time.perf_counter() - t0)
                db.session.rollback()
            print(f"  {label:<50} {statistics.median(timings[1:]) * 1000:8.1f} ms")


# --------------------------------------------------------------------------------------------------
# Through gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(url: str, workers: int) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        gunicorn = REPO / ".venv" / "bin" / "gunicorn"
    env = {**os.environ, "DATABASE_URL": url, "FLASK_CONFIG": os.environ.get("FLASK_CONFIG", "development")}
    log_path = Path(tempfile.mkstemp(prefix="kindred-bench-gunicorn-", suffix=".log")[1])
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "forum:create_app()"],
            cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
        try:
            OPENER.open(f"http://127.0.0.1:{port}/help", timeout=2).close()
            return process, port, log_path
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port}:\n{log_path.read_text()[-3000:]}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


#: Straight to the loopback server, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    try:
        with OPENER.open(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return time.perf_counter() - t0, status


def measure_http(url: str, pages: list[Page], workers: int, threads: int, per_thread: int,
                 seconds: float) -> None:
    process, port, log_path = start_gunicorn(url, workers)
    print(f"\ngunicorn -w {workers} on 127.0.0.1:{port} (pid {process.pid}); "
          f"{threads} threads x {per_thread} requests per page (or {seconds:g} s)", flush=True)
    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for page in pages:
                target = f"http://127.0.0.1:{port}{page.path}"
                list(pool.map(fetch, [target] * (threads * 2)))  # warm both workers
                started = time.perf_counter()
                deadline = started + seconds

                def client(_, target=target, deadline=deadline):
                    done = []
                    while len(done) < per_thread and time.perf_counter() < deadline:
                        done.append(fetch(target))
                    return done

                results = list(pool.map(client, range(threads)))
                wall = time.perf_counter() - started
                timings = [t for batch in results for t, _ in batch]
                errors = sum(1 for batch in results for _, status in batch if status != 200)
                page.http = {"rps": len(timings) / wall, "n": len(timings), "median": statistics.median(timings) * 1000,
                             "p95": percentile(timings, 95) * 1000, "errors": errors}
                print(f"  {page.label:<44} {page.http['rps']:8.1f} req/s", flush=True)
    finally:
        stop_gunicorn(process)
        failed = any(page.http.get("errors", 1) for page in pages)
        print(f"gunicorn stopped (exit {process.returncode})" + (f"; its log: {log_path}" if failed else ""))
        if not failed:
            log_path.unlink(missing_ok=True)
    print()
    print(f"Through gunicorn -w {workers}, {threads} client threads x up to {per_thread} requests or {seconds:g} s "
          "per page (clients on the same machine)")
    header = f"{'page':<46} {'requests':>8} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for page in pages:
        h = page.http
        print(f"{page.label:<46} {h['n']:>8} {h['rps']:>8.1f} {h['median']:>10.1f} {h['p95']:>8.1f} {h['errors']:>7}")


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL, else sqlite bench/bench.sqlite3")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per page first (default 10)")
    parser.add_argument("--deep", type=int, default=50, help="how many 'Older posts' links deep pages follow")
    parser.add_argument("--member", nargs="?", const="", metavar="USERNAME",
                        help="measure in-process pages signed in (as USERNAME, else an ordinary seeded member)")
    parser.add_argument("--activity", action="store_true",
                        help="also a busy member's profile and notifications, search, the moderators' pages and the "
                             "API's lists (after bench/seed_activity.py)")
    parser.add_argument("--only", metavar="TEXT", help="only the pages whose label holds TEXT")
    parser.add_argument("--explain", action="store_true", help="print every query of every page with its plan")
    parser.add_argument("--explain-slow", action="store_true", help="the same, only for pages over 50 ms")
    parser.add_argument("--recount", action="store_true",
                        help="also time recount_hashtags and post writes carrying the big tags (rolled back)")
    parser.add_argument("--http", action="store_true", help="also measure through gunicorn on 127.0.0.1")
    parser.add_argument("--http-workers", type=int, default=2)
    parser.add_argument("--http-threads", type=int, default=4)
    parser.add_argument("--http-requests", type=int, default=500, help="requests per client thread per page")
    parser.add_argument("--http-seconds", type=float, default=20, help="time limit per page (default 20 s)")
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    print(f"database: {describe(url)}", flush=True)
    app = make_app(url)
    pages = choose_pages(app, args.deep)
    if args.activity:
        pages += activity_pages(app)
    if args.only:
        pages = [page for page in pages if args.only.casefold() in page.label.casefold()]
    viewer = measure_in_process(app, pages, args.requests, args.warmup, args.member)
    print_table(pages, f"In-process (Flask test client, {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})",
                args.requests, viewer)
    if args.explain or args.explain_slow:
        explain(app, pages, only_slow=args.explain_slow)
    if args.recount:
        time_recounts(app)
    if args.http:
        measure_http(url, pages, args.http_workers, args.http_threads, args.http_requests, args.http_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
