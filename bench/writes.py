"""Replies and hearts in-process: SQL statements per write, time per write, and where the time goes.

    .venv/bin/python bench/writes.py --database-url sqlite:////tmp/h100k.sqlite3 --writes 200
    .venv/bin/python bench/writes.py --database-url sqlite:////tmp/h100k.sqlite3 --profile 25 --only forum/
    .venv/bin/python bench/writes.py --database-url sqlite:////tmp/h100k.sqlite3 --sql  # statement by statement

The same writes as bench/http_bench.py's write mix, through Flask's test client in one process and one thread:
the seeded members it picks take turns, each a reply on the busiest post then a heart on one of its replies
(rate limits off, CSRF on, as the site's forms send them). The writes stay in the database, marked, and are
counted after: every reply asked for must be there once. Statements are counted with an SQLAlchemy
`before_cursor_execute` listener (BEGIN, SAVEPOINT and COMMIT included when the driver sends them through it).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_bench import CSRF_FIELD, choose, heart_buttons  # noqa: E402
from pages import sign_in  # noqa: E402
from seed_large import database_url, describe  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402


def make_app(url: str):
    from forum import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})


class Statements:
    """The statements sent to the database while `on`."""

    def __init__(self, engine):
        self.on, self.sent, self.started = False, [], 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.sent.append([" ".join(statement.split()), 0.0])
            self.started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.sent[-1][1] = (time.perf_counter() - self.started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--writes", type=int, default=200, help="replies and hearts together (half each)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    parser.add_argument("--only", action="append", default=[], metavar="REGEX",
                        help="profile lines whose file and function match (e.g. forum/)")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative or tottime")
    parser.add_argument("--save", metavar="PATH", help="also save the profile there (pstats, for callers/callees)")
    parser.add_argument("--sql", action="store_true", help="print the statements of one reply and one heart")
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    app = make_app(url)
    _, facts = choose(app)
    from forum.extensions import db
    from forum.models import Reply

    with app.app_context():
        statements = Statements(db.engine)
    writers, post_id = facts["writers"], facts["write_post"]
    from forum.models import User

    with app.app_context():  # hearts go to the seeded replies of members other than the writers
        reply_ids = list(db.session.scalars(
            select(Reply.id).join(User, User.id == Reply.author_id)
            .where(Reply.id.in_(facts["reply_ids"]), User.username.not_in(writers), ~Reply.body.like("bench-%"))))
    clients, tokens = [], []
    for name in writers:
        client = app.test_client()
        sign_in(app, client, name)
        page = client.get(f"/posts/{post_id}").get_data(as_text=True)
        clients.append(client)
        tokens.append(CSRF_FIELD.search(page).group(1))
    buttons = heart_buttons(lambda path: clients[0].get(path).get_data(as_text=True), post_id)
    marker = f"bench-{secrets.token_hex(4)}"
    offset = secrets.randbelow(len(reply_ids))  # hearts on replies this run's members have mostly not hearted yet
    counts: dict[str, list[int]] = {"reply": [], "heart": []}
    times: dict[str, list[float]] = {"reply": [], "heart": []}
    shown: set[str] = set()

    def write(kind: str, index: int, step: int) -> None:
        client, token = clients[index], tokens[index]
        if kind == "reply":
            path = f"/posts/{post_id}/replies"
            data = {"csrf_token": token, "body": f"{marker} {index}-{step}: thinking of you tonight.",
                    "submission_key": secrets.token_urlsafe(16)}
        else:
            target = reply_ids[(offset + index * 7919 + step) % len(reply_ids)]
            path = f"/replies/{target}/heart"
            data = {**buttons.get(target, {}), "csrf_token": token, "hearted": "1"}  # as the button's form sends it
        statements.sent, statements.on = [], True
        started = time.perf_counter()
        response = client.post(path, data=data)
        times[kind].append(time.perf_counter() - started)
        statements.on = False
        if response.status_code != 302:
            raise SystemExit(f"{kind} answered HTTP {response.status_code}")
        counts[kind].append(len(statements.sent))
        if args.sql and kind not in shown and step >= len(clients):  # one after the warm-up
            shown.add(kind)
            print(f"\n{kind}: {len(statements.sent)} statements")
            for number, (sql, ms) in enumerate(statements.sent, 1):
                print(f"  {number:2}. {ms:5.2f} ms  {sql[:150]}")

    def run(steps: range) -> None:
        for step in steps:
            index = step % len(clients)
            write("reply", index, step)
            write("heart", index, step)

    run(range(len(clients)))  # warm: templates, compiled statements, each member's first write
    for kind in counts:
        counts[kind].clear()
        times[kind].clear()
    steps = range(len(clients), len(clients) + max(1, args.writes // 2))
    profiler = cProfile.Profile() if args.profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.runcall(run, steps)
    else:
        run(steps)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Reply).where(Reply.body.like(f"{marker} %")))
    asked = len(steps) + len(clients)
    print(f"{describe(url)}: {facts['posts']:,} posts; {len(steps)} replies and {len(steps)} hearts by "
          f"{len(clients)} members, one after another, in-process{' under cProfile' if profiler else ''}")
    for kind in ("reply", "heart"):
        print(f"  {kind}: {statistics.median(counts[kind]):g} SQL statements (min {min(counts[kind])}, max "
              f"{max(counts[kind])}); median {statistics.median(times[kind]) * 1000:.1f} ms")
    print(f"  {2 * len(steps) / wall:,.0f} writes/s in one thread, {cpu * 1000 / (2 * len(steps)):.2f} ms of CPU a "
          f"write (the test client's share included); replies stored {stored} for {asked} asked "
          f"-> {'exact' if stored == asked else 'MISMATCH'}")
    if profiler:
        if args.save:
            profiler.dump_stats(args.save)
        stats = pstats.Stats(profiler)
        by_package: dict[str, float] = {}
        for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
            package = _package(filename)
            by_package[package] = by_package.get(package, 0.0) + own
        total = sum(by_package.values())
        print(f"  {stats.total_calls / (2 * len(steps)):,.0f} function calls a write; own time by package:")
        for package, own in sorted(by_package.items(), key=lambda item: -item[1])[:12]:
            print(f"    {package:<28} {own / total:6.1%}")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(*args.only, args.profile)
        print(out.getvalue())
    return 0 if stored == asked else 1


def _package(filename: str) -> str:
    """The package a profiled function lives in: forum/…, sqlalchemy, werkzeug…, or the interpreter's own."""
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0]
    if "/forum/" in filename:
        return "forum/" + filename.split("/forum/")[1].split("/")[0]
    return "(built-in)" if filename.startswith("~") or filename.startswith("<") else "python"


if __name__ == "__main__":
    raise SystemExit(main())
