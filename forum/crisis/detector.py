"""The crisis detector: ``assess(text) -> Assessment``.

Pipeline for one post:

1. prefilter: look for anchors (the rare words every phrase contains) in the
   raw lower-cased text; a post without any is done (most posts);
2. normalise (normalise.py) and add a leading space;
3. run the phrase matcher (phrases.py) over the sentences holding anchors,
   only the groups of phrases anchored there;
4. drop phrases cancelled by an overlapping idiom, and phrases contained in a
   longer phrase;
5. judge each phrase in context (context.py): negation, tense, whose it is,
   hypotheticals, quotes, fiction;
6. a farewell in a post that says "see you soon" is not a farewell; a means
   mention (pills in hand, on the bridge) turns another first-person signal
   into a crisis;
7. the post's level is the highest level of any phrase.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from enum import Enum
from itertools import accumulate

from . import context
from .context import CONCERN, CRISIS, NONE, Scope
from .lexicon import LEXICON
from .normalise import fold_table, normalise, quick_text

__all__ = ["Level", "Category", "Match", "Assessment", "assess", "warm_up"]


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
#: A crisis phrase quoted again after its words were judged quoted is counted as lowered, not judged
#: again (assess); off, every phrase is judged (the tests compare the two).
QUOTED_REPEATS_JUDGED_ONCE = True
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
    #: How many danger phrases the context rules lowered (negated, someone else's, in the past, quoted,
    #: a break): the lexicon heard the words and judged them not to be the writer's danger now.
    defused: int = 0

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
#: From this many phrases in one post on, phrases judged alike are remembered (see assess).
PHRASES_WORTH_A_MEMO = 16
_RULES = LEXICON.rules
_CATEGORY = {c.value: c for c in Category}
_SENTENCE_END = ".!?;"
_BOUNDS = re.compile(r"[.!?;]")


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


def _find_phrases(s: str, windows: dict) -> list[tuple[int, int, int]]:
    """(rule index, start, end) of every trigger phrase in ``s``."""
    found = []
    spans = [(w[0], w[1], w[2]) for w in windows.values() if w[2]]
    for rule_index, start, end, starts, ends in LEXICON.triggers.find(s, spans):
        if (starts or ends) and not _sentence_edge(s, start, end, starts, ends):
            continue
        found.append((rule_index, start, end))
    return found


def _prune(s: str, bounds: list[int], windows: dict, found: list[tuple[int, int, int]]) -> list:
    """Drop phrases an idiom cancels, and phrases inside a longer phrase."""
    spans = []
    for left in {bounds[i - 1] if i else 0 for i in (bisect_right(bounds, f[1]) for f in found)}:
        window = windows[left]
        if window[4]:  # idioms anchored in a sentence with a phrase
            spans.append((window[0], window[1], window[4]))
    idioms = [(a, b) for _, a, b, _, _ in LEXICON.idioms.find(s, spans)] if spans else []
    if len(found) == 1 and not idioms:
        return found
    # A phrase is inside another if one starting no later ends no sooner (and
    # is not the same span).  Sweep by start, longest first.
    order = sorted(range(len(found)), key=lambda k: (found[k][1], -found[k][2]))
    inside = set()
    reach = -1  # furthest end among phrases before the current span
    k = 0
    while k < len(order):
        start, end = found[order[k]][1], found[order[k]][2]
        same = k
        while same < len(order) and found[order[same]][1:] == (start, end):
            same += 1
        if reach >= end:
            inside.update(order[k:same])
        reach = max(reach, end)
        k = same
    # An idiom cancels a phrase when it starts before the phrase ends and
    # ends no sooner (so it overlaps: phrases are never empty).  Sorted by
    # start, with the furthest end so far, each phrase is one look-up.
    idioms.sort()
    idiom_starts = [a for a, _ in idioms]
    furthest = list(accumulate((b for _, b in idioms), max))
    kept = []
    for k, item in enumerate(found):
        if k in inside:
            continue
        end = item[2]
        i = bisect_left(idiom_starts, end)
        if i and furthest[i - 1] >= end:
            continue
        kept.append(item)
    return kept


def _boost_with_means(s: str, scope: Scope, windows: dict, judged: list) -> list:
    """Means mentioned by the writer turn their other signals into a crisis."""
    first_person = [
        j for j in judged
        if j[3] >= CONCERN and "third_person" not in j[4]
        and _RULES[j[0]].category in (None, "suicide", "self_harm", "overdose")
    ]
    if not first_person:
        return []
    spans = [(w[0], w[1], w[3]) for w in windows.values() if w[3]]
    if not spans:
        return []
    boosts = []
    for rule_index, start, end, _, _ in LEXICON.means.find(s, spans):
        rule = _RULES[rule_index]
        rank, notes = context.judge(rule, start, end, scope)
        if rank == CRISIS:
            boosts.append((rule_index, start, end, CRISIS, notes + ("means_with_distress",)))
    return boosts


def warm_up() -> None:
    """Load the lexicon and compile every regex now, not on a member's first posts.

    The app factory calls it once (about a second); calling it again costs
    nothing.  Without it everything is still built, on first use.
    """
    LEXICON.compile_all()
    fold_table()
    context.warm_up()


def assess(text: str) -> Assessment:
    """Assess one post.  Never raises on any ``str``; see the package docs."""
    if not isinstance(text, str):
        raise TypeError(f"assess() needs a str, not {type(text).__name__}")
    if not text or text.isspace():
        return _EMPTY
    # The prefilter: most posts hold no anchor of any phrase, and are let go
    # without being normalised (see scanner.AnchorScanner.prefilter).
    quick = quick_text(text)
    sentences = None
    if quick is not None:
        passes, sentences, quick_bounds = LEXICON.scanner.prefilter(" " + quick)
        if not passes:
            return _EMPTY
    post = text
    offset = 0
    if sentences is not None and text.isascii() and '"' not in text:
        # Normalise only from the first sentence with an anchor to the last:
        # each sentence normalises on its own (a hashtag holds no [.!?;]),
        # the quick text has the same length as the post (hashtags blanked
        # one for one), and no context rule looks beyond a sentence
        # (quotations, which do, stay on the full path; so does the farewell
        # check, below).
        first, last = min(sentences), max(sentences)
        offset = quick_bounds[first - 1] if first else 0
        end = quick_bounds[last] if last < len(quick_bounds) else len(text)
        if offset or end < len(text):
            post = text[offset:end]
            sentences = {k - first: groups for k, groups in sentences.items()}
    # The prefilter found no letters spaced out if it could tell sentences apart.
    norm = normalise(post, spaced=sentences is None)
    s = " " + norm.text
    bounds = [m.start() for m in _BOUNDS.finditer(s)]
    windows = LEXICON.scanner.windows_of(sentences, bounds, len(s)) if sentences is not None else None
    if windows is None:
        windows = LEXICON.scanner.windows(s, bounds)
    found = _find_phrases(s, windows)
    if not found:
        return _EMPTY
    scope = Scope(s, bounds)
    found = _prune(s, bounds, windows, found)
    judged = []
    temporary = None
    # A phrase already judged a crisis, written again by the same rule, changes no verdict: the level is
    # the highest of any phrase, categories and warning signs come by rule, and once the lexicon says
    # crisis, how many phrases its context lowered no longer matters (combined.decide).  Judging each
    # repeat cost a post made of one phrase thousands of times ~0.2 ms a phrase, and listed it to
    # moderators thousands of times.
    settled = set()
    # Likewise a crisis phrase in quotation marks, once the same words of the same rule were judged quoted
    # and still a concern: judge() never lets a quoted phrase rise above concern, so a repeat changes no
    # verdict and is lowered from its rule's crisis whatever else it meets.  Counted as lowered, not judged:
    # 1,250 quotations of one phrase were judged one by one (~20 us each, 28-34 ms a 20,000-character post),
    # since whether each is quoted depends on every quotation mark before it.
    quoted_concerns: set[tuple[int, str]] = set()
    lowered_unjudged = 0
    # The same line written again and again is judged once (context.repeat_key); keys cost a little, so
    # only a post with many phrases makes them.
    judged_alike = {} if len(found) >= PHRASES_WORTH_A_MEMO and context.may_make_keys(scope) else None
    for rule_index, start, end in found:
        said = (rule_index, s[start:end])
        if said in settled:
            continue
        if quoted_concerns and said in quoted_concerns and scope.quote_around(start) is not None:
            lowered_unjudged += 1
            continue
        rule = _RULES[rule_index]
        key = context.repeat_key(rule_index, start, end, scope) if judged_alike is not None else None
        if key is None:
            rank, notes = context.judge(rule, start, end, scope)
        elif (known := judged_alike.get(key)) is not None:
            rank, notes = known
        else:
            rank, notes = judged_alike[key] = context.judge(rule, start, end, scope)
        if rank and rule.kind == "farewell":
            if temporary is None:
                whole = s if post is text else " " + normalise(text).text
                temporary = context.is_temporary_farewell(whole)
            if temporary:
                rank, notes = NONE, notes + ("temporary_break",)
        if rank == CRISIS:
            settled.add(said)
        elif (rank == CONCERN and "quoted" in notes and _LEVEL_RANK[rule.level] == CRISIS
              and QUOTED_REPEATS_JUDGED_ONCE):
            quoted_concerns.add(said)
        judged.append((rule_index, start, end, rank, notes))
    judged.extend(_boost_with_means(s, scope, windows, judged))

    matches = []
    # The same words judged the same way are listed once, where they first appear: a post that repeats a
    # line a thousand times showed moderators (and stored) a thousand matches, and mapping each back to the
    # post's text was a fifth of its time.  Level and categories come out the same.
    listed = set()
    for rule_index, start, end, rank, notes in sorted(judged, key=lambda j: (j[1], j[2])):
        if rank == NONE:
            continue
        same = (rule_index, rank, notes, s[start:end])
        if same in listed:
            continue
        rule = _RULES[rule_index]
        o_start, o_end = norm.span(start - 1, end - 1)
        if o_end <= o_start:
            continue
        listed.add(same)
        o_start += offset
        o_end += offset
        matches.append(Match(
            phrase=text[o_start:o_end],
            category=_CATEGORY.get(rule.category) if rule.category else None,
            level=_LEVEL_OF_RANK[rank],
            start=o_start,
            end=o_end,
            rule=rule.id,
            notes=notes,
        ))
    defused = sum(1 for j in judged if j[3] < _LEVEL_RANK[_RULES[j[0]].level]) + lowered_unjudged
    if not matches:
        return Assessment(defused=defused) if defused else _EMPTY
    level = _LEVEL_OF_RANK[max(_LEVEL_RANK[m.level.value] for m in matches)]
    categories = frozenset(m.category for m in matches if m.category is not None)
    return Assessment(level=level, categories=categories, matches=tuple(matches), defused=defused)
