"""Time the worst inputs we know for what runs on every post: hashtags, rendering and the crisis detector.

    python bench/adversarial.py [--sizes 1000,2000,5000,10000,20000] [--cpu]

Each row is one hostile shape of text at growing lengths. Linear code shows time growing with length
(20k takes ~20x what 1k takes); the last column is that ratio, so quadratic growth (~400x) stands out.
Every run starts from an empty parse cache, so "hashtags" and "rendering" each pay for the Markdown parse;
"all three" is what saving a post costs: the three together on one text, sharing one parse. --cpu times
this process's CPU rather than the wall clock, steadier on a shared machine.
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
from forum.markup import extract_hashtags, parse_markdown  # noqa: E402
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
    "a@b.org ": repeat("a@b.org "),
    "&amp;": repeat("&amp;"),
    "\\*": repeat("\\*"),
    "|table|": repeat("|a"),
    "short lines": repeat("a\n"),
    "list items": repeat("- a\n"),
    "numbered items": repeat("1. a\n"),
    "quoted lines": repeat(">a\n"),
    "table rows": lambda n: ("| a | b |\n|---|---|\n" + "| a | b |\n" * (n // 10 + 1))[:n],
    "one repeated line": repeat("I want to die tonight and I don't want to be here anymore.\n"),
    "letters only": repeat("a"),
}

def render(text: str) -> str:
    return render_markdown(text, tag_url=lambda name: f"/tags/{name}")


def all_three(text: str) -> None:
    extract_hashtags(text, limit=None)
    render(text)
    assess(text)


STAGES: dict[str, Callable[[str], object]] = {
    "hashtags": lambda text: extract_hashtags(text, limit=None),
    "rendering": render,
    "crisis": assess,
    "all three": all_three,
}


def best_of(runs: int, work: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        parse_markdown.cache_clear()
        started = clock()
        work()
        times.append(clock() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated text lengths")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per cell")
    parser.add_argument("--cpu", action="store_true", help="time CPU used, not the wall clock")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    sizes = [int(size) for size in args.sizes.split(",")]
    header = f"{'stage':<10} {'input':<18}" + "".join(f"{size:>10,}" for size in sizes) + "   ratio"
    print(header + "\n" + "-" * len(header))
    worst_at_largest: dict[str, float] = {}
    for run in STAGES.values():
        run("warm up #once")  # lazy loading (the crisis lexicon) is not what is measured
    for stage, run in STAGES.items():
        for shape, make in SHAPES.items():
            times = [best_of(args.runs, partial(run, make(size)), clock) for size in sizes]
            worst_at_largest[stage] = max(worst_at_largest.get(stage, 0.0), times[-1])
            ratio = times[-1] / times[0] if times[0] else float("inf")
            print(f"{stage:<10} {shape:<18}" + "".join(f"{t * 1000:>8.1f}ms" for t in times) + f"  {ratio:>6.1f}x")
    separate = sum(t for stage, t in worst_at_largest.items() if stage != "all three")
    print(f"\nworst case at {sizes[-1]:,} characters: " +
          ", ".join(f"{stage} {t * 1000:.1f} ms" for stage, t in worst_at_largest.items()) +
          f" (the three stages' worst shapes added up: {separate * 1000:.1f} ms); "
          f"linear: the ratio column stays near {sizes[-1] // sizes[0]}x")

if __name__ == "__main__":
    main()
