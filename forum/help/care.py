"""Which help to put in front of a member, from what the crisis detector found. Pure: no Flask."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from forum.crisis.hotlines import Hotline, hotlines_for

#: How many lines lead the panel; a long list overwhelms someone in crisis, so the rest wait one tap away.
LEAD_LINES = {"crisis": 2, "concern": 1}
LEVEL_RANK = {"none": 0, "concern": 1, "crisis": 2}


@dataclass(frozen=True)
class Care:
    level: str
    categories: tuple[str, ...]
    lead: tuple[Hotline, ...]
    more: tuple[Hotline, ...]

    @property
    def is_crisis(self) -> bool:
        return self.level == "crisis"


def strongest(findings: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, tuple[str, ...]]:
    """Combine (level, categories) findings into the highest level and every category, in order."""
    level, categories = "none", []
    for found_level, found_categories in findings:
        if LEVEL_RANK.get(found_level, 0) > LEVEL_RANK[level]:
            level = found_level
        categories.extend(c for c in found_categories if c not in categories)
    return level, tuple(categories)


def care_for(level: str, categories: Iterable[str], country: str) -> Care | None:
    """The hotlines for a crisis or concern, the best-fitting first; None when nothing was found."""
    if level not in LEAD_LINES:
        return None
    categories = tuple(categories)
    lines = hotlines_for(categories, country)
    lead = LEAD_LINES[level]
    return Care(level=level, categories=categories, lead=tuple(lines[:lead]), more=tuple(lines[lead:]))
