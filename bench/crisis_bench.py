"""Throughput of forum.crisis.assess on large synthetic corpora, on one core.

    python bench/crisis_bench.py            # 20 MB at the largest size
    python bench/crisis_bench.py --mb 4     # quicker

First the one-off costs: importing the package (in a fresh process), and
compiling on first use (the detector compiles its regexes lazily; the warm-up
assesses every labelled sentence once, so the timed runs below measure steady
state).

Then two corpora, each timed at 1x, 2x and 4x a base size (CPU time of this
process, so other load on the machine distorts it less); linear scaling shows
as a steady MB/s and a time ratio near 2 for each doubling:

* forum mix, the headline figure: one sentence in ten from the labelled
  corpus, the rest everyday chatter from templates (the kind of text most
  posts are made of; most of it never gets past the prefilter).
* dense, the worst case: posts built only from sentences of the labelled
  corpus.  Nearly every post holds several signals, idioms or negations, so
  every post goes through the full context rules: far denser than a forum.

The target is 10 MB/s on one core.  Also times the worst single post the
forum allows: 20,000 characters of adversarial repetition.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crisis_eval import holdout_cases, tuning_cases  # noqa: E402
from forum.crisis.detector import assess  # noqa: E402

MAX_POST = 20_000


def sentences() -> list[str]:
    out = []
    for case in tuning_cases() + holdout_cases():
        out.extend(p for p in re.split(r"(?<=[.!?])\s+", case["text"]) if p.strip())
    return out


_CHATTER = [
    "Went to the {place} with my {who} and it was {mood}.",
    "Does anyone have tips for {topic}?",
    "My {who} made {food} for dinner and I ate way too much.",
    "Therapy this week was about {topic}, which was {mood}.",
    "I finally finished {thing} after putting it off for ages.",
    "The weather has been {mood} so I stayed in and watched {show}.",
    "Thanks for the replies on my last thread, they helped with {topic}.",
    "Work was {mood} today but I got through my to-do list.",
    "Has anyone tried {thing} for sleep? Mine has been all over the place.",
    "Small win: I went to the {place} on my own.",
    "My {who} and I are planning a trip to the {place} next month.",
    "I keep forgetting to drink water, any reminder apps you like?",
]
_FILL = {
    "place": ["park", "library", "beach", "shops", "gym", "market", "lake", "museum"],
    "who": ["sister", "partner", "neighbour", "dog", "roommate", "best friend", "mum"],
    "mood": ["lovely", "a bit much", "grey", "better than expected", "tiring", "fine"],
    "topic": ["journaling", "sleep hygiene", "setting boundaries", "meal prep", "budgeting"],
    "food": ["soup", "pasta", "curry", "pancakes", "a huge salad"],
    "thing": ["a puzzle", "a weighted blanket", "my tax forms", "a podcast series", "knitting"],
    "show": ["a baking show", "old cartoons", "a nature documentary", "football"],
}


def chatter(rng: random.Random) -> str:
    template = rng.choice(_CHATTER)
    return template.format(**{k: rng.choice(v) for k, v in _FILL.items()})


def build_posts(total_chars: int, seed: int = 7, corpus_share: float = 1.0) -> list[str]:
    """Posts of 1-12 sentences (some with tag lists) until total_chars."""
    rng = random.Random(seed)
    pool = sentences()
    tags = ["#MentalHealth", "#Depression", "#Suicide", "#Anxiety", "#PTSD", "#Recovery"]
    posts, size = [], 0
    while size < total_chars:
        body = " ".join(
            rng.choice(pool) if rng.random() < corpus_share else chatter(rng)
            for _ in range(rng.randint(1, 12))
        )
        if rng.random() < 0.5:
            body = body.replace(". ", ".\n\n", rng.randint(0, 2))
        if rng.random() < 0.2:
            body += "\n" + " ".join(rng.sample(tags, rng.randint(1, len(tags))))
        posts.append(body)
        size += len(body)
    return posts


TARGET_MB_S = 10.0

# Import forum.crisis under a stand-in parent package (forum/__init__.py builds
# the Flask app), then time the first posts, each compiling what it needs.
_FRESH = """
import sys, time, types
sys.path.insert(0, {root!r})
parent = types.ModuleType("forum")
parent.__path__ = [{forum!r}]
sys.modules["forum"] = parent
started = time.perf_counter()
import forum.crisis
imported = time.perf_counter()
forum.crisis.assess("Went to the park with my sister, it was lovely.")
everyday = time.perf_counter()
forum.crisis.assess("I want to die.")
crisis = time.perf_counter()
print((imported - started) * 1000, (everyday - imported) * 1000, (crisis - everyday) * 1000)
"""


def one_off_costs() -> str:
    code = _FRESH.format(root=str(ROOT), forum=str(ROOT / "forum"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported, everyday, crisis = (float(x) for x in out.stdout.split())
    return (f"fresh process: import forum.crisis {imported:.0f} ms, first everyday post "
            f"{everyday:.0f} ms, first crisis post {crisis:.0f} ms (wall clock)")


def warm_up() -> float:
    """Assess every labelled sentence once: compiles what the corpora need."""
    started = time.process_time()
    for sentence in sentences():
        assess(sentence)
    return time.process_time() - started


def run(posts: list[str]) -> tuple[float, int]:
    size = sum(len(p.encode("utf-8")) for p in posts)
    started = time.process_time()
    for post in posts:
        assess(post)
    return time.process_time() - started, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="largest corpus size in MB")
    args = parser.parse_args(argv)
    base = int(args.mb * 1_000_000 / 4)
    print(one_off_costs())
    print(f"warm-up (compiles on first use): {warm_up() * 1000:.0f} ms for "
          f"{len(sentences())} labelled sentences")
    print(f"posts built from {len(sentences())} labelled sentences; CPU time, one core; "
          f"target {TARGET_MB_S:g} MB/s")
    for name, share in (("forum mix", 0.1), ("dense", 1.0)):
        previous = None
        speeds = []
        for factor in (1, 2, 4):
            posts = build_posts(base * factor, corpus_share=share)
            elapsed, size = run(posts)
            speeds.append(size / 1e6 / elapsed)
            ratio = f"  time x{elapsed / previous:.2f} for size x2" if previous else ""
            print(f"{name:9} {factor}x: {size / 1e6:6.2f} MB, {len(posts):6d} posts: "
                  f"{elapsed:6.2f} s = {speeds[-1]:5.1f} MB/s{ratio}")
            previous = elapsed
        verdict = "meets" if min(speeds) >= TARGET_MB_S else "BELOW"
        label = "headline" if share < 1 else "worst case"
        print(f"{name:9} ({label}): {min(speeds):.1f}-{max(speeds):.1f} MB/s, {verdict} "
              f"the {TARGET_MB_S:g} MB/s target")
    worst = {
        "letters spaced out": ("k i l l " * 5000)[:MAX_POST],
        "negation soup": ("not never no don't " * 2000)[:MAX_POST],
        "subject words": ("he she my dad i want to " * 1000)[:MAX_POST],
        "one long word": "a" * MAX_POST,
        "digits and symbols": ("k1ll m3 @$!| " * 2000)[:MAX_POST],
        "tags": ("#suicide " * 3000)[:MAX_POST],
    }
    for name, text in worst.items():
        started = time.process_time()
        assess(text)
        print(f"worst case, 20k chars, {name:20}: {(time.process_time() - started) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
