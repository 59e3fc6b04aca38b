"""The lexicon's pattern language: parse phrase patterns and compile them to regex.

Lexicon phrases and cues are written in a small language rather than as raw
regexes, so the people who keep the lexicon never write a regex and every
phrase gets the same tolerance for obfuscation.  This module is the whole
language: tokeniser, parser, the regex fragment of each word (exact, and the
loose form the prefilter reads raw text with), and the prefix-tree builder
that merges many phrases into one regex.  It knows nothing of rules,
anchors or scanning.

Phrase syntax (see the header of lexicon.toml for examples):

* words separated by single spaces; in text they may be separated by a space
  or a comma;
* ``(a|b c|d)`` alternatives (each may be several words; groups may nest);
* a ``?`` after a word or group makes it optional;
* ``{name}`` inserts the alternatives of slot ``name`` from ``[slots]``;
* ``~N`` skips up to N arbitrary words (N is one digit);
* a trailing ``*`` on a word accepts any ending ("suicid*");
* ``'`` in a word is optional ("don't" also matches "dont"); ``''`` is an
  apostrophe that must be there ("od''d" matches "od'd" but never "odd");
  ``-`` in a word
  may be a hyphen, a space or nothing ("self-harm");
* ``<num>`` is a number in digits or words, ``<year>`` a year like 2016;
* ``^`` as the first token / ``$`` as the last: the phrase must start / end a
  sentence (checked after matching, by the caller).

Every letter accepts repeats ("diiieee"), a double letter also matches a
single one ("kil"), except a double consonant in a word of three letters or
fewer ("off myself" must not match "proud of myself"), and every vowel after a word's first
letter also accepts ``*`` ("k*ll").  No quantifier is nested inside another
quantifier over the same characters, so matching stays linear.

A parsed pattern is a list of alternatives; each alternative is a sequence
of items: ("word", w), ("alt", [sequence, ...]), ("opt", item), ("skip", n)
or ("raw", regex).
"""

from __future__ import annotations

import re

__all__ = [
    "GAP",
    "BOUNDARY",
    "VOWELS",
    "LOOSE_END",
    "parse_pattern",
    "word_elements",
    "loose_word_elements",
    "lead",
    "build",
    "dfs_order",
]

GAP = "(?: |, ?)"
BOUNDARY = "[^a-z0-9']"
#: Words this short keep their double consonants: one letter fewer is often another word ("off" / "of").
SHORT_WORD = 3
_WORD_CHARS = "[a-z0-9'*]"
VOWELS = set("aeiouy")
_NUM_WORDS = (
    "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "fifteen|twenty|thirty|few|several|many|a few|a couple of|couple of"
)
_SPECIAL = {
    "<num>": "(?:[0-9]+|" + _NUM_WORDS.replace(" ", GAP) + ")",
    "<year>": "(?:19|20)[0-9][0-9]",
}
_TOKEN = re.compile(r"\s+|[()|?]|~[0-9]|\{[a-z_]+\}|<[a-z]+>|[^\s()|?{}<>~]+")


# --- parsing ---------------------------------------------------------------

_GLUED_GROUP = re.compile(r"[^\s(|]\(|\)[^\s)|?]")


def _tokenise(pattern: str) -> list[str]:
    if _GLUED_GROUP.search(pattern):
        raise ValueError(f"a group must stand alone as a word in {pattern!r}")
    tokens = [t for t in _TOKEN.findall(pattern.strip().lower()) if not t.isspace()]
    if "".join(tokens) != "".join(pattern.lower().split()):
        raise ValueError(f"cannot parse lexicon pattern {pattern!r}")
    return tokens


class _Parser:
    def __init__(self, pattern: str, slots: dict[str, str]) -> None:
        self.pattern = pattern
        self.tokens = _tokenise(pattern)
        self.pos = 0
        self.slots = slots

    def parse(self) -> list:
        alts = self._alternatives()
        if self.pos != len(self.tokens):
            raise ValueError(f"unbalanced lexicon pattern {self.pattern!r}")
        return alts

    def _alternatives(self) -> list:
        alts = [self._sequence()]
        while self.pos < len(self.tokens) and self.tokens[self.pos] == "|":
            self.pos += 1
            alts.append(self._sequence())
        return alts

    def _sequence(self) -> list:
        items = []
        while self.pos < len(self.tokens) and self.tokens[self.pos] not in ("|", ")"):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok == "(":
                item = ("alt", self._alternatives())
                if self.pos >= len(self.tokens) or self.tokens[self.pos] != ")":
                    raise ValueError(f"missing ')' in lexicon pattern {self.pattern!r}")
                self.pos += 1
            elif tok.startswith("{"):
                name = tok[1:-1]
                if name not in self.slots:
                    raise ValueError(f"unknown slot {name!r} in {self.pattern!r}")
                item = ("alt", _Parser(self.slots[name], self.slots).parse())
            elif tok.startswith("~"):
                item = ("skip", int(tok[1:]))
            elif tok in _SPECIAL:
                item = ("raw", _SPECIAL[tok])
            elif tok == "?":
                raise ValueError(f"stray '?' in lexicon pattern {self.pattern!r}")
            else:
                item = ("word", tok)
            if self.pos < len(self.tokens) and self.tokens[self.pos] == "?":
                self.pos += 1
                item = ("opt", item)
            items.append(item)
        if not items:
            raise ValueError(f"empty alternative in lexicon pattern {self.pattern!r}")
        return items


def parse_pattern(pattern: str, slots: dict[str, str]) -> list:
    """Parse a pattern into its alternatives, each a sequence of items."""
    return _Parser(pattern, slots).parse()


# --- compiling -------------------------------------------------------------

def _spelling(word: str) -> tuple[list[tuple[str, str, int]], bool]:
    """A pattern word as the units both compilers spell out, and whether it ends in a stem ``*``.

    Each unit is (kind, character, position): "letter" (one letter, repeatable in text; a double letter
    is one unit, so "kill" also matches "kil"), "double" (a short word's double consonant, which must be
    there twice), "'" / "''" (an optional / a required apostrophe), "-", or "char" (taken literally).
    """
    stem = word.endswith("*") and len(word) > 1
    if stem:
        word = word[:-1]
    short = len(word) <= SHORT_WORD and not stem
    units: list[tuple[str, str, int]] = []
    prev = ""
    for i, ch in enumerate(word):
        if ch == prev and ch.isalpha():
            if short and ch not in VOWELS:  # "off" needs both f's: "of" is another word
                units[-1] = ("double", ch, units[-1][2])
            continue
        if ch == "'" and prev == "'":
            units[-1] = ("''", ch, units[-1][2])
            prev = ""
            continue
        prev = ch
        kind = "letter" if ch.isalpha() else ch if ch in "'-" else "char"
        units.append((kind, ch, i))
    return units, stem


def _spell(units: list[tuple[str, str, int]], letter, hyphen: str) -> list[str]:
    """Regex fragments for the units; `letter(ch, position)` gives the pattern for one letter."""
    out = []
    for kind, ch, i in units:
        if kind in ("letter", "double"):
            one = letter(ch, i)
            out.append(f"{one}{one}{one}*" if kind == "double" else f"{one}{one}*")
        elif kind == "'":
            out.append("'?")
        elif kind == "''":
            out.append("'")
        elif kind == "-":
            out.append(hyphen)
        else:
            out.append(re.escape(ch))
    return out


def word_elements(word: str) -> list[str]:
    """One regex fragment per letter, each starting with a literal or a set."""
    units, stem = _spelling(word)
    out = _spell(units, lambda ch, i: f"[{ch}*]" if i > 0 and ch in VOWELS else ch, "(?:-| )?")
    if stem:
        out.append("[a-z]*")
    return out


_ALT_CACHE: dict[str, str] = {}


def _item_regex(item) -> str:
    """Regex for one non-leading item (a group becomes one sub-tree)."""
    kind, value = item
    if kind == "word":
        return "".join(word_elements(value))
    if kind == "alt":
        key = repr(value)
        if key not in _ALT_CACHE:
            lists = [el for seq in value for el in lead(seq)]
            _ALT_CACHE[key] = "(?:" + build(lists) + ")"
        return _ALT_CACHE[key]
    if kind == "raw":
        return value
    raise ValueError(f"unexpected item {item!r}")


def _tail(items: list) -> list[str]:
    """Elements for the items after the first one of a sequence."""
    elements: list[str] = []
    for item in items:
        kind = item[0]
        if kind == "skip":
            elements.append(f"(?:{GAP}{_WORD_CHARS}+){{0,{item[1]}}}")
        elif kind == "opt":
            elements.append(f"(?:{GAP}{_item_regex(item[1])})?")
        elif kind == "word":
            elements.append(GAP)
            elements.extend(word_elements(item[1]))
        else:
            elements.append(GAP + _item_regex(item))
    return elements


def lead(seq: list) -> list[list[str]]:
    """Compile a sequence into element lists that each start with a literal.

    A leading optional item is split into "with" and "without"; a leading
    group is split by first letter, so the rest of the phrase is copied once
    per distinct first letter rather than once per alternative.  Branches that
    start with a literal let the regex engine skip them after one comparison.
    """
    first, rest = seq[0], seq[1:]
    kind = first[0]
    if kind == "opt":
        out = lead([first[1]] + rest)
        return out + lead(rest) if rest else out
    if kind == "skip":
        raise ValueError("a phrase cannot start with ~N")
    tail = _tail(rest)
    if kind == "word":
        return [word_elements(first[1]) + tail]
    if kind == "raw":
        return [[first[1]] + tail]
    buckets: dict[str, list[list[str]]] = {}
    for alt in first[1]:
        for elements in lead(alt):
            buckets.setdefault(elements[0], []).append(elements[1:])
    out = []
    for head, remainders in buckets.items():
        if len(remainders) == 1:
            middle = remainders[0]
        else:
            middle = ["(?:" + build(remainders) + ")"]
        out.append([head] + middle + tail)
    return out


def _prefix_tree(sequences: list[list[str]]) -> dict:
    """Sequences merged element by element; the key None marks where sequence i ends (the first one, if
    several are equal). Dicts keep insertion order, which is the order build emits and dfs_order counts."""
    root: dict = {}
    for index, elements in enumerate(sequences):
        node = root
        for el in elements:
            node = node.setdefault(el, {})
        node.setdefault(None, index)
    return root


def build(sequences: list[list[str]], names: list[str] | None = None) -> str:
    """Merge element sequences into a prefix tree and emit it as one regex.

    With ``names``, each sequence ends in an empty named group (``names[i]``
    for sequence i) so a match tells which sequence it was; a sequence equal
    to an earlier one is dropped.  Branches keep the order in which their
    first sequence was added.
    """
    root = _prefix_tree(sequences)

    def emit(node: dict) -> str:
        branches = [el + emit(child) for el, child in node.items() if el is not None]
        if None in node:
            branches.append(f"(?P<{names[node[None]]}>)" if names is not None else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(root)


def dfs_order(sequences: list[list[str]]) -> list[int]:
    """Each sequence's position in the order a merged prefix-tree regex tries them.

    Duplicates of an earlier sequence get no position (-1): the merged regex
    never reports them.
    """
    root = _prefix_tree(sequences)
    order = [-1] * len(sequences)
    count = 0
    # Iterative depth-first walk: children in insertion order, then the leaf
    # that ends at this node (as emitted by build).
    work: list = [(root, False)]
    while work:
        node, leaf_only = work.pop()
        if leaf_only:
            order[node[None]] = count
            count += 1
            continue
        if None in node:
            work.append((node, True))
        for el in reversed([el for el in node if el is not None]):
            work.append((node[el], False))
    return order


# --- loose word elements (the prefilter, on raw text) ----------------------

_LEET = {"a": "a4@", "e": "e3", "i": "i1", "o": "o0", "s": "s5$", "t": "t7"}
# The end of a word: normalising reads a digit after a letter as a letter,
# and so "@" or "$" before a letter, so none of them ends a word.
LOOSE_END = "(?![a-z0-9]|[@$][a-z])"


def loose_word_elements(word: str) -> list[str]:
    """Like word_elements, but also accepting what normalising would undo.

    Digits and symbols stand for the letters they can spell ("k1ll", "$elf"),
    "-" accepts any gap, and a stem matches its beginning alone.
    """
    units, _stem = _spelling(word)
    return _spell(units, _loose_letter, " *")


def _loose_letter(ch: str, position: int) -> str:
    chars = _LEET.get(ch, ch) + ("*" if position > 0 and ch in VOWELS else "")
    return f"[{chars}]" if len(chars) > 1 else ch

