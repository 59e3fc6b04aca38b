"""The labelled texts the crisis tests share: the tuning corpus (corpus_*.toml) and the holdout set."""
from __future__ import annotations

import tomllib
from pathlib import Path

HERE = Path(__file__).parent


def texts(pattern: str = "*.toml") -> list[str]:
    """Every case's text from the labelled files matching `pattern`, in a stable order."""
    found = []
    for path in sorted(HERE.glob(pattern)):
        with open(path, "rb") as fh:
            found += [case["text"] for case in tomllib.load(fh)["cases"]]
    return found
