"""Context rules: decide what one matched phrase means where it stands.

All functions work on the detector's scan text ``s`` (normalised post with a
leading space) and a phrase span inside it.  Windows are small (a sentence or
a clause), so these regex searches cost little next to the scan itself.
"""

from __future__ import annotations

import re

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
_CLAUSE_BREAK = re.compile(
    r"(?<![a-z])(?:but|however|although|though|whereas|nowadays|these days|and now|now|lately|recently)(?![a-z])"
)
_SENTENCE_END = ".!?;"


class Scope:
    """Sentence boundaries and quotation spans of one scan text, computed once."""

    __slots__ = ("s", "_quotes")

    def __init__(self, s: str) -> None:
        self.s = s
        self._quotes = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        s = self.s
        left = max(s.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
        right = len(s)
        for ch in _SENTENCE_END:
            i = s.find(ch, end)
            if i != -1 and i < right:
                right = i
        return left, right

    def clause(self, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
        left, right = sent
        for m in _CLAUSE_BREAK.finditer(self.s, left, start):
            left = m.start()
        m = _CLAUSE_BREAK.search(self.s, end, right)
        if m:
            right = m.start()
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


def _negated(s: str, start: int, left: int) -> bool:
    """Is the phrase at ``start`` negated by a cue just before it?"""
    window_start = max(left, start - 48)
    last = None
    for m in _CUES["negation"].finditer(s, window_start, start):
        last = m
    if last is None:
        return False
    if _CUES["negation_exceptions"].match(s, last.start()):
        return False
    between = s[last.end():start]
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
    s = scope.s
    sent = scope.sentence(start, end)
    clause = scope.clause(start, end, sent)
    notes: list[str] = []
    if _negated(s, start, clause[0]):
        return NONE, ("negated",)
    quote = scope.quote_around(start)
    if quote is not None:
        frame = _CUES["fiction"].search(s, max(0, quote[0] - 120), quote[0])
        if frame or _CUES["fiction"].search(s, sent[0], quote[0]):
            return NONE, ("quoted_work",)
        notes.append("quoted")
    if _CUES["fiction"].search(s, clause[0], start):
        return NONE, ("fiction_or_news",)
    if _CUES["reported"].search(s, sent[0], start):
        return NONE, ("reported_question",)

    level = RANK[rule.level]
    past = _CUES["past"].search(s, clause[0], clause[1]) is not None
    recovered = _CUES["recovery"].search(s, clause[0], clause[1]) is not None
    if rule.tense == "present":
        if past or recovered:
            return NONE, ("past",)
    else:
        if past or (recovered and rule.tense == "past"):
            return NONE, ("past",)
        if _CUES["recent"].search(s, sent[0], sent[1]) is None:
            level = RANK[rule.past_default]
            notes.append("past_unspecified")

    person = _person(rule, s, start, sent[0])
    if person == "second":
        return NONE, ("second_person",)
    if person == "third" and level > CONCERN:
        level = CONCERN
        notes.append("third_person")
    elif person == "third":
        notes.append("third_person")
    if level > CONCERN and _CUES["hypothetical"].search(s, sent[0], start):
        level = CONCERN
        notes.append("hypothetical")
    if level > CONCERN and _CUES["fear"].search(s, clause[0], start):
        if _CUES["recent"].search(s, start, clause[1]) is None:
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
