"""What the crisis tests share: the labelled texts (corpus_*.toml, holdout.toml) and assess() without its prefilter."""
from __future__ import annotations

import tomllib
from pathlib import Path

import forum.crisis.detector as detector

HERE = Path(__file__).parent


def texts(pattern: str = "*.toml") -> list[str]:
    """Every case's text from the labelled files matching `pattern`, in a stable order."""
    found = []
    for path in sorted(HERE.glob(pattern)):
        with open(path, "rb") as fh:
            found += [case["text"] for case in tomllib.load(fh)["cases"]]
    return found


def assess_in_full(text: str):
    """assess() with the prefilter off: normalise, then scan everything."""
    original = detector.quick_text
    detector.quick_text = lambda _text: None
    try:
        return detector.assess(text)
    finally:
        detector.quick_text = original
