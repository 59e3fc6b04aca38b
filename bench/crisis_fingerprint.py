"""Fingerprint every verdict of the crisis detector, to prove that a speed-up changed none.

    python bench/crisis_fingerprint.py --save /tmp/crisis-before.jsonl    # before changing anything
    python bench/crisis_fingerprint.py --compare /tmp/crisis-before.jsonl # after each change
    python bench/crisis_fingerprint.py --compare /tmp/crisis-before.jsonl --verdicts
        # only what decides: level, lexicon level, categories, model score, explaining words; the matches
        # listed and the defused count may differ (counted apart)

Runs ``forum.crisis.assess`` (both stages, what the forum runs) over every text of the shared crisis data
(bench/crisis_data.py) and the synthetic posts crisis_bench.py times (the forum mix and the dense mix), and
records for each text everything an assessment carries to members and moderators: the level, the lexicon's
level, categories, every match (rule, level, category, span, notes), how many phrases were defused, the
model's score (rounded to 1e-9), the words that explained it with their weights (blind to the order of
exact ties at the cut, see _explanation), and how many words it read.

The fingerprints hold matched phrases of the shared texts, so they go under /tmp, never into the
repository; the script prints only counts, and for a difference the text's number and what differed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forum.crisis as crisis  # noqa: E402
from bench.crisis_bench import build_posts  # noqa: E402
from bench.crisis_data import load_rows  # noqa: E402
from bench.crisis_eval import holdout_cases, tuning_cases  # noqa: E402

#: Synthetic posts: the same generator and seeds as crisis_bench.py, 2 MB of each mix.
SYNTHETIC_CHARS = 2_000_000
#: Hostile shapes (crisis_bench.py's worst cases), each at a few lengths.
HOSTILE = ("k i l l ", "not never no don't ", "he she my dad i want to ", "k1ll m3 @$!| ", "#suicide ",
           '"i want to die" ', "kms*", "kms-", "movies*kms*", "I w@nt t0 d!e. ", "i   want\n\nto die ")


def texts() -> list[tuple[str, str]]:
    """(label, text) of every text fingerprinted; the label says where it came from, never what it says."""
    out = [(f"{row.source}:{n}", row.text) for n, row in enumerate(load_rows())]
    for name, share in (("forum_mix", 0.1), ("dense", 1.0)):
        out.extend((f"{name}:{n}", post) for n, post in enumerate(build_posts(SYNTHETIC_CHARS, corpus_share=share)))
    out.extend((f"case:{n}", case["text"]) for n, case in enumerate(tuning_cases() + holdout_cases()))
    for n, shape in enumerate(HOSTILE):
        out.extend((f"hostile:{n}:{size}", (shape * (size // len(shape) + 1))[:size]) for size in (40, 300, 5000))
    return out


def _explanation(words: tuple) -> dict:
    """The explaining words, blind to the order of ties at the cut.

    Terms of exactly equal weight tie, and which of them make the cut at the last place depends on
    the order a set of byte strings iterates in, which Python's per-process hash seed changes: two
    runs of the same code can name different words there, or tied words in another order.  So the words
    above the last weight are kept (strongest first, ties by name), and of those at the last weight only
    the weight and how many made the cut.
    """
    rounded = [[w, round(c, 9)] for w, c in words]
    if not rounded:
        return {"above_cut": [], "at_cut": None}
    last = rounded[-1][1]
    above = sorted((x for x in rounded if x[1] != last), key=lambda x: (-x[1], x[0]))  # ties in any order
    return {"above_cut": above, "at_cut": [last, sum(x[1] == last for x in rounded)]}


def fingerprint(text: str) -> dict:
    found = crisis.assess(text)
    model = found.model
    shown = found.to_dict()
    if "model" in shown:
        shown["model"].pop("words")  # in "words", blind to ties
    return {
        "level": found.level.value,
        "lexicon_level": found.lexicon_level.value,
        "categories": sorted(c.value for c in found.categories),
        "matches": [[m.rule, m.level.value, m.category.value if m.category else None, m.start, m.end,
                     m.phrase, list(m.notes)] for m in found.matches],
        "defused": found.defused,
        "score": None if model is None else round(model.score, 9),
        "words": None if model is None else _explanation(model.words),
        "length": None if model is None else model.length,
        "dict": shown,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--save", type=Path, help="write the fingerprints to this file (under /tmp)")
    action.add_argument("--compare", type=Path, help="compare with fingerprints saved earlier")
    parser.add_argument("--verdicts", action="store_true",
                        help="with --compare: differences in matches and defused are counted, not failed")
    args = parser.parse_args(argv)
    crisis.warm_up()
    labelled = texts()
    prints = [fingerprint(text) for _, text in labelled]
    levels = {}
    for p in prints:
        levels[p["level"]] = levels.get(p["level"], 0) + 1
    print(f"{len(prints)} texts fingerprinted; levels {dict(sorted(levels.items()))}")
    if args.save:
        with open(args.save, "w", encoding="utf-8") as fh:
            for (label, _), p in zip(labelled, prints, strict=True):
                fh.write(json.dumps([label, p], sort_keys=True) + "\n")
        print(f"saved to {args.save}")
        return 0
    with open(args.compare, encoding="utf-8") as fh:
        saved = [json.loads(line) for line in fh]
    if len(saved) != len(prints):
        print(f"DIFFERENT: {len(saved)} texts saved, {len(prints)} now")
        return 1
    differences = 0
    listed_otherwise = 0
    for (label, _), p, (saved_label, q) in zip(labelled, prints, saved, strict=True):
        current = json.loads(json.dumps(p, sort_keys=True))
        if args.verdicts:
            listing = ("matches", "defused", "dict")
            if any(current[k] != q[k] for k in listing):
                listed_otherwise += 1
            current = {k: v for k, v in current.items() if k not in listing}
            q = {k: v for k, v in q.items() if k not in listing}
        if saved_label != label or current != q:
            differences += 1
            if differences <= 20:
                fields = sorted(k for k in current if current.get(k) != q.get(k))
                print(f"  differs: {label} (saved as {saved_label}): {', '.join(fields)}")
    if args.verdicts:
        print(f"{listed_otherwise} texts list other matches or defused counts")
    print(f"{differences} differences" + ("" if differences else ": every verdict the same"))
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
