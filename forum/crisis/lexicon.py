"""Load ``lexicon.toml`` and compile it into regular expressions, once, at import.

Phrase syntax (see the header of lexicon.toml for examples):

* words separated by single spaces; in text they may be separated by a space
  or a comma;
* ``(a|b c|d)`` alternatives (each may be several words; groups may nest);
* a ``?`` after a word or group makes it optional;
* ``{name}`` inserts the alternatives of slot ``name`` from ``[slots]``;
* ``~N`` skips up to N arbitrary words (N is one digit);
* a trailing ``*`` on a word accepts any ending ("suicid*");
* ``'`` in a word is optional ("don't" also matches "dont"); ``-`` in a word
  may be a hyphen, a space or nothing ("self-harm");
* ``<num>`` is a number in digits or words, ``<year>`` a year like 2016;
* ``^`` as the first token / ``$`` as the last: the phrase must start / end a
  sentence (checked after matching).

Every letter accepts repeats ("diiieee"), and every vowel after a word's first
letter also accepts ``*`` ("k*ll").  The patterns of one family are merged into
a prefix tree and emitted as a single regex whose branches start with literal
characters, so the engine dispatches on one character instead of trying every
phrase at every word.  No quantifier is nested inside another quantifier over
the same characters, so matching stays linear.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Rule", "Lexicon", "LEXICON", "load_lexicon"]

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")

GAP = "(?: |, ?)"
_WORD_CHARS = "[a-z0-9'*]"
_VOWELS = set("aeiouy")
_NUM_WORDS = (
    "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "fifteen|twenty|thirty|few|several|many|a few|a couple of|couple of"
)
_SPECIAL = {
    "<num>": "(?:[0-9]+|" + _NUM_WORDS.replace(" ", GAP) + ")",
    "<year>": "(?:19|20)[0-9][0-9]",
}
_TOKEN = re.compile(r"\s+|[()|?]|~[0-9]|\{[a-z_]+\}|<[a-z]+>|[^\s()|?{}<>~]+")


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


# --- parsing ---------------------------------------------------------------

def _tokenise(pattern: str) -> list[str]:
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


# --- compiling -------------------------------------------------------------

def _word_elements(word: str) -> list[str]:
    """One regex fragment per letter, each starting with a literal or a set."""
    out: list[str] = []
    stem = word.endswith("*") and len(word) > 1
    if stem:
        word = word[:-1]
    prev = ""
    for i, ch in enumerate(word):
        if ch == prev and ch.isalpha():
            continue  # "ll" -> one "l" that repeats
        prev = ch
        if ch.isalpha():
            if i > 0 and ch in _VOWELS:
                out.append(f"[{ch}*][{ch}*]*")
            else:
                out.append(f"{ch}{ch}*")
        elif ch == "'":
            out.append("'?")
        elif ch == "-":
            out.append("(?:-| )?")
        elif ch.isdigit():
            out.append(ch)
        else:
            out.append(re.escape(ch))
    if stem:
        out.append("[a-z]*")
    return out


_ALT_CACHE: dict[str, str] = {}


def _item_regex(item) -> str:
    """Regex for one non-leading item (a group becomes one sub-tree)."""
    kind, value = item
    if kind == "word":
        return "".join(_word_elements(value))
    if kind == "alt":
        key = repr(value)
        if key not in _ALT_CACHE:
            lists = [el for seq in value for el in _lead(seq)]
            _ALT_CACHE[key] = "(?:" + _build(lists, leaves=None) + ")"
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
            elements.extend(_word_elements(item[1]))
        else:
            elements.append(GAP + _item_regex(item))
    return elements


def _lead(seq: list) -> list[list[str]]:
    """Compile a sequence into element lists that each start with a literal.

    A leading optional item is split into "with" and "without"; a leading
    group is split by first letter, so the rest of the phrase is copied once
    per distinct first letter rather than once per alternative.  Branches that
    start with a literal let the regex engine skip them after one comparison.
    """
    first, rest = seq[0], seq[1:]
    kind = first[0]
    if kind == "opt":
        out = _lead([first[1]] + rest)
        return out + _lead(rest) if rest else out
    if kind == "skip":
        raise ValueError("a phrase cannot start with ~N")
    tail = _tail(rest)
    if kind == "word":
        return [_word_elements(first[1]) + tail]
    if kind == "raw":
        return [[first[1]] + tail]
    buckets: dict[str, list[list[str]]] = {}
    for alt in first[1]:
        for elements in _lead(alt):
            buckets.setdefault(elements[0], []).append(elements[1:])
    out = []
    for head, remainders in buckets.items():
        if len(remainders) == 1:
            middle = remainders[0]
        else:
            middle = ["(?:" + _build(remainders, leaves=None) + ")"]
        out.append([head] + middle + tail)
    return out


def _build(sequences: list[list[str]], leaves: list | None) -> str:
    """Merge element sequences into a prefix tree and emit it as one regex."""
    root: dict = {}
    for index, elements in enumerate(sequences):
        node = root
        for el in elements:
            node = node.setdefault(el, {})
        node.setdefault(None, index)

    def emit(node: dict) -> str:
        branches = [el + emit(child) for el, child in node.items() if el is not None]
        if None in node:
            branches.append(f"(?P<t{node[None]}>)" if leaves is not None else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(root)


# Words too common to anchor a phrase on; see _anchors().
_COMMON = frozenset("""
i i'm im i've ive i'll ill i'd id me my myself mine we you your he she they it
he's she's they're his her him them their the a an and or of to in on at by for
from with is am are was were be been being have has had got get do does did
don't dont can not no so just all this that what how if but
again now today tonight one about will would won't wont could should want wanna
wants wanting going gonna feel feeling like up out really more much too every
some any keep keeps know think thinking thought go take took make there here
""".split())
# Fairly common words: used as anchors only when nothing rarer is mandatory.
_MEDIUM = frozenset("""
being anymore see way why never night day time back use used stop things
everything something top hand doing longer said saying tell thank sorry hate
care miss dark looking tried try trying lost away whole start need wish better
world reason life own off alive ready plan last home gets than done people
can't cant cannot
""".split())


def _weight(word: str) -> int:
    word = word.rstrip("*")
    return 10 if word in _COMMON else 1 if word in _MEDIUM else 0


def _anchors(seq: list) -> frozenset[str] | None:
    """Words of which any match of ``seq`` must contain at least one.

    Picks the mandatory item whose alternatives are fewest and least common.
    Returns None if no item can anchor the sequence.
    """
    best = None
    best_score = None
    for item in seq:
        kind = item[0]
        if kind == "word":
            words = frozenset([item[1]])
        elif kind == "alt":
            sets = [_anchors(alt) for alt in item[1]]
            if any(x is None for x in sets):
                continue
            words = frozenset().union(*sets)
        else:
            continue
        score = (sum(_weight(w) for w in words), len(words))
        if best_score is None or score < best_score:
            best, best_score = words, score
    return best


class _Family:
    """All phrases of a set of rules, compiled into one overlapping matcher."""

    def __init__(self, entries: list[tuple[int, str, str]], slots: dict[str, str]) -> None:
        sequences: list[list[str]] = []
        self.leaves: list[tuple[int, bool, bool]] = []
        anchor_words: set[str] = set()
        for rule_index, rule_id, pattern in entries:
            starts = pattern.lstrip().startswith("^")
            ends = pattern.rstrip().endswith("$")
            body = pattern.strip().lstrip("^").rstrip("$")
            for alt in _Parser(body, slots).parse():
                words = _anchors(alt)
                if words is None:
                    raise ValueError(f"no anchor word in {rule_id}: {pattern!r}")
                anchor_words |= words
                for elements in _lead(alt):
                    sequences.append(elements + ["(?![a-z])"])
                    self.leaves.append((rule_index, starts, ends))
        trie = _build(sequences, leaves=self.leaves) if sequences else "(?!)"
        # Text is scanned with a leading space added, so every word start
        # follows a boundary character; consuming that character (instead of
        # a look-behind) lets the engine skip ahead with a fast set test.
        self.regex = re.compile(BOUNDARY + "(?=" + trie + ")")
        self.anchor_words = frozenset(anchor_words)
        self.anchor_regex = compile_words(sorted(anchor_words))

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """Yield (rule_index, start, end, starts_sentence, ends_sentence).

        ``text`` must start with a non-word character (the detector adds a
        space).  Matches may overlap: every word start is tried.
        """
        leaves = self.leaves
        if endpos is None:
            endpos = len(text)
        for m in self.regex.finditer(text, pos, endpos):
            name = m.lastgroup
            rule_index, starts, ends = leaves[int(name[1:])]
            yield rule_index, m.end(), m.end(name), starts, ends


BOUNDARY = "[^a-z0-9']"


def compile_words(words: list[str]) -> re.Pattern:
    """A boundary-consuming regex for a plain word list (stems allowed)."""
    sequences = [_word_elements(w) + ([] if w.endswith("*") else ["(?![a-z])"]) for w in words]
    return re.compile(BOUNDARY + "(?:" + (_build(sequences, leaves=None) if words else "(?!)") + ")")


def compile_cues(patterns: list[str], slots: dict[str, str]) -> re.Pattern:
    """Compile a cue list into one plain (non-overlapping) regex."""
    sequences = []
    for pattern in patterns:
        for alt in _Parser(pattern, slots).parse():
            sequences.extend(_lead(alt))
    body = _build(sequences, leaves=None) if sequences else "(?!)"
    return re.compile(r"(?<![a-z0-9])(?<![a-z]')(?:" + body + r")(?![a-z])")


class Lexicon:
    """The compiled lexicon: rules, three phrase families, cue regexes."""

    def __init__(self, data: dict) -> None:
        slots = {k: v for k, v in data.get("slots", {}).items()}
        self.rules: list[Rule] = []
        by_kind: dict[str, list] = {"trigger": [], "means": [], "idiom": []}
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
                by_kind[family].append((index, rule.id, pattern))
        self.triggers = _Family(by_kind["trigger"], slots)
        self.means = _Family(by_kind["means"], slots)
        self.idioms = _Family(by_kind["idiom"], slots)
        cues = data.get("cues", {})
        self.cues = {name: compile_cues(pats, slots) for name, pats in cues.items()}
        subjects = data.get("subjects", {})
        self.subjects = {
            person: frozenset(w.lower() for w in words) for person, words in subjects.items()
        }


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with open(path, "rb") as fh:
        return Lexicon(tomllib.load(fh))


LEXICON = load_lexicon()
