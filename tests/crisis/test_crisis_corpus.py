"""The labelled tuning corpus: every item's level, and its categories (``cats``
must be detected, ``not_cats`` must not).

Items marked ``known_miss = true`` are expected to still be wrong: if the
detector starts getting one right, this test fails so the mark gets removed.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from forum.crisis import Category, Level
from forum.crisis import assess_lexicon as assess

HERE = Path(__file__).parent
CORPUS_FILES = sorted(HERE.glob("corpus_*.toml"))


def _load(path: Path) -> list[dict]:
    with open(path, "rb") as fh:
        return [dict(case, file=path.name) for case in tomllib.load(fh)["cases"]]


CASES = [case for path in CORPUS_FILES for case in _load(path)]
HOLDOUT = _load(HERE / "holdout.toml")


def _id(case: dict) -> str:
    return f"{case['file']}:{case['text'][:40]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_corpus_item(case):
    result = assess(case["text"])
    if case.get("known_miss"):
        assert result.level.value != case["level"], "known_miss now passes: remove the mark"
        return
    assert result.level.value == case["level"], [m.to_dict() for m in result.matches]
    for cat in case.get("cats", []):
        assert Category(cat) in result.categories
    for cat in case.get("not_cats", []):
        assert Category(cat) not in result.categories, [m.to_dict() for m in result.matches]


def test_corpus_size_and_mix():
    counts = {lv.value: sum(c["level"] == lv.value for c in CASES) for lv in Level}
    assert len(CASES) >= 300
    assert counts["crisis"] >= 85 and counts["concern"] >= 75 and counts["none"] >= 130
    assert sum(bool(c.get("known_miss")) for c in CASES) <= 0.03 * len(CASES)


def test_holdout_is_separate_and_sized():
    texts = {c["text"] for c in CASES}
    assert not texts & {c["text"] for c in HOLDOUT}
    assert len(HOLDOUT) >= 95
    assert sum(c["level"] == "crisis" for c in HOLDOUT) >= 30


def test_every_case_is_well_formed():
    for case in CASES + HOLDOUT:
        assert case["level"] in {"none", "concern", "crisis"}
        assert case["text"].strip()
        for cat in case.get("cats", []) + case.get("not_cats", []):
            Category(cat)
        assert not set(case.get("cats", [])) & set(case.get("not_cats", []))


# Safe messaging: the corpus names means only generically.  These would be
# specifics (quantities, strengths, instructions) that have no place here.
_SPECIFICS = re.compile(r"\b\d+\s*(?:mg|ml|g|pills|tablets)\b|\bhow to (?:kill|die|overdose)", re.I)


def test_corpus_texts_contain_no_method_specifics():
    for case in CASES + HOLDOUT:
        assert not _SPECIFICS.search(case["text"]), case["text"]
