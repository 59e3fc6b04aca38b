"""Text normalisation for the crisis detector, with a map back to the original.

The matcher works on a *normalised* copy of a post: lower case, accents and
look-alike letters folded to plain ASCII, digits and symbols used as letters
("k1ll", "h@rm") read as letters, letters spaced out with separators ("k.i.l.l",
"d i e") joined up, hashtags blanked out, and every run of whitespace turned into
one space.  Repeated letters ("diiieee") are left alone: the compiled lexicon
patterns accept any number of repeats, and a ``*`` standing in for a vowel.

Every pass that changes the length of the text records where it did so, so a
span found in the normalised text can be mapped back to the exact characters of
the original post (for highlighting).  All passes are C-speed ``str``/``re``
operations; Python code only runs per edit, and edits are rare.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right

__all__ = ["Normalised", "normalise", "quick_text", "fold_table"]

# A placeholder that the edit pass deletes (zero-width characters and
# combining marks are folded to it first, which keeps the folding pass
# length-preserving).
_JOINER = "\x00"


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x80, 0x2C00):
        ch = chr(cp)
        if unicodedata.combining(ch):
            table[cp] = _JOINER
            continue
        base = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in base if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base.isascii() and base.isalpha():
            table[cp] = base
    # Full-width ASCII forms.
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = chr(cp - 0xFEE0).lower()
    # Cyrillic and Greek letters that look like Latin ones.
    for src, dst in zip("асеорхуікмтвнїєαειορτυνκ", "aceopxyikmtbhieaeioptvnk", strict=True):
        table[ord(src)] = dst
    for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0x0060, 0x00B4):
        table[cp] = "'"
    for cp in (0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB):
        table[cp] = '"'
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212):
        table[cp] = "-"
    for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xFE0F, 0xFE0E):
        table[cp] = _JOINER
    for cp in range(0x80, 0x3001):
        if chr(cp).isspace():
            table[cp] = " "
    table[0x2026] = "."  # ellipsis character
    table[0] = " "
    return table


# Built on first use (see fold_table): the table, and a regex of runs of the
# characters it folds.  Most posts have a few such characters among plain
# ASCII, and translating just those runs is much faster than the whole post.
_FOLD: tuple[dict[int, str], re.Pattern] | None = None


def fold_table() -> tuple[dict[int, str], re.Pattern]:
    """The folding table and its regex, built on first use (or by ``detector.warm_up()``)."""
    global _FOLD
    if _FOLD is None:
        table = _build_fold_table()
        # Beyond ASCII, and the few ASCII characters the table folds too.
        ascii_folded = "".join(re.escape(chr(cp)) for cp in sorted(table) if cp < 0x80)
        _FOLD = (table, re.compile(f"[^\\x00-\\x7f]+|[{ascii_folded}]+"))  # one assignment: thread-safe
    return _FOLD


# Typographic quotes, dashes, the ellipsis and the no-break space are most of
# the characters beyond ASCII in posts: str.replace folds them at C speed.
# (Each folds to a character the table leaves alone, so the result is that of
# one pass of the table.)
_TYPOGRAPHIC = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2026": ".", "\u2014": "-",
                "\u2013": "-", "\u00a0": " "}


def _fold(text: str) -> str:
    """Fold accents, full-width and look-alike letters (one char per char)."""
    table, runs = fold_table()
    for char, folded in _TYPOGRAPHIC.items():
        if char in text:
            text = text.replace(char, folded)
    return runs.sub(lambda m: m.group().translate(table), text)


# Digits and symbols read as letters when they sit inside a word.
_LEET_DIGITS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_SYMBOL = {"@": "a", "$": "s", "!": "i", "|": "i"}
# The runs of digits the replacement may change: those beside a letter (or
# a character like one: the replacement checks).  Whole runs only.
_DIGITS_BY_LETTER = re.compile(r"[0-9](?<![0-9][0-9])(?:(?<=[^\W\d_][0-9])[0-9]*|[0-9]*(?=[^\W\d_]))")
_SYMBOL_BEFORE_LETTER = re.compile(r"[@$!|](?=[a-z])")
# A number with a unit or suffix ("3am", "10mg", "2nd") is left alone.
_NUMBER_WITH_UNIT = re.compile(r"[0-9]+[a-z]{0,4}")
_WORD_AROUND = re.compile(r"[a-z0-9]*")

# Passes that may change the length: hashtags and emoji, then whitespace and
# joiners (after the first pass, which can leave double spaces behind).
_TAG = re.compile(r"#[\w'\-]*")
_PILL = re.compile("\U0001F48A+")
_JOINERS = re.compile(r"\x00+")
_DOUBLE_SPACE = re.compile(r"  +")
_WHITESPACE = str.maketrans("\t\n\r\f\v\x1c\x1d\x1e\x1f", "         ")
# Letters spaced out with separators, at least three of them: "k i l l".
_SPACED = re.compile(r"(?<![\w'*])[a-z](?:(?: |[.\-_~/] ?)[a-z]){2,}(?![\w'*])")
_SPACED_HINT = re.compile(r"[^a-z0-9'*][a-z](?: |[.\-_~/] ?)[a-z](?: |[.\-_~/] ?)[a-z](?![a-z0-9])")
_SPACED_SEPARATORS = re.compile(r"[ .\-_~/]")


class Normalised:
    """A normalised post plus the offset map back to the original text."""

    __slots__ = ("original", "text", "_passes", "_maps")

    def __init__(self, original: str, text: str, passes: list) -> None:
        self.original = original
        self.text = text
        # The length-changing passes that changed something, in the order
        # they ran: (their input, regex, replacement).  Their maps are made
        # only if a span is asked for (most posts never need one).
        self._passes = passes
        self._maps = None

    def _to_original(self, pos: int, is_end: bool) -> int:
        if self._maps is None:
            # One map per pass.  A map is four parallel lists describing
            # segments of the pass output: where each starts (new), where its
            # source starts and ends (old), and whether it is a replacement
            # (any offset inside maps to its edges).
            self._maps = [_apply_edits(text, regex, replace)[1] for text, regex, replace in self._passes]
        for new_starts, old_starts, old_ends, replaced in reversed(self._maps):
            if is_end:
                i = bisect_left(new_starts, pos) - 1
            else:
                i = bisect_right(new_starts, pos) - 1
            if i < 0:
                i = 0
            if replaced[i]:
                pos = old_ends[i] if is_end else old_starts[i]
            else:
                pos = old_starts[i] + (pos - new_starts[i])
        return pos

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span to the original text."""
        if self._passes:
            start, end = self._to_original(start, False), self._to_original(end, True)
        n = len(self.original)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        # Trim whitespace the span picked up at its edges.
        original = self.original
        while end > start and original[end - 1].isspace():
            end -= 1
        while start < end and original[start].isspace():
            start += 1
        return start, end


def _fold_case(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case to two ("İ"); keep one char per char.
    return "".join(low if len(low) == 1 else ch for ch, low in ((c, c.lower()) for c in text))


class _LeetDigits:
    """The replacement for each run of digits: letters inside a word, unless the word is a number.

    Remembers the last word it read, so that a long word with many numbers
    in it is read once, not once per number (linear time).
    """

    __slots__ = ("word_start", "alnum_to", "is_number")

    def __init__(self) -> None:
        self.word_start = 0
        self.alnum_to = -1  # text[word_start:alnum_to] is all letters and digits
        self.is_number = False

    def __call__(self, match: re.Match) -> str:
        text = match.string
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalpha() or after.isalpha()):
            return match.group(0)
        if self.alnum_to < 0 or not text[self.alnum_to:start].isalnum():
            word_start = start
            while word_start and text[word_start - 1].isalnum():
                word_start -= 1
            self.word_start = word_start
            self.is_number = _NUMBER_WITH_UNIT.fullmatch(_WORD_AROUND.match(text, word_start).group(0)) is not None
        self.alnum_to = end
        if self.is_number:
            return match.group(0)
        return match.group(0).translate(_LEET_DIGITS)


def _leet_symbol(match: re.Match) -> str:
    text = match.string
    start = match.start()
    symbol = match.group(0)
    before = text[start - 1] if start else " "
    if before.isalpha() or (symbol in "@$" and not before.isalnum()):
        return _LEET_SYMBOL[symbol]
    return symbol


def _apply_edits(text: str, regex: re.Pattern, replace) -> tuple[str, list | None]:
    """Run a length-changing pass; return the new text and its segment map."""
    pieces: list[str] = []
    new_starts: list[int] = []
    old_starts: list[int] = []
    old_ends: list[int] = []
    replaced: list[bool] = []
    last = 0
    out = 0
    for m in regex.finditer(text):
        start, end = m.span()
        repl = replace(m)
        if repl == text[start:end]:
            continue
        if start > last or not new_starts:
            new_starts.append(out)
            old_starts.append(last)
            old_ends.append(start)
            replaced.append(False)
            pieces.append(text[last:start])
            out += start - last
        new_starts.append(out)
        old_starts.append(start)
        old_ends.append(end)
        replaced.append(True)
        pieces.append(repl)
        out += len(repl)
        last = end
    if not new_starts:
        return text, None
    new_starts.append(out)
    old_starts.append(last)
    old_ends.append(len(text))
    replaced.append(False)
    pieces.append(text[last:])
    return "".join(pieces), [new_starts, old_starts, old_ends, replaced]


def _pill_word(m: re.Match) -> str:
    return " pills "


def _drop(m: re.Match) -> str:
    return ""


def _one_space(m: re.Match) -> str:
    return " "


# The same replacements as plain strings, for ``re.sub`` at C speed.
_AS_STRING = {_pill_word: " pills ", _drop: "", _one_space: " "}


def _spaced_replacement(m: re.Match) -> str:
    return _SPACED_SEPARATORS.sub("", m.group(0))


def normalise(text: str, spaced: bool = True) -> Normalised:
    """Normalise ``text`` for matching; see the module docstring.

    Each pass runs only when a cheap test says it can change something.
    ``spaced=False`` skips looking for letters spaced out, for a caller that
    already knows there are none.
    """
    norm = _fold_case(text)
    ascii_only = norm.isascii()
    passes = []

    def run(regex: re.Pattern, replace) -> None:
        nonlocal norm
        new = regex.sub(_AS_STRING.get(replace, replace), norm)
        if new != norm:
            passes.append((norm, regex, replace))
            norm = new

    if "#" in norm:
        run(_TAG, _one_space)
    if not ascii_only and "\U0001F48A" in norm:
        run(_PILL, _pill_word)
    if not ascii_only:
        norm = _fold(norm)
        if "\x00" in norm:
            run(_JOINERS, _drop)
    if "\n" in norm or "\t" in norm or "\r" in norm or "\f" in norm or "\v" in norm:
        norm = norm.translate(_WHITESPACE)
    if "  " in norm:
        run(_DOUBLE_SPACE, _one_space)
    norm = _DIGITS_BY_LETTER.sub(_LeetDigits(), norm)
    if "@" in norm or "$" in norm or "!" in norm or "|" in norm:
        norm = _SYMBOL_BEFORE_LETTER.sub(_leet_symbol, norm)
    if spaced and _SPACED_HINT.search(" " + norm):
        run(_SPACED, _spaced_replacement)
    return Normalised(text, norm, passes)


def _blank(m: re.Match) -> str:
    return " " * (m.end() - m.start())


def quick_text(text: str) -> str | None:
    """``text`` lower-cased, hashtags blanked, accents, look-alikes and joiners folded.

    For the detector's prefilter, which must see every letter the full
    normalisation would produce, and the sentence punctuation [.!?;] in the
    same order.  Hashtags become one space per character, so an ASCII post
    keeps its length (the detector relies on that); no offsets are kept for
    the rest (joiners dropped), and digits, symbols, whitespace and spacing
    are left to the prefilter (scanner.AnchorScanner).
    None when the cheap fold cannot be sure (a pill emoji): the caller then
    normalises in full.
    """
    low = _fold_case(text)
    if "#" in low:
        low = _TAG.sub(_blank, low)
    if low.isascii():
        return low
    if "\U0001F48A" in low:
        return None
    low = _fold(low)
    if "\x00" in low:
        low = low.replace("\x00", "")
    return low
