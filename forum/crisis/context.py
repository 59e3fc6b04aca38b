"""Context rules: decide what one matched phrase means where it stands.

All functions work on the detector's scan text ``s`` (normalised post with a
leading space) and a phrase span inside it.  Windows are small (a sentence or
a clause), so these regex searches cost little next to the scan itself.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .lexicon import LEXICON, Rule

__all__ = ["Scope", "judge"]

NONE, CONCERN, CRISIS = 0, 1, 2
RANK = {"none": NONE, "concern": CONCERN, "crisis": CRISIS}

_CUES = LEXICON.cues
_FIRST = LEXICON.subjects.get("first", frozenset())
_THIRD = LEXICON.subjects.get("third", frozenset())
_SECOND = LEXICON.subjects.get("second", frozenset())
_PRONOUNS = _FIRST | _THIRD | _SECOND
_TOKEN = re.compile(r"[a-z][a-z']*")
# Words that start a new clause inside a sentence: context before them does
# not carry over ("I used to self-harm, but now ...").
# The regex consumes the character before the word (a fast set test).
_CLAUSE_BREAK = re.compile(
    r"[^a-z](but|however|although|though|whereas|nowadays|these days|and now|now|lately|recently)(?![a-z])"
)
_BOUNDS = re.compile(r"[.!?;]")


class Scope:
    """Sentence boundaries and quotation spans of one scan text, computed once."""

    __slots__ = ("s", "bounds", "_quotes")

    def __init__(self, s: str, bounds: list[int] | None = None) -> None:
        self.s = s
        self.bounds = [m.start() for m in _BOUNDS.finditer(s)] if bounds is None else bounds
        self._quotes = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end): from after the last boundary."""
        bounds = self.bounds
        i = bisect_right(bounds, start - 1)
        left = bounds[i - 1] + 1 if i else 0
        j = bisect_left(bounds, end)
        right = bounds[j] if j < len(bounds) else len(self.s)
        return left, right

    def clause(self, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
        left, right = sent
        for m in _CLAUSE_BREAK.finditer(self.s, left - 1 if left else 0, start):
            left = m.start(1)
        m = _CLAUSE_BREAK.search(self.s, end - 1, right)
        if m:
            right = m.start(1)
        return left, right

    def quote_around(self, pos: int) -> tuple[int, int] | None:
        """The double-quoted span containing ``pos``, if any."""
        if self._quotes is None:
            marks = [i for i, ch in enumerate(self.s) if ch == '"'] if '"' in self.s else []
            self._quotes = list(zip(marks[0::2], marks[1::2]))
        for q_start, q_end in self._quotes:
            if q_start < pos < q_end:
                return q_start, q_end
        return None


# The cue regexes' search methods, compiled on first use.  Each consumes the
# character before its cue, so a search for cues in s[a:b] starts at a - 1
# (written ``a and a - 1``: s[0] is always a space).
_RX: dict = {}


def _cue_searches() -> dict:
    if not _RX:
        _RX.update({name: cue.regex.search for name, cue in _CUES.items()})
    return _RX


def _negated(s: str, start: int, left: int) -> bool:
    """Is the phrase at ``start`` negated by a cue just before it?"""
    last = _CUES["negation"].last(s, max(left, start - 48), start)
    if last is None:
        return False
    if _CUES["negation_exceptions"].match(s, last[0]):
        return False
    between = s[last[1]:start]
    if "," in between:
        return False
    words = _TOKEN.findall(between)
    if len(words) > 4:
        return False
    return not any(w in _PRONOUNS for w in words)


def _person(rule: Rule, s: str, start: int, left: int) -> str:
    if rule.person != "subject":
        return rule.person
    words = _TOKEN.findall(s, max(left, start - 80), start)
    for word in reversed(words[-10:]):
        if word in _FIRST:
            return "first"
        if word in _THIRD:
            return "third"
        if word in _SECOND:
            return "second"
    return "first"  # dropped subject ("want to die tbh") is usually the writer


def judge(rule: Rule, start: int, end: int, scope: Scope) -> tuple[int, tuple[str, ...]]:
    """Return (level rank, notes) for the phrase ``rule`` matched at [start, end)."""
    rx = _RX or _cue_searches()
    s = scope.s
    sent_left, sent_right = sent = scope.sentence(start, end)
    left, right = scope.clause(start, end, sent)
    notes: list[str] = []
    if _negated(s, start, left):
        return NONE, ("negated",)
    fiction = rx["fiction"]
    quote = scope.quote_around(start)
    if quote is not None:
        frame = fiction(s, max(0, quote[0] - 121), quote[0])
        if frame or fiction(s, sent_left and sent_left - 1, quote[0]):
            return NONE, ("quoted_work",)
        notes.append("quoted")
    if fiction(s, left and left - 1, start):
        return NONE, ("fiction_or_news",)
    if rx["reported"](s, sent_left and sent_left - 1, start):
        return NONE, ("reported_question",)

    level = RANK[rule.level]
    past = rx["past"](s, left and left - 1, right) is not None
    recovered = rx["recovery"](s, left and left - 1, right) is not None
    if rule.tense == "present":
        if past or recovered:
            return NONE, ("past",)
    else:
        if past or (recovered and rule.tense == "past"):
            return NONE, ("past",)
        if rx["recent"](s, sent_left and sent_left - 1, sent_right) is None:
            level = RANK[rule.past_default]
            notes.append("past_unspecified")

    person = _person(rule, s, start, sent_left)
    if person == "second":
        return NONE, ("second_person",)
    if person == "third" and level > CONCERN:
        level = CONCERN
        notes.append("third_person")
    elif person == "third":
        notes.append("third_person")
    if level > CONCERN and rx["hypothetical"](s, sent_left and sent_left - 1, start):
        level = CONCERN
        notes.append("hypothetical")
    if level > CONCERN and rx["fear"](s, left and left - 1, start):
        if rx["recent"](s, start - 1, right) is None:
            level = CONCERN
            notes.append("fear_of_acting")
    if level > CONCERN and "quoted" in notes:
        level = CONCERN
    return level, tuple(notes)


def is_temporary_farewell(s: str) -> bool:
    """Does the post say the writer is only taking a break?"""
    return (
        _CUES["temporary"].search(s) is not None
        and _CUES["temporary_exceptions"].search(s) is None
    )
