"""Garbage-collection pauses in a worker, in-process: one page requested N times, three ways of collecting.

    .venv/bin/python bench/gc_pauses.py --database-url sqlite:////tmp/b100k.sqlite3
    .venv/bin/python bench/gc_pauses.py --path /tags/Depression --requests 2000

Each request's latency (median, p99, worst) and the time spent in each generation's collections: as Python
leaves it; after gc.collect(); gc.freeze() on a warmed app; and as gunicorn workers run since 2026-12-07
(forum.collector: frozen, automatic collection off, collect_if_due() once each response is out, the time it
takes counted apart from the request's). Each in a fresh process, so none inherits another's heap. Signed in as
a seeded member unless --visitor (a visitor's pages come from the page cache). bench/README.md, "Garbage
collection" and "A crash under load".
"""
from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_large import database_url  # noqa: E402


def measure(url: str, path: str, requests: int, kind: str, visitor: bool) -> dict:
    from pages import sign_in

    from forum import create_app
    from forum.collector import collect_if_due

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    if not visitor:
        sign_in(app, client, "")
    for _ in range(20):  # templates compiled, statements cached, as in a worker that has served a while
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
    thresholds = gc.get_threshold()
    if kind in ("frozen", "between"):
        gc.collect()
        gc.freeze()
    if kind == "between":
        gc.disable()
    pauses = {generation: [] for generation in range(3)}
    started: dict[int, float] = {}

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            started[info["generation"]] = time.perf_counter()
        else:
            pauses[info["generation"]].append((time.perf_counter() - started[info["generation"]]) * 1000)

    gc.callbacks.append(note)
    times = []
    for _ in range(requests):
        begun = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - begun) * 1000)
        if kind == "between":
            collect_if_due(thresholds)  # after the response, as the middleware does: not in the request's time
    gc.callbacks.remove(note)
    gc.enable()
    times.sort()
    return {"median": times[len(times) // 2], "p99": times[int(len(times) * 0.99)], "worst": times[-1],
            "tracked": len(gc.get_objects()), "frozen": gc.get_freeze_count(),
            "pauses": {str(generation): [len(found), sum(found), max(found, default=0.0)]
                       for generation, found in pauses.items()}}


KINDS = {"plain": "as Python leaves it", "frozen": "after gc.freeze()",
         "between": "between requests (forum.collector, as gunicorn workers run)"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--path", help="the page (default: http_bench.py's post with 20 replies)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--visitor", action="store_true")
    parser.add_argument("--one", choices=list(KINDS), help=argparse.SUPPRESS)  # a child process's run
    args = parser.parse_args(argv)
    url = database_url(args.database_url)
    if args.path is None:
        from http_bench import choose
        from seed_large import make_app

        args.path = next(target.path for target in choose(make_app(url))[0] if target.path.startswith("/posts/"))
    if args.one:
        print(json.dumps(measure(url, args.path, args.requests, args.one, args.visitor)))
        return 0
    print(f"{url}: {args.path}, {args.requests} requests one after another, "
          f"{'a visitor' if args.visitor else 'signed in'}")
    for kind, title in KINDS.items():
        child = [sys.executable, __file__, "--database-url", url, "--path", args.path,
                 "--requests", str(args.requests), "--one", kind] + (["--visitor"] if args.visitor else [])
        result = json.loads(subprocess.run(child, capture_output=True, text=True, check=True).stdout)
        print(f"\n{title}: median "
              f"{result['median']:.2f} ms, p99 {result['p99']:.2f}, worst {result['worst']:.2f}; objects the "
              f"collector tracks {result['tracked']:,} (frozen {result['frozen']:,})")
        for generation, (count, total, worst) in result["pauses"].items():
            print(f"  generation {generation}: {count:4} collections, {total:7.1f} ms in all, the longest "
                  f"{worst:6.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
