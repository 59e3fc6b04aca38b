"""Time the worst inputs we know for what runs on every post: hashtags, rendering and the crisis detector.

    python bench/adversarial.py [--sizes 1000,2000,5000,10000,20000]

Each row is one hostile shape of text at growing lengths. Linear code shows time growing with length
(20k takes ~20x what 1k takes); the last column is that ratio, so quadratic growth (~400x) stands out.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum.crisis.detector import assess  # noqa: E402
from forum.markup import extract_hashtags  # noqa: E402
from forum.rendering import render_markdown  # noqa: E402

SIZES = (1_000, 2_000, 5_000, 10_000, 20_000)


def repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


#: Shapes that hurt scanners: long runs of one marker, markers glued to words, unclosed constructs.
SHAPES: dict[str, Callable[[int], str]] = {
    "#" * 3: repeat("#"),
    "#a": repeat("#a"),
    "a#": repeat("a#"),
    "x/#": repeat("x/#"),
    "](#a": repeat("](#a"),
    "`#": repeat("`#"),
    "*_*": repeat("*_"),
    "[[[(": repeat("[("),
    "> > >": repeat("> "),
    "- nested list": repeat("  - "),
    "<a": repeat("<a"),
    "http://": repeat("http://a."),
    "|table|": repeat("|a"),
    "one repeated line": repeat("I want to die tonight and I don't want to be here anymore.\n"),
    "letters only": repeat("a"),
}

STAGES: dict[str, Callable[[str], object]] = {
    "hashtags": lambda text: extract_hashtags(text, limit=None),
    "rendering": lambda text: render_markdown(text, tag_url=lambda name: f"/tags/{name}"),
    "crisis": assess,
}


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated text lengths")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per cell")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    header = f"{'stage':<10} {'input':<18}" + "".join(f"{size:>10,}" for size in sizes) + "   ratio"
    print(header + "\n" + "-" * len(header))
    worst_at_largest: dict[str, float] = {}
    for run in STAGES.values():
        run("warm up #once")  # lazy loading (the crisis lexicon) is not what is measured
    for stage, run in STAGES.items():
        for shape, make in SHAPES.items():
            times = [best_of(args.runs, partial(run, make(size))) for size in sizes]
            worst_at_largest[stage] = max(worst_at_largest.get(stage, 0.0), times[-1])
            ratio = times[-1] / times[0] if times[0] else float("inf")
            print(f"{stage:<10} {shape:<18}" + "".join(f"{t * 1000:>8.1f}ms" for t in times) + f"  {ratio:>6.1f}x")
    total = sum(worst_at_largest.values())
    print(f"\nworst case at {sizes[-1]:,} characters: " +
          ", ".join(f"{stage} {t * 1000:.1f} ms" for stage, t in worst_at_largest.items()) +
          f"; all three {total * 1000:.1f} ms (linear: the ratio column stays near {sizes[-1] // sizes[0]}x)")


if __name__ == "__main__":
    main()
