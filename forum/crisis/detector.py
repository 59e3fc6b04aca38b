"""The crisis detector: ``assess(text) -> Assessment``.

Pipeline for one post:

1. normalise (normalise.py) and add a leading space;
2. find sentences holding an anchor word (a cheap scan), and run the phrase
   matcher (lexicon.py) over those sentences only;
3. drop phrases cancelled by an overlapping idiom, and phrases contained in a
   longer phrase;
4. judge each phrase in context (context.py): negation, tense, whose it is,
   hypotheticals, quotes, fiction;
5. a farewell in a post that says "see you soon" is not a farewell; a means
   mention (pills in hand, on the bridge) turns another first-person signal
   into a crisis;
6. the post's level is the highest level of any phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from enum import Enum

from . import context
from .context import CONCERN, CRISIS, NONE, Scope
from .lexicon import LEXICON
from .normalise import normalise

__all__ = ["Level", "Category", "Match", "Assessment", "assess"]


class Level(str, Enum):
    """How urgent a post is.  Ordered: NONE < CONCERN < CRISIS."""

    NONE = "none"
    CONCERN = "concern"
    CRISIS = "crisis"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self.value]

    @classmethod
    def max(cls, *levels: "Level") -> "Level":
        """The most urgent of ``levels`` (NONE if none given)."""
        return max(levels, key=lambda lv: lv.rank, default=cls.NONE)

    def __lt__(self, other):
        if isinstance(other, Level):
            return self.rank < other.rank
        return NotImplemented

    def __le__(self, other):
        if isinstance(other, Level):
            return self.rank <= other.rank
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, Level):
            return self.rank > other.rank
        return NotImplemented

    def __ge__(self, other):
        if isinstance(other, Level):
            return self.rank >= other.rank
        return NotImplemented

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


_LEVEL_RANK = {"none": NONE, "concern": CONCERN, "crisis": CRISIS}
_LEVEL_OF_RANK = {NONE: Level.NONE, CONCERN: Level.CONCERN, CRISIS: Level.CRISIS}


class Category(str, Enum):
    """What kind of help a post points to."""

    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    OVERDOSE = "overdose"
    SUBSTANCE_USE = "substance_use"
    ABUSE = "abuse"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Match:
    """One phrase that raised the level, with its span in the original text.

    ``category`` is None for general distress ("what's the point") that
    points to no particular kind of help.  ``notes`` name the context rules
    that applied (e.g. "third_person", "past_unspecified").
    """

    phrase: str
    category: Category | None
    level: Level
    start: int
    end: int
    rule: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "category": self.category.value if self.category else None,
            "level": self.level.value,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    """The detector's verdict on one post."""

    level: Level = Level.NONE
    categories: frozenset[Category] = field(default_factory=frozenset)
    matches: tuple[Match, ...] = ()

    @property
    def is_crisis(self) -> bool:
        return self.level is Level.CRISIS

    @property
    def is_concern(self) -> bool:
        """True for CONCERN exactly (use ``needs_attention`` for >= CONCERN)."""
        return self.level is Level.CONCERN

    @property
    def needs_attention(self) -> bool:
        return self.level is not Level.NONE

    def to_dict(self) -> dict:
        """A JSON-ready dict: level, sorted categories, matches in text order."""
        return {
            "level": self.level.value,
            "categories": sorted(c.value for c in self.categories),
            "matches": [m.to_dict() for m in self.matches],
        }


_EMPTY = Assessment()
_RULES = LEXICON.rules
_CATEGORY = {c.value: c for c in Category}
_SENTENCE_END = ".!?;"
_BOUNDS = re.compile(r"[.!?;]")


_WHOLE_TEXT = 1500  # below this many characters, scan the whole post


def _anchor_windows(s: str):
    """Spans of ``s`` worth scanning: sentences that contain an anchor word.

    Every phrase contains at least one anchor word of its rule and never
    crosses sentence punctuation, so nothing outside these spans can match.
    Short posts are scanned whole once any anchor is seen.
    """
    anchors = LEXICON.triggers.anchor_regex
    if len(s) < _WHOLE_TEXT:
        if anchors.search(s):
            yield 0, len(s)
        return
    bounds = [m.start() for m in _BOUNDS.finditer(s)]
    win_start = win_end = -1
    for m in anchors.finditer(s):
        pos = m.start()
        if pos < win_end:
            continue
        i = bisect_right(bounds, pos)
        left = bounds[i - 1] if i else 0
        right = bounds[i] if i < len(bounds) else len(s)
        if left <= win_end:
            win_end = right
            continue
        if win_end > 0:
            yield win_start, win_end
        win_start, win_end = left, right
    if win_end > 0:
        yield win_start, win_end


def _sentence_edge(s: str, start: int, end: int, starts: bool, ends: bool) -> bool:
    """Check the ^ / $ flags of a phrase."""
    if starts:
        before = s[max(0, start - 3):start].rstrip(" \"'")
        if before and before[-1] not in _SENTENCE_END:
            return False
    if ends:
        after = s[end:end + 3].lstrip(" \"'")
        if after and after[0] not in _SENTENCE_END:
            return False
    return True


def _find_phrases(s: str) -> list[tuple[int, int, int]]:
    """(rule index, start, end) of every trigger phrase in ``s``."""
    found = []
    family = LEXICON.triggers
    for win_start, win_end in _anchor_windows(s):
        for rule_index, start, end, starts, ends in family.finditer(s, win_start, win_end):
            if (starts or ends) and not _sentence_edge(s, start, end, starts, ends):
                continue
            found.append((rule_index, start, end))
    return found


def _prune(s: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop phrases an idiom cancels, and phrases inside a longer phrase."""
    idioms = [(start, end) for _, start, end, _, _ in LEXICON.idioms.finditer(s)]
    kept = []
    for item in found:
        _, start, end = item
        if any(i_start < end and i_end > start and i_end >= end for i_start, i_end in idioms):
            continue
        if any(
            (o_start <= start and end <= o_end) and (o_start, o_end) != (start, end)
            for _, o_start, o_end in found
        ):
            continue
        kept.append(item)
    return kept


def _boost_with_means(s: str, scope: Scope, judged: list) -> list:
    """Means mentioned by the writer turn their other signals into a crisis."""
    first_person = [
        j for j in judged
        if j[3] >= CONCERN and "third_person" not in j[4]
        and _RULES[j[0]].category in (None, "suicide", "self_harm", "overdose")
    ]
    if not first_person:
        return []
    boosts = []
    for rule_index, start, end, _, _ in LEXICON.means.finditer(s):
        rule = _RULES[rule_index]
        rank, notes = context.judge(rule, start, end, scope)
        if rank == CRISIS:
            boosts.append((rule_index, start, end, CRISIS, notes + ("means_with_distress",)))
    return boosts


def assess(text: str) -> Assessment:
    """Assess one post.  Never raises on any ``str``; see the package docs."""
    if not isinstance(text, str):
        raise TypeError(f"assess() needs a str, not {type(text).__name__}")
    if not text or text.isspace():
        return _EMPTY
    norm = normalise(text)
    s = " " + norm.text
    found = _find_phrases(s)
    if not found:
        return _EMPTY
    found = _prune(s, found)
    scope = Scope(s)
    judged = []
    temporary = None
    for rule_index, start, end in found:
        rule = _RULES[rule_index]
        rank, notes = context.judge(rule, start, end, scope)
        if rank and rule.kind == "farewell":
            if temporary is None:
                temporary = context.is_temporary_farewell(s)
            if temporary:
                rank, notes = NONE, notes + ("temporary_break",)
        judged.append((rule_index, start, end, rank, notes))
    judged.extend(_boost_with_means(s, scope, judged))

    matches = []
    for rule_index, start, end, rank, notes in sorted(judged, key=lambda j: (j[1], j[2])):
        if rank == NONE:
            continue
        rule = _RULES[rule_index]
        o_start, o_end = norm.span(start - 1, end - 1)
        if o_end <= o_start:
            continue
        matches.append(Match(
            phrase=text[o_start:o_end],
            category=_CATEGORY.get(rule.category) if rule.category else None,
            level=_LEVEL_OF_RANK[rank],
            start=o_start,
            end=o_end,
            rule=rule.id,
            notes=notes,
        ))
    if not matches:
        return _EMPTY
    level = Level.max(*(m.level for m in matches))
    categories = frozenset(m.category for m in matches if m.category is not None)
    return Assessment(level=level, categories=categories, matches=tuple(matches))
