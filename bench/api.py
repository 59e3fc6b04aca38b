"""Milliseconds and SQL queries per JSON API read, against a database filled by bench/seed_large.py.

    .venv/bin/python bench/api.py                          # anonymous, and with a read token
    .venv/bin/python bench/api.py --requests 50 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/kindred_bench

For each route: a few warm-up requests, one with every SQL statement counted, then N timed requests in
this process (Flask test client, one thread). With a token, each request also looks the token up by its hash
(and writes its last use at most once a minute). The token made here is revoked again at the end.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_large import database_url, describe, make_app  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402


def counted(engine, fetch, path: str, headers: dict) -> tuple[int, int]:
    """Fetch the path; return its status and how many SQL statements answering it ran."""
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        return fetch(path, headers=headers).status_code, len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL, else sqlite bench/bench.sqlite3")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per route")
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    app = make_app(url)
    with app.app_context():
        from forum.extensions import db
        from forum.models import Hashtag, Post, User
        from forum.services.tokens import create_token, revoke_token

        posts = db.session.scalar(select(func.count()).select_from(Post))
        if not posts:
            print(f"{describe(url)} holds no posts: run bench/seed_large.py first")
            return 1
        busiest = db.session.scalars(select(Post).where(Post.status == "visible")
                                     .order_by(Post.reply_count.desc()).limit(1)).one()
        tag = db.session.scalars(select(Hashtag).order_by(Hashtag.post_count.desc()).limit(1)).one()
        author = busiest.author
        reader = db.session.scalars(select(User).where(User.id != author.id).limit(1)).one()
        token, secret = create_token(reader, "bench/api.py", "read")
        db.session.commit()
        client = app.test_client()
        cursor = client.get("/api/v1/posts").get_json()["next_cursor"]
        routes = [
            ("latest posts", "/api/v1/posts"),
            ("latest, page 2", f"/api/v1/posts?cursor={cursor}"),
            (f"post with {busiest.reply_count} replies", f"/api/v1/posts/{busiest.id}"),
            ("tags", "/api/v1/tags"),
            (f"#{tag.name} ({tag.post_count} posts)", f"/api/v1/tags/{tag.name}/posts"),
            ("a profile", f"/api/v1/members/{author.username}"),
            ("a member's posts", f"/api/v1/members/{author.username}/posts"),
            ("notifications (token)", "/api/v1/notifications"),
        ]
        print(f"database: {describe(url)}, {posts} posts; {args.requests} timed requests per route")
        print(f"{'route':34} {'who':6} {'status':>6} {'queries':>7} {'median ms':>9} {'p95 ms':>7}")
        for label, path in routes:
            for who, headers in (("anon", {}), ("token", {"Authorization": f"Bearer {secret}"})):
                if label.endswith("(token)") and who == "anon":
                    continue
                for _ in range(3):
                    client.get(path, headers=headers)
                status, queries = counted(db.engine, client.get, path, headers=headers)
                timings = []
                for _ in range(args.requests):
                    began = time.perf_counter()
                    client.get(path, headers=headers)
                    timings.append(time.perf_counter() - began)
                timings.sort()
                p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
                print(f"{label:34} {who:6} {status:>6} {queries:>7} "
                      f"{statistics.median(timings) * 1000:>9.1f} {p95 * 1000:>7.1f}")
        revoke_token(reader, token.id)
        db.session.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
