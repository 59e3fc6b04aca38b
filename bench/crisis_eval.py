"""Evaluate forum.crisis on the labelled corpora, next to a naive keyword baseline.

    python bench/crisis_eval.py              # tuning corpus and holdout
    python bench/crisis_eval.py --misses     # also list tuning-corpus errors

Prints, for the tuning corpus (tests/crisis/corpus_*.toml) and the held-out set
(tests/crisis/holdout.toml) separately: precision, recall and F1 for "crisis"
(crisis vs not crisis), and a 3x3 confusion matrix, for the detector and for a
baseline that flags crisis whenever one of ~20 obvious words appears.

Errors are listed for the tuning corpus only: the holdout is for measuring,
and looking at its individual failures would turn it into tuning data.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forum.crisis.detector import assess  # noqa: E402  (after the path tweak)

CORPUS_DIR = ROOT / "tests" / "crisis"
LEVELS = ("none", "concern", "crisis")

# The baseline a first attempt would use: any of these words means crisis.
NAIVE_WORDS = (
    "suicide", "suicidal", "kill myself", "killing myself", "die", "dying",
    "dead", "end it", "end my life", "overdose", "overdosed", "pills",
    "cutting", "cut myself", "self harm", "self-harm", "hurt myself", "abuse",
    "abused", "hits me", "beats me", "goodbye",
)
_NAIVE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in NAIVE_WORDS) + r")\b", re.I)


def naive(text: str) -> str:
    return "crisis" if _NAIVE.search(text) else "none"


def detector(text: str) -> str:
    return assess(text).level.value


def load_cases(paths: list[Path]) -> list[dict]:
    cases = []
    for path in paths:
        with open(path, "rb") as fh:
            for case in tomllib.load(fh)["cases"]:
                cases.append({**case, "file": path.name})
    return cases


def tuning_cases() -> list[dict]:
    return load_cases(sorted(CORPUS_DIR.glob("corpus_*.toml")))


def holdout_cases() -> list[dict]:
    return load_cases([CORPUS_DIR / "holdout.toml"])


def scores(cases: list[dict], predict) -> dict:
    """Crisis precision/recall/F1 and the confusion matrix counts."""
    matrix = {(gold, pred): 0 for gold in LEVELS for pred in LEVELS}
    for case in cases:
        matrix[(case["level"], predict(case["text"]))] += 1
    tp = matrix[("crisis", "crisis")]
    fp = sum(matrix[(g, "crisis")] for g in LEVELS if g != "crisis")
    fn = sum(matrix[("crisis", p)] for p in LEVELS if p != "crisis")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = sum(matrix[(lv, lv)] for lv in LEVELS) / len(cases) if cases else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "exact": exact, "matrix": matrix}


def report(title: str, cases: list[dict]) -> None:
    print(f"== {title}: {len(cases)} texts "
          + ", ".join(f"{lv} {sum(c['level'] == lv for c in cases)}" for lv in LEVELS))
    results = {"detector": scores(cases, detector), "naive keywords": scores(cases, naive)}
    print(f"  {'':16} {'crisis P':>9} {'crisis R':>9} {'crisis F1':>10} {'3-level acc':>12}")
    for name, r in results.items():
        print(f"  {name:16} {r['precision']:9.3f} {r['recall']:9.3f} {r['f1']:10.3f} {r['exact']:12.3f}")
    for name, r in results.items():
        print(f"  confusion ({name}; rows = gold, columns = predicted)")
        print("    " + f"{'':9}" + "".join(f"{p:>9}" for p in LEVELS))
        for gold in LEVELS:
            print("    " + f"{gold:9}" + "".join(f"{r['matrix'][(gold, p)]:9d}" for p in LEVELS))
    print()


def list_misses(cases: list[dict]) -> None:
    print("== tuning-corpus errors")
    for case in cases:
        got = assess(case["text"])
        if got.level.value != case["level"]:
            flag = " (known_miss)" if case.get("known_miss") else ""
            rules = ", ".join(f"{m.rule}:{m.level.value}{list(m.notes) or ''}" for m in got.matches)
            print(f"  [{case['file']}] want {case['level']}, got {got.level.value}{flag}: "
                  f"{case['text'][:90]!r}  {rules}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list tuning-corpus errors")
    args = parser.parse_args(argv)
    tuning = tuning_cases()
    report("tuning corpus", tuning)
    report("holdout (never tuned on)", holdout_cases())
    if args.misses:
        list_misses(tuning)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
