"""The public labelled crisis texts in ../shared/crisis-data, grouped the way we validate on them.

Training and validation only: nothing read here is ever written into the repository, printed or logged
(only counts and figures are).  Read that folder's README for provenance, licences, label meanings and caveats.

Each row becomes a `Row`: text, label (1 = crisis), its *family* (the unit we hold out: the two C-SSRS files
are one family, since one holds the other's posts), a training weight by quality tier, a group for
group-aware splits, and the fine label (C-SSRS severity, subreddit) for per-level figures.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KINDRED_CRISIS_DATA", ROOT.parent / "shared" / "crisis-data"))


@dataclass(frozen=True)
class Source:
    file: str
    family: str
    tier: str
    #: How much one row counts in training: clinician-guided labels count most; labels that are only
    #: subreddit membership, or confounded by style, count least.
    weight: float
    #: False where the README says never to validate on it (confounded or undocumented labels).
    validate: bool = True


SOURCES = (
    Source("cssrs_posts", "cssrs", "A", 3.0),
    Source("cssrs500_users", "cssrs", "A", 1.0),  # user level: one label for many posts, so weighed down
    Source("oai_moderation_sh", "oai", "B", 2.0),
    Source("komati_reddit_5k", "komati", "C", 1.0),
    Source("tweets_1787", "tweets", "C", 0.5),
    Source("aminu_tweets_9k", "aminu", "C", 0.3, validate=False),
    Source("reddit_mh_hot_2024", "mh_hot", "C", 1.0),
    Source("reddit_top_2013", "top_2013", "C", 1.0),
    Source("dreaddit", "dreaddit", "C", 1.0),
    Source("reddit_mh_5class", "mh_5class", "C", 0.5, validate=False),
)
SOURCE_BY_FILE = {s.file: s for s in SOURCES}
FAMILIES = tuple(dict.fromkeys(s.family for s in SOURCES))


@dataclass(frozen=True)
class Row:
    text: str
    label: int
    source: str
    family: str
    weight: float
    group: str
    fine: str


def available() -> bool:
    return all((DATA_DIR / f"{s.file}.jsonl").is_file() for s in SOURCES)


def load_rows() -> list[Row]:
    """Every row of every source, in file order."""
    if not available():
        raise SystemExit(f"The labelled crisis data is not at {DATA_DIR} (set KINDRED_CRISIS_DATA to its folder).")
    rows = []
    for source in SOURCES:
        with open(DATA_DIR / f"{source.file}.jsonl", encoding="utf-8") as fh:
            for number, line in enumerate(fh):
                record = json.loads(line)
                rows.append(Row(
                    text=record["text"],
                    label=int(record["label"] == "crisis"),
                    source=source.file,
                    family=source.family,
                    weight=source.weight,
                    # Rows without an author id are their own group.
                    group=record.get("group") or f"{source.file}:{number}",
                    fine=record.get("severity") or record.get("fine_label") or "",
                ))
    return rows
