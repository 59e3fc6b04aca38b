"""Load ``lexicon.toml``: its rules, cues and subject words, and the phrase families.

The lexicon is kept as data so that the people who maintain it edit phrases,
not code.  This module turns the TOML into the objects the detector and the
context rules use: :class:`Rule` per entry, a :class:`Cue` per cue list, the
subject words, and three phrase families (triggers, means, idioms) with one
anchor scanner for all of them.

Phrases and cues are written in the pattern language of patterns.py (its
docstring has the syntax); anchors.py chooses each phrase's anchor; scanner.py
finds them and phrases.py runs the phrases fast.  No regex is compiled at import, so importing stays
cheap: :meth:`Lexicon.compile_all` (called by the app factory through
``detector.warm_up()``) builds and compiles everything at once, and anything
not compiled by then is compiled on first use.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from re import _parser as _sre_parse  # the engine's own parse of a regex: its structure, exactly

from .patterns import build, lead, parse_pattern
from .phrases import PhraseFamily
from .scanner import AnchorScanner

__all__ = ["Rule", "Cue", "compile_cues", "max_separators", "max_star_runs", "Lexicon", "LEXICON", "load_lexicon"]

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")


@dataclass(frozen=True)
class Rule:
    """One lexicon entry: a family of phrases with the same meaning."""

    id: str
    kind: str  # "trigger", "farewell", "means" or "idiom"
    category: str | None
    level: str  # level when first person and present: "concern" or "crisis"
    person: str  # "subject" (look left for one), "first" or "third"
    tense: str  # "present", "past" or "relapse"
    past_default: str  # level of a past-tense match with no time cue


class Cue:
    """A cue list compiled into one plain (non-overlapping) regex, on first use.

    A cue starts at a word start: not after a letter, a digit or a letter's
    apostrophe.  The regex consumes the character before the cue (a fast set
    test) instead of looking behind at every position, so, like the phrase
    families, it needs text that starts with a non-word character.  Methods
    take the range the cue must lie in and return its (start, end) or None.
    """

    __slots__ = ("body", "_regex", "_starts", "_body_starts", "reach", "star_reach")

    def __init__(self, body: str) -> None:
        self.body = body
        self._regex: re.Pattern | None = None
        self._starts: re.Pattern | None = None
        self._body_starts: re.Pattern | None = None
        #: the most separators (spaces, commas...) one cue can hold, with the
        #: character before it, or None: how many words back from the end of
        #: a range a cue that the range's end cuts short can start (context.py)
        self.reach: int | None = None
        #: the same in runs of vowels and "*" holding a "*" ("kms*kms*" has
        #: no separators), or None
        self.star_reach: int | None = None

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = re.compile(r"[^a-z0-9](?<![a-z]')(" + self.body + r")(?![a-z])")
            self.reach = max_separators(self._regex.pattern)
            self.star_reach = max_star_runs(self._regex.pattern)
        return self._regex

    @property
    def starts(self) -> re.Pattern:
        """Finds every position where a cue starts (its character before), overlaps included."""
        if self._starts is None:
            self._starts = re.compile(r"[^a-z0-9](?<![a-z]')(?=(?:" + self.body + r")(?![a-z]))")
        return self._starts

    @property
    def body_starts(self) -> re.Pattern:
        """Like :attr:`starts`, but whatever follows: also where the end of a range could cut a cue short."""
        if self._body_starts is None:
            self._body_starts = re.compile(r"[^a-z0-9](?<![a-z]')(?=" + self.body + ")")
        return self._body_starts

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
        """The first cue in text[pos:endpos]."""
        m = self.regex.search(text, pos - 1 if pos else 0, len(text) if endpos is None else endpos)
        return m.span(1) if m else None

    def last(self, text: str, pos: int, endpos: int) -> tuple[int, int] | None:
        """The last cue of a left-to-right scan of text[pos:endpos]."""
        last = None
        for found in self.regex.finditer(text, pos - 1 if pos else 0, endpos):
            last = found
        return last.span(1) if last else None

    def match(self, text: str, pos: int) -> bool:
        """Does a cue start exactly at ``pos``?"""
        return pos > 0 and self.regex.match(text, pos - 1) is not None


def compile_cues(patterns: list[str], slots: dict[str, str]) -> Cue:
    """Compile a cue list (see :class:`Cue`)."""
    sequences = []
    for pattern in patterns:
        for alt in parse_pattern(pattern, slots):
            sequences.extend(lead(alt))
    return Cue(build(sequences) if sequences else "(?!)")


# How far a cue can reach (see Cue.reach).

#: The characters a word is made of in normalised text; any other character
#: (a space, a comma, punctuation) separates words.
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'*")
_CATEGORY_HAS_SEPARATOR = {"CATEGORY_DIGIT": False}


def max_separators(regex: str) -> int | None:
    """The most characters outside :data:`WORD_CHARS` one match of ``regex`` can hold.

    None if unbounded (or the regex uses something not provided for).  Lets
    a caller that asks "is there a match in text[a:b]?" many times over a long
    text look only near ``b`` and look the rest up (context.py): a match
    holding at most N separators lies within N + 1 words.  Errs high.
    """
    count = _separators(_sre_parse.parse(regex))
    return None if count == float("inf") else int(count)


def _separators(items) -> float:
    total = 0.0
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            total += chr(av) not in WORD_CHARS
        elif name in ("NOT_LITERAL", "ANY"):
            total += 1
        elif name == "IN":
            total += _set_has_separator(av)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _, most, sub = av
            inner = _separators(sub)
            if inner:
                total += float("inf") if most == _sre_parse.MAXREPEAT else most * inner
        elif name == "SUBPATTERN":
            total += _separators(av[-1])
        elif name == "ATOMIC_GROUP":
            total += _separators(av)
        elif name == "BRANCH":
            total += max(_separators(branch) for branch in av[1])
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # consumes nothing
        else:
            return float("inf")
    return total


def _set_has_separator(items) -> bool:
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            return True  # a negated set of word characters holds a space
        if name == "LITERAL" and chr(av) not in WORD_CHARS:
            return True
        if name == "RANGE" and any(chr(c) not in WORD_CHARS for c in range(av[0], av[1] + 1)):
            return True
        if name == "CATEGORY" and _CATEGORY_HAS_SEPARATOR.get(str(av), True):
            return True
        if name not in ("LITERAL", "RANGE", "CATEGORY"):
            return True
    return False



_VOWELS_AND_STAR = frozenset("aeiouy*")


def max_star_runs(regex: str) -> int | None:
    """The most runs of vowels and "*" holding a "*" that one match of ``regex`` can reach into.

    A "*" stands for a vowel: the part of a match that takes one takes only
    vowels and "*" (or one character), so it keeps within one such run.  In
    a stretch of text without separators ("kms*kms*..."), these runs bound how
    far back a match can start, as separators do.  None if unbounded.
    """
    count = _star_runs(_sre_parse.parse(regex))
    return None if count == float("inf") else int(count)


def _star_runs(items) -> float:
    total = 0.0
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            total += _may_match_star(name, av)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _, most, sub = av
            inner = _star_runs(sub)
            if inner and len(sub) == 1 and _only_vowels_and_star(*sub[0]):
                total += inner  # a repeat of one vowel-or-star set stays in one run
            elif inner:
                total += float("inf") if most == _sre_parse.MAXREPEAT else most * inner
        elif name == "SUBPATTERN":
            total += _star_runs(av[-1])
        elif name == "ATOMIC_GROUP":
            total += _star_runs(av)
        elif name == "BRANCH":
            total += max(_star_runs(branch) for branch in av[1])
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # consumes nothing
        else:
            return float("inf")
    return total


def _may_match_star(name: str, av) -> bool:
    if name == "LITERAL":
        return chr(av) == "*"
    if name != "IN":
        return True
    if any(str(op) not in ("LITERAL", "RANGE") for op, _ in av):
        return True  # negated or a category: assume it may
    return any(chr(v) == "*" if str(op) == "LITERAL" else v[0] <= ord("*") <= v[1] for op, v in av)


def _only_vowels_and_star(op, av) -> bool:
    if str(op) == "LITERAL":
        return chr(av) in _VOWELS_AND_STAR
    if str(op) != "IN" or any(str(item) not in ("LITERAL", "RANGE") for item, _ in av):
        return False
    return all(chr(v) in _VOWELS_AND_STAR if str(item) == "LITERAL"
               else all(chr(c) in _VOWELS_AND_STAR for c in range(v[0], v[1] + 1)) for item, v in av)


class Lexicon:
    """The lexicon: rules, three phrase families and their anchor scanner, cues, subject words."""

    def __init__(self, data: dict) -> None:
        slots = {k: v for k, v in data.get("slots", {}).items()}
        self.rules: list[Rule] = []
        self._slots = slots
        self._by_kind: dict[str, list] = {"trigger": [], "means": [], "idiom": []}
        for raw in data.get("rule", []):
            kind = raw.get("kind", "trigger")
            level = raw.get("level", "none" if kind == "idiom" else "crisis")
            rule = Rule(
                id=raw["id"],
                kind=kind,
                category=raw.get("category"),
                level=level,
                person=raw.get("person", "subject"),
                tense=raw.get("tense", "present"),
                past_default=raw.get("past_default", level),
            )
            index = len(self.rules)
            self.rules.append(rule)
            family = "trigger" if kind == "farewell" else kind
            for pattern in raw["patterns"]:
                self._by_kind[family].append((index, rule.id, pattern))
        cues = data.get("cues", {})
        self.cues = {name: compile_cues(pats, slots) for name, pats in cues.items()}
        subjects = data.get("subjects", {})
        self.subjects = {
            person: frozenset(w.lower() for w in words) for person, words in subjects.items()
        }

    # The phrase families and their scanners are built on first use, and
    # their regexes compiled on first use after that: importing stays cheap.

    @cached_property
    def triggers(self) -> PhraseFamily:
        return PhraseFamily(self._by_kind["trigger"], self._slots)

    @cached_property
    def means(self) -> PhraseFamily:
        return PhraseFamily(self._by_kind["means"], self._slots)

    @cached_property
    def idioms(self) -> PhraseFamily:
        return PhraseFamily(self._by_kind["idiom"], self._slots)

    @cached_property
    def scanner(self) -> AnchorScanner:
        """One anchor scan for triggers, means and idioms, in that order; only
        trigger anchors let a post past the prefilter."""
        return AnchorScanner([self.triggers, self.means, self.idioms], counting=[self.triggers])

    def compile_all(self) -> None:
        """Build the families and the scanner and compile every regex now (idempotent)."""
        for family in (self.triggers, self.means, self.idioms):
            family.compile_all()
        self.scanner.anchor  # noqa: B018 (compiles)
        self.scanner.loose  # noqa: B018 (compiles)
        for cue in self.cues.values():
            cue.regex  # noqa: B018 (compiles)
            cue.starts  # noqa: B018 (compiles)
            cue.body_starts  # noqa: B018 (compiles)


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with open(path, "rb") as fh:
        return Lexicon(tomllib.load(fh))


LEXICON = load_lexicon()
