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
_CLAUSE_WORDS = ("but", "however", "although", "though", "whereas", "nowadays", "these days", "and now",
                 "now", "lately", "recently")
_CLAUSE_BREAK = re.compile(r"[^a-z](" + "|".join(_CLAUSE_WORDS) + r")(?![a-z])")
# Every position where a clause break starts, overlaps included.
_CLAUSE_BREAK_STARTS = re.compile(r"[^a-z](?=(?:" + "|".join(_CLAUSE_WORDS) + r")(?![a-z]))")
# No clause break reads further than this from where it starts (its look-ahead included).
_CLAUSE_BREAK_REACH = 2 + max(len(w) for w in _CLAUSE_WORDS)
_BOUNDS = re.compile(r"[.!?;]")
_SEPARATOR = re.compile(r"[^a-z0-9'*]")
_STAR_RUN = re.compile(r"[aeiouy]*\*[aeiouy*]*")  # a run of vowels and "*" holding a "*"
_QUOTE = re.compile('"')
_SUBJECT_START = re.compile(r"(?:i|i've|ive|i'm|im|i'd|id)(?![a-z'])")
# Ranges up to this long are searched directly; longer ones (a post with
# little punctuation and many phrases) through the indexes of Scope, so
# that judging every phrase of a long sentence takes linear time.
_SHORT = 300


class Scope:
    """Sentence boundaries, quotation spans and cue indexes of one scan text, computed once."""

    __slots__ = ("s", "bounds", "_quotes", "_cue_starts", "_known", "_breaks")

    def __init__(self, s: str, bounds: list[int] | None = None) -> None:
        self.s = s
        self.bounds = [m.start() for m in _BOUNDS.finditer(s)] if bounds is None else bounds
        self._quotes = None
        self._cue_starts: dict[str, list[int]] = {}
        self._known: dict[tuple, bool] = {}
        self._breaks: dict[int, tuple] = {}

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end): from after the last boundary."""
        bounds = self.bounds
        i = bisect_right(bounds, start - 1)
        left = bounds[i - 1] + 1 if i else 0
        j = bisect_left(bounds, end)
        right = bounds[j] if j < len(bounds) else len(self.s)
        return left, right

    def clause(self, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
        """The clause around the phrase at [start, end) of the sentence ``sent``.

        From the last clause break of a scan of the sentence up to ``start``
        to the first break from ``end`` on.  ``start`` follows a character
        that is not a letter, so no break ends at it.
        """
        left, right = sent
        s = self.s
        if right - left <= _SHORT:
            for m in _CLAUSE_BREAK.finditer(s, left - 1 if left else 0, start):
                left = m.start(1)
            m = _CLAUSE_BREAK.search(s, end - 1, right)
            return left, m.start(1) if m else right
        # A long sentence: look its breaks up.  The scan up to ``start``
        # finds the sentence's own breaks, except near ``start``, where one
        # may be cut short; there it is repeated.
        scan_starts, scan_ends, scan_lefts, starts = self._breaks_of(left, right)
        near = start - _CLAUSE_BREAK_REACH
        i = bisect_left(scan_starts, near) - 1  # the last break of the scan that starts before near
        resume = left - 1 if left else 0
        if i >= 0:
            left, resume = scan_lefts[i], scan_ends[i]
        for m in _CLAUSE_BREAK.finditer(s, max(resume, near), start):
            left = m.start(1)
        j = bisect_left(starts, end - 1)
        return left, starts[j] + 1 if j < len(starts) else right

    def _breaks_of(self, left: int, right: int) -> tuple:
        """The clause breaks of a sentence: where those of a scan start and end and their
        words start, and where any break starts (overlaps included)."""
        found = self._breaks.get(left)
        if found is None:
            s, pos = self.s, left - 1 if left else 0
            scan = list(_CLAUSE_BREAK.finditer(s, pos, right))
            starts = [m.start() for m in _CLAUSE_BREAK_STARTS.finditer(s, pos, right)]
            found = self._breaks[left] = (
                [m.start() for m in scan], [m.end() for m in scan], [m.start(1) for m in scan], starts)
        return found

    def quoted(self) -> bool:
        """Does the scan text hold a quotation mark?"""
        return '"' in self.s

    def quote_around(self, pos: int) -> tuple[int, int] | None:
        """The double-quoted span containing ``pos``, if any."""
        if self._quotes is None:
            marks = [m.start() for m in _QUOTE.finditer(self.s)]
            self._quotes = (marks[0::2], marks[1::2])
        opens, closes = self._quotes
        i = bisect_left(opens, pos) - 1  # spans do not overlap: only the last one opened can hold pos
        if i >= 0 and i < len(closes) and pos < closes[i]:
            return opens[i], closes[i]
        return None

    def has(self, name: str, pos: int, endpos: int) -> bool:
        """Does the cue ``name`` match in s[pos:endpos]?  Exactly as its regex's search says.

        (A cue regex consumes the character before its cue: callers pass
        ``pos`` one before the range, as for the regex.)
        """
        cue = _CUES[name]
        if endpos - pos <= _SHORT or cue.reach is None:
            return cue.regex.search(self.s, pos, endpos) is not None
        # No cue can match where its words do not even begin (most ranges).
        body_starts = self._cue_starts.get(name)
        if body_starts is None:
            body_starts = self._starts_of(name, cue.body_starts)
        i = bisect_left(body_starts, pos)
        if i == len(body_starts) or body_starts[i] >= endpos:
            return False
        key = (name, pos, endpos)
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._has_near_end(name, cue, pos, endpos)
        return known

    def _starts_of(self, key: str, regex: re.Pattern) -> list[int]:
        """Where ``regex`` matches in the scan text, at every position (computed once)."""
        starts = self._cue_starts.get(key)
        if starts is None:
            starts = self._cue_starts[key] = [m.start() for m in regex.finditer(self.s)]
        return starts

    def _has_near_end(self, name: str, cue, pos: int, endpos: int) -> bool:
        # A cue cut short by endpos, or reaching past it, holds at most
        # ``reach`` separators: it starts after ``near``, which has more
        # separators than that between it and endpos.  A cue starting before
        # ``near`` ends before endpos, where cutting the text changes nothing:
        # look it up.  Search the rest.
        near = self._before_separators(pos, endpos, cue)
        if near > pos:
            starts = self._starts_of(name + " ended", cue.starts)
            i = bisect_left(starts, pos)
            if i < len(starts) and starts[i] < near:
                return True
        return cue.regex.search(self.s, near, endpos) is not None

    def _before_separators(self, pos: int, endpos: int, cue) -> int:
        """A position after ``pos`` with more separators, or runs of "*", between it and
        ``endpos`` than a ``cue`` can hold; or ``pos``."""
        s = self.s
        count, stars = cue.reach + 1, cue.star_reach
        width = 16 * count  # words are short: one try, as a rule
        while endpos - width > pos:
            near = endpos - width
            if s.count(" ", near, endpos) >= count or len(_SEPARATOR.findall(s, near, endpos)) >= count:
                return near
            if stars is not None and "*" in s[near:endpos] and len(_STAR_RUN.findall(s, near, endpos)) > stars:
                return near
            width *= 4
        return pos


#: The cues judge() consults (the clause breaks and _TOKEN read only letters and spaces).
_JUDGE_CUES = ("negation", "negation_exceptions", "fiction", "reported", "past", "recovery", "recent",
               "hypothetical", "fear", "wished_for", "relapse_now")
_SENTENCE_MARKS = frozenset(ord(c) for c in ".!?;")
_SAFE_CATEGORIES = frozenset({"CATEGORY_DIGIT", "CATEGORY_WORD", "CATEGORY_SPACE"})


def _can_cross_a_sentence_end(items, leading: bool = True) -> bool:
    """Could the parsed regex ``items`` consume one of .!?; after its first item?  (Every cue regex starts
    by consuming the character before the cue, which may be the previous sentence's end.)"""
    for index, (op, av) in enumerate(items):
        name = str(op)
        if leading and index == 0:
            continue
        if name in ("ANY", "NOT_LITERAL"):
            return True
        if name == "LITERAL" and av in _SENTENCE_MARKS:
            return True
        if name == "IN" and any(str(o) == "NEGATE" or (str(o) == "LITERAL" and a in _SENTENCE_MARKS)
                                or (str(o) == "RANGE" and any(a[0] <= c <= a[1] for c in _SENTENCE_MARKS))
                                or (str(o) == "CATEGORY" and str(a) not in _SAFE_CATEGORIES) for o, a in av):
            return True
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and _can_cross_a_sentence_end(av[2], False):
            return True
        if name == "SUBPATTERN" and _can_cross_a_sentence_end(av[-1], False):
            return True
        if name == "ATOMIC_GROUP" and _can_cross_a_sentence_end(av, False):
            return True
        if name == "BRANCH" and any(_can_cross_a_sentence_end(b, False) for b in av[1]):
            return True
        if name in ("ASSERT", "ASSERT_NOT") and av[0] > 0 and _can_cross_a_sentence_end(av[1], False):
            return True  # a look-ahead reads what it does not consume
    return False


def _judge_stays_in_its_sentence() -> bool:
    """Does judge() read nothing outside [sentence start - 3, sentence end] for a phrase in a short sentence
    of a post without quotation marks?  The scans it makes there are bounded by the sentence (or a clause
    inside it), except a negation exception matched forward from before the phrase, which stops at the
    sentence's end if no cue can consume a sentence mark; each look-behind reads two characters back."""
    from re import _parser

    return not any(_can_cross_a_sentence_end(_parser.parse(_CUES[name].regex.pattern)) for name in _JUDGE_CUES)


_REPEATS_ARE_SAFE: bool | None = None


def warm_up() -> None:
    """Check, once, whether repeat_key may make keys (~15 ms: not on a member's first long post)."""
    global _REPEATS_ARE_SAFE
    if _REPEATS_ARE_SAFE is None:
        _REPEATS_ARE_SAFE = _judge_stays_in_its_sentence()


def may_make_keys(scope: Scope) -> bool:
    """Could repeat_key make a key for any phrase of ``scope``?  Not in a post with quotation marks, nor in
    one that is a single sentence too long to key (asking for each of its phrases cost ~1 ms in 20,000
    characters of one repeated line)."""
    return not scope.quoted() and (bool(scope.bounds) or len(scope.s) <= _SHORT)


def repeat_key(rule_index: int, start: int, end: int, scope: Scope) -> tuple | None:
    """A key that phrases judged alike share, or None when none can be made.

    Everything judge() reads of a phrase in a short sentence of a post without quotation marks lies in the
    sentence and three characters before it, so the same rule at the same place of the same sentence text
    is judged the same.  A post that repeats one line a thousand times is judged once a line, not once a
    repeat (20,000 characters of it took ~25 ms).  None for a long sentence (judge reads indexes of the
    whole post there) or a post with quotation marks (whether a phrase is quoted depends on every mark
    before it).
    """
    if _REPEATS_ARE_SAFE is None:
        warm_up()
    if not _REPEATS_ARE_SAFE or scope.quoted():
        return None
    left, right = scope.sentence(start, end)
    if right - left > _SHORT:
        return None
    before = min(left, 3)
    return rule_index, start - left, end - left, before, scope.s[left - before:right + 1]


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


def _wished_for(s: str, start: int, sent_left: int) -> bool:
    """Is the phrase at ``start`` the object of an urge, a wish or a resolve ("the urge to cut myself")?
    Reads only its own sentence, as repeat_key needs."""
    last = _CUES["wished_for"].last(s, max(sent_left, start - 40), start)
    # What is wished for is an act ("thoughts of hurting myself"), never a clause with its own subject
    # ("all I think about: I attempted three days ago").
    return last is not None and not s[last[1]:start].strip() and not _SUBJECT_START.match(s, start)


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
    has = scope.has
    s = scope.s
    sent_left, sent_right = sent = scope.sentence(start, end)
    left, right = scope.clause(start, end, sent)
    # Each cue regex consumes the character before its cue, so a search for
    # cues in s[a:b] starts at a - 1 (written ``a and a - 1``: s[0] is always
    # a space).
    sent_from = sent_left and sent_left - 1
    clause_from = left and left - 1
    notes: list[str] = []
    if _negated(s, start, left):
        return NONE, ("negated",)
    quote = scope.quote_around(start)
    if quote is not None:
        if has("fiction", max(0, quote[0] - 121), quote[0]) or has("fiction", sent_from, quote[0]):
            return NONE, ("quoted_work",)
        notes.append("quoted")
    if has("fiction", clause_from, start):
        return NONE, ("fiction_or_news",)
    if has("reported", sent_from, start):
        return NONE, ("reported_question",)
    if rule.tense == "past" and _wished_for(s, start, sent_left):
        return NONE, ("wished_for",)

    level = RANK[rule.level]
    if rule.tense == "present":
        if has("past", clause_from, right) or has("recovery", clause_from, right):
            return NONE, ("past",)
    else:
        if has("past", clause_from, right) or (
                rule.tense == "past" and has("recovery", clause_from, right)
                and not has("relapse_now", clause_from, right)):
            return NONE, ("past",)
        if not has("recent", sent_from, sent_right):
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
    if level > CONCERN and has("hypothetical", sent_from, start):
        level = CONCERN
        notes.append("hypothetical")
    if level > CONCERN and has("fear", clause_from, start):
        if not has("recent", start - 1, right):
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
