"""Print how long searches take on a filled database (bench/seed_large.py makes one). Not a test.

    .venv/bin/python bench/seed_large.py --reset --posts 20000
    .venv/bin/python bench/search_bench.py                      # bench/bench.sqlite3, or $BENCH_DATABASE_URL
    .venv/bin/python bench/search_bench.py --database-url postgresql://postgres@127.0.0.1:5432/kindred_bench

For each query: the median and slowest milliseconds of search() for a visitor and for a member
(whose visibility rule adds their blocks and own posts), how many results the first page held, and the
time of the second page through its cursor.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from seed_large import database_url, describe, make_app  # noqa: E402

QUERIES = ["sleep", "feeling better today", '"one day at a time"', "anxiety or panic", "relapsed",
           "therapy -medication", "the", "zzzyzzx", 'NEAR( "unbalanced title:*', "x" * 2000]


def timed(function, repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    app = make_app(url)
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.models import Post, Reply, User
    from forum.services.search import search

    with app.app_context():
        posts = db.session.scalar(select(func.count()).select_from(Post))
        replies = db.session.scalar(select(func.count()).select_from(Reply))
        member = db.session.scalars(select(User).order_by(User.id).limit(1)).first()
        print(f"{describe(url)}: {posts:,} posts, {replies:,} replies; {args.repeats} runs each")
        print(f"{'query':<28} {'results':>7} {'visitor ms (med/max)':>21} {'member ms (med/max)':>20} "
              f"{'page 2 ms':>10}")
        for query in QUERIES:
            visitor_times, page = timed(lambda q=query: search(None, q), args.repeats)
            member_times, _ = timed(lambda q=query: search(member, q), args.repeats)
            second = "-"
            if page.next_cursor:
                second_times, _ = timed(lambda q=query, c=page.next_cursor: search(None, q, cursor=c), args.repeats)
                second = f"{statistics.median(second_times):.1f}"
            shown = query if len(query) <= 26 else query[:23] + "..."
            print(f"{shown:<28} {len(page.results):>7} "
                  f"{statistics.median(visitor_times):>10.1f}/{max(visitor_times):<10.1f}"
                  f"{statistics.median(member_times):>9.1f}/{max(member_times):<10.1f} {second:>10}")
            db.session.rollback()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
