"""Held-out set: aggregate thresholds only (see holdout.toml's header).

The set was written before the rules were tuned and is never used to tune
them.  This test checks crisis recall >= 0.90 and precision >= 0.85, and that
no "none" post is raised to crisis; it deliberately does not report which
items fail.  On the day these were written the detector scored recall 0.943,
precision 1.0 on this set (bench/crisis_eval.py prints the current numbers).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from forum.crisis import assess_lexicon as assess

HOLDOUT = Path(__file__).with_name("holdout.toml")


def _scores():
    with open(HOLDOUT, "rb") as fh:
        cases = tomllib.load(fh)["cases"]
    pairs = [(c["level"], assess(c["text"]).level.value) for c in cases]
    tp = sum(g == "crisis" and p == "crisis" for g, p in pairs)
    fp = sum(g != "crisis" and p == "crisis" for g, p in pairs)
    fn = sum(g == "crisis" and p != "crisis" for g, p in pairs)
    none_to_crisis = sum(g == "none" and p == "crisis" for g, p in pairs)
    return tp / (tp + fn), tp / (tp + fp), none_to_crisis


def test_holdout_crisis_recall_and_precision():
    recall, precision, none_to_crisis = _scores()
    assert recall >= 0.90, f"holdout crisis recall {recall:.3f}"
    assert precision >= 0.85, f"holdout crisis precision {precision:.3f}"
    assert none_to_crisis == 0
