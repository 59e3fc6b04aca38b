"""Find where a lexicon's phrases may be, fast: the anchor scanner and its prefilter.

The :class:`AnchorScanner` has one regex of all anchors (see anchors.py).  Its
*loose* form reads the raw lower-cased post (the prefilter): most posts hold no
anchor and are let go without being normalised.  It accepts anything that
normalising could turn into an anchor (digits and symbols for letters, any
whitespace between words); letters spaced out are looked for separately.  For
the other posts it tells which sentences hold anchors and which groups of
phrases (phrases.py) to run there, so only those are matched, on the
normalised text.  The anchor regex names one term per position; the groups
run there are those of every term that could match at that position
(:func:`.anchors.co_match`).  Nothing is compiled until first use or
``Lexicon.compile_all``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from .anchors import related_terms
from .patterns import BOUNDARY, GAP, LOOSE_END, build, loose_word_elements, word_elements

if TYPE_CHECKING:
    from .phrases import PhraseFamily

__all__ = ["AnchorScanner", "spaced_text"]


_BOUNDS = re.compile(r"[.!?;]")
# The prefilter's spaced text: every character but letters, digits and "'*@$"
# a space (one for one), so every word start follows a plain space.  "!" and
# "|" go too: normalising reads them as "i" only before a letter (or a digit,
# which it reads as a letter first); texts where they are so, or where a
# letter follows "*" (a word could start there), are left to the normalised
# scan.
_SPACE_OUT = str.maketrans({i: " " for i in range(128) if not (chr(i).isalnum() or chr(i) in "'*@$")})
# The same for ASCII text encoded as bytes (bytes.translate is much faster).
_SPACE_OUT_BYTES = bytes(i if i < 128 and (chr(i).isalnum() or chr(i) in "'*@$") else 32 for i in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SYMBOL_LETTER = re.compile(r"[!|][a-z0-9]")
_STAR_WORD = re.compile(r"\*[a-z]")
_SPACED_LETTERS_RE = re.compile(rb" [a-z] +[a-z] +[a-z](?![a-z0-9])")
_LEAF_GROUP = re.compile(rb"\(\?P<a[0-9]+>\)")


def spaced_text(quick: str) -> bytes:
    """The prefilter's spaced text of a quick text, as ASCII bytes: the same length, every character but an
    ASCII letter, digit or one of "'*@$" a space."""
    if quick.isascii():
        return quick.encode("ascii").translate(_SPACE_OUT_BYTES)
    return _NON_ASCII.sub(" ", quick.translate(_SPACE_OUT)).encode("ascii")


class AnchorScanner:
    """Finds the anchors of some families in one pass (see the module doc).

    Two regexes of all their anchor terms: ``loose`` for the prefilter, on
    raw text, and ``anchor``, exact, on normalised text.  Both try every word
    start (a look-ahead consumes nothing) and name one term per hit; the
    groups to run for it are those of every term that may match at the same
    position.
    """

    def __init__(self, families: list[PhraseFamily], counting: list[PhraseFamily]) -> None:
        self.families = families
        terms = sorted({t for family in families for t in family.groups_of_term})
        self.terms = terms
        related = related_terms(terms)
        self.term_groups: list[tuple] = []
        for i in range(len(terms)):
            per_family = []
            for family in families:
                gids: set[int] = set()
                for j in related[i]:
                    gids |= family.groups_of_term.get(terms[j], set())
                per_family.append(frozenset(gids))
            self.term_groups.append(tuple(per_family))
        # A post passes the prefilter only on a hit that may be a term of a
        # ``counting`` family.
        wanted = {t for family in counting for t in family.groups_of_term}
        self.counts = [any(terms[j] in wanted for j in related[i]) for i in range(len(terms))]
        self._anchor: tuple | None = None
        self._loose: tuple | None = None
        self._unions: dict[frozenset, tuple] = {}  # groups of several hits together

    @staticmethod
    def _leaf_regex(terms: dict[int, list[str]], head: str, tail: str, as_bytes: bool = False) -> tuple:
        """Compile {term index: elements} into (regex, term index of each capturing group)."""
        body = build(list(terms.values()), [f"a{i}" for i in terms]) if terms else "(?!)"
        pattern = head + body + tail
        regex = re.compile(pattern.encode("ascii") if as_bytes else pattern)
        term_of = [-1] * (regex.groups + 1)
        for name, number in regex.groupindex.items():
            term_of[number] = int(name[1:])
        return regex, term_of

    @property
    def anchor(self) -> tuple:
        """(regex, term index of each capturing group): every anchor, one per word start."""
        if self._anchor is None:
            sequences = {}
            for index, term in enumerate(self.terms):
                elements: list[str] = []
                for n, word in enumerate(term):
                    if n:
                        elements.append(GAP)
                    elements.extend(word_elements(word))
                if not term[-1].endswith("*"):
                    elements.append("(?![a-z])")
                sequences[index] = elements
            self._anchor = self._leaf_regex(sequences, BOUNDARY + "(?=", ")")
        return self._anchor

    @property
    def loose(self) -> tuple:
        """(regex, counts, groups, scan) for the prefilter: per capturing group
        of the regex, whether its term counts and the term's groups per family.

        It reads the spaced text of :meth:`prefilter` (ASCII, as bytes), where
        every character that is not a letter, a digit, "'", "*", "@" or "$"
        is a space, and matches anything there that could be an anchor once
        normalised: it accepts more than the anchors (digits and symbols for
        letters, any run of spaces between words), never less.  The pattern
        starts with a plain space, which the regex engine looks for fastest.
        """
        if self._loose is None:
            sequences = {}
            for index, term in enumerate(self.terms):
                elements: list[str] = []
                for n, word in enumerate(term):
                    if n:
                        elements.append(" +")
                    elements.extend(loose_word_elements(word))
                if not term[-1].endswith("*"):
                    elements.append(LOOSE_END)
                sequences[index] = elements
            regex, term_of = self._leaf_regex(sequences, " (?=", ")", as_bytes=True)
            # Per capturing group: does its term count, and its groups.
            counts = [False] * len(term_of)
            groups = [()] * len(term_of)
            for number, term in enumerate(term_of):
                if term >= 0:
                    counts[number] = self.counts[term]
                    groups[number] = self.term_groups[term]
            # For a faster first search (most posts have no hit at all): the
            # same regex without its (empty) named groups or the look-ahead.
            # It matches where the other does, so its first hit is theirs.
            scan = re.compile(b" " + _LEAF_GROUP.sub(b"", regex.pattern)[len(" (?="):-1])
            self._loose = (regex, counts, groups, scan)
        return self._loose

    def prefilter(self, quick: str) -> tuple:
        """Read the quick text (with a leading space): may it hold a phrase, and where?

        Returns (False, None, None) if no phrase can be there.  Else True,
        {sentence index: a set of group ids per family} for the sentences
        that may hold anchors (a sentence's index is the number of [.!?;]
        before it, the same in the normalised text), and the positions of
        those [.!?;] in ``quick``; or True, None, None if sentences cannot be
        told apart before normalising, or a word may start after a symbol
        (letters spaced out, "!", "|" or "*" beside a letter): then normalise
        and scan the normalised text.
        """
        if ("!" in quick or "|" in quick) and _SYMBOL_LETTER.search(quick):
            return True, None, None
        if "*" in quick and _STAR_WORD.search(quick):
            return True, None, None
        spaced = spaced_text(quick)
        # Letters spaced out are joined only by normalising, and may spell
        # anything.  (A separate search: as a branch of the loose regex it
        # would slow every word down.)
        if _SPACED_LETTERS_RE.search(spaced):
            return True, None, None
        regex, counts, groups, scan = self.loose
        first = scan.search(spaced)
        if first is None:
            return False, None, None
        hits = [(m.start(), m.lastindex) for m in regex.finditer(spaced, first.start())]
        if not hits or not any(map(counts.__getitem__, [number for _, number in hits])):
            return False, None, None
        bounds = []
        if "." in quick or "!" in quick or "?" in quick or ";" in quick:
            bounds = [m.start() for m in _BOUNDS.finditer(quick)]
            numbers: dict[int, set[int]] = {}  # sentence index -> capturing groups hit
            for at, number in hits:
                k = bisect_right(bounds, at)
                if k in numbers:
                    numbers[k].add(number)
                else:
                    numbers[k] = {number}
        else:
            numbers = {0: {number for _, number in hits}}
        found: dict[int, tuple] = {}
        unions = self._unions
        for k, hit in numbers.items():
            if len(hit) == 1:
                found[k] = groups[hit.pop()]
                continue
            key = frozenset(hit)
            union = unions.get(key)
            if union is None:
                if len(unions) > 10_000:
                    unions.clear()
                union = unions[key] = tuple(
                    frozenset().union(*per_family) for per_family in zip(*(groups[n] for n in hit), strict=True))
            found[k] = union
        return True, found, bounds

    def windows(self, text: str, bounds: list[int]) -> dict[int, list]:
        """The sentences of normalised ``text`` holding anchors, with the groups to run there.

        Returns {left: [left, right, a set of group ids per family]}; ``left``
        is the position of the punctuation before the sentence (or 0),
        ``right`` that of the punctuation after it (or the end).
        """
        regex, term_of = self.anchor
        term_groups = self.term_groups
        n_bounds = len(bounds)
        end = len(text)
        found: dict[int, list] = {}
        for m in regex.finditer(text):
            at = m.end()
            i = bisect_right(bounds, at)
            left = bounds[i - 1] if i else 0
            window = found.get(left)
            groups = term_groups[term_of[m.lastindex]]
            if window is None:
                found[left] = [left, bounds[i] if i < n_bounds else end, *(set(g) for g in groups)]
            else:
                for k, g in enumerate(groups, 2):
                    if g:
                        window[k] |= g
        return found

    @staticmethod
    def windows_of(found: dict[int, list], bounds: list[int], end: int) -> dict[int, list] | None:
        """:meth:`prefilter`'s sentences as :meth:`windows` of the normalised text."""
        n_bounds = len(bounds)
        windows = {}
        for k, groups in found.items():
            if k > n_bounds:
                return None  # cannot happen while the sentences agree; be safe
            left = bounds[k - 1] if k else 0
            windows[left] = [left, bounds[k] if k < n_bounds else end, *groups]
        return windows
