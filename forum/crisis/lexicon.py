"""Load ``lexicon.toml`` and compile it into regular expressions.

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
letter also accepts ``*`` ("k*ll").  No quantifier is nested inside another
quantifier over the same characters, so matching stays linear.

How a text is matched (all for speed; the results are those of one regex of
all phrases run over the whole normalised text, which tests/crisis checks):

* Anchors.  Every phrase has an *anchor*: the rarest word, or run of two or
  three adjacent words, that every match of it contains ("no way out" rather
  than "way"; "suicidal" rather than "feeling"), chosen by how common words
  are in everyday English.  Phrases with the same anchors form a *group*,
  compiled into its own small prefix-tree regex.
* The scanner (:class:`_Scanner`) has one regex of all anchors.  Its *loose*
  form reads the raw lower-cased post (the prefilter): most posts hold no
  anchor and are let go without being normalised.  It accepts anything that
  normalising could turn into an anchor (digits and symbols for letters, any
  whitespace between words); letters spaced out are looked for separately.
  For the other posts it tells which sentences hold anchors and which groups
  to run there, so only those are matched, on the normalised text.  The
  anchor regex names one term per position; the groups run there are those of
  every term that could match at that position (:func:`_co_match`).
* At a word start where two groups match, the regex of both together decides,
  so the phrase reported is the one a single regex would report.
* Nothing is compiled at import (only the TOML is read); families, scanners
  and each group are built on first use, so a process compiles only what its
  posts need.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import product
from pathlib import Path

__all__ = ["Rule", "Lexicon", "LEXICON", "load_lexicon"]

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")

GAP = "(?: |, ?)"
BOUNDARY = "[^a-z0-9']"
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
            _ALT_CACHE[key] = "(?:" + _build(lists) + ")"
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
            middle = ["(?:" + _build(remainders) + ")"]
        out.append([head] + middle + tail)
    return out


def _build(sequences: list[list[str]], names: list[str] | None = None) -> str:
    """Merge element sequences into a prefix tree and emit it as one regex.

    With ``names``, each sequence ends in an empty named group (``names[i]``
    for sequence i) so a match tells which sequence it was; a sequence equal
    to an earlier one is dropped.  Branches keep the order in which their
    first sequence was added.
    """
    root: dict = {}
    for index, elements in enumerate(sequences):
        node = root
        for el in elements:
            node = node.setdefault(el, {})
        node.setdefault(None, index)

    def emit(node: dict) -> str:
        branches = [el + emit(child) for el, child in node.items() if el is not None]
        if None in node:
            branches.append(f"(?P<{names[node[None]]}>)" if names is not None else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return emit(root)


def _dfs_order(sequences: list[list[str]]) -> list[int]:
    """Each sequence's position in the order a merged prefix-tree regex tries them.

    Duplicates of an earlier sequence get no position (-1): the merged regex
    never reports them.
    """
    root: dict = {}
    for index, elements in enumerate(sequences):
        node = root
        for el in elements:
            node = node.setdefault(el, {})
        node.setdefault(None, index)
    order = [-1] * len(sequences)
    count = 0
    # Iterative depth-first walk: children in insertion order, then the leaf
    # that ends at this node (as emitted by _build).
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


# --- anchors ---------------------------------------------------------------

# How common a word is in everyday English (zipf >= 6, 5.4-6 and 4.8-5.4 in
# the wordfreq tables, adjusted for forum text), for choosing anchors.
_COMMON = frozenset("""
1 a about after again all am an and any are as at back be because been being but by can
could did do does don't dont every feel feeling for from get go going gonna good got had
has have he he's her here him his how i i'd i'll i'm i've id if ill im in into is it
it's ive just keep keeps know like make me mine more most much my no not now of off on
one only or other our out people really said see she she's should so some take than that
the their them there they they're think thinking this thought time to today tonight too
took up us wanna want wanting wants was way we were what when who will with won't wont
would you your
""".split())
_FREQUENT = frozenset("""
'd alive anymore anything around away bad before better can't cannot cant car care
change coming dark day death different doing done end even ever everyone everything
family find following food found friends games gets getting give given guys hand hard
hate having high home hope house isn't isnt last left life little live longer looking
lost lot love made making many might mind miss music myself need never news next night
nothing old own per plan point post read ready reason right saying says scared since
someone something sorry start stop such tell thank things those tired top tried try
trying until use used using video week while whole why wish without work working world
""".split())
_MEDIUM = frozenset("""
'm ain't anyone attempt beat bed born box brother building changes choose close coach
coffee computer cut dad dead decided die died drink ended entire everybody ex except
fall father feels fell felt fighting final finally friend front future gave giving gone
happy hear heard himself hit hold holding hurt husband kept kids kill killed killing
knew leaving letter living looked lose losing lots loved meet message mom morning mother
nobody normal note notes notice ok okay opening pain parents partner phone planning
plant playing posted purpose rather reality rest running safe saw self showing sister
sitting sleep somebody soon sounds standing started stay step strong stuff stupid sun
table taken taking teacher themselves tomorrow tv wanted watching ways what's whats wife
words worth write writing written wrote
""".split())

_WEIGHT_COMMON, _WEIGHT_FREQUENT, _WEIGHT_MEDIUM, _WEIGHT_RARE = 1000, 100, 10, 1


@lru_cache(maxsize=None)
def _word_weight(word: str) -> int:
    word = word.rstrip("*")
    if word in _COMMON:
        return _WEIGHT_COMMON
    if word in _FREQUENT:
        return _WEIGHT_FREQUENT
    if word in _MEDIUM:
        return _WEIGHT_MEDIUM
    return _WEIGHT_RARE


@lru_cache(maxsize=None)
def _term_weight(term: tuple[str, ...]) -> float:
    """Roughly how often a term (one to three adjacent words) turns up in text.

    Weights scale with frequency (1000 is about one word in a thousand).  A
    run of words is estimated as if its words were independent, times 100
    for each join (words go together far more often than chance), and never
    more often than its rarest word.
    """
    weights = [_word_weight(w) for w in term]
    estimate = 1.0
    for weight in weights:
        estimate *= weight
    return min(min(weights), estimate * 1e-4 ** (len(term) - 1))


def _edge_words(item, first: bool) -> list[str] | None:
    """The words an item can start with (``first``) or end with, if they are plain words."""
    kind, value = item
    if kind == "word":
        return [value]
    if kind != "alt":
        return None
    words = []
    for seq in value:
        edge = seq[0] if first else seq[-1]
        if edge[0] != "word":
            return None
        words.append(edge[1])
    return words


_MAX_TERMS = 32
# The anchor regex works through a term at every occurrence of its first
# word, and every term makes it bigger: a run starting with a common word, or
# many terms, costs time even when they rarely match.
_FIRST_WORD_COST = 0.005
_TERM_COST = 0.5


_ANCHOR_CACHE: dict[str, frozenset | None] = {}


def _anchor_terms(seq: list) -> frozenset[tuple[str, ...]] | None:
    """Memoised :func:`_choose_anchor_terms` (slots repeat the same groups)."""
    key = repr(seq)
    if key not in _ANCHOR_CACHE:
        _ANCHOR_CACHE[key] = _choose_anchor_terms(seq)
    return _ANCHOR_CACHE[key]


def _choose_anchor_terms(seq: list) -> frozenset[tuple[str, ...]] | None:
    """Terms of which any match of ``seq`` must contain at least one.

    A term is a word or a run of two or three adjacent words.  Candidates are
    each mandatory item (a word, or a group: the union of its alternatives'
    anchors) and each run of two or three adjacent mandatory items (inside
    the run, words or groups of single words; at its edges, groups whose
    alternatives end / start with a word); the candidate whose terms are
    rarest in total wins.  Returns None if no item can anchor the sequence.
    """
    candidates: list[frozenset] = []
    for item in seq:
        kind = item[0]
        if kind == "word":
            candidates.append(frozenset([(item[1],)]))
        elif kind == "alt":
            subs = [_anchor_terms(alt) for alt in item[1]]
            if all(sub is not None for sub in subs):
                candidates.append(frozenset().union(*subs))
    for i in range(len(seq) - 1):
        for n in (2, 3):
            items = seq[i:i + n]
            if len(items) < n:
                break
            run = [_edge_words(items[0], first=False)]
            for item in items[1:-1]:
                words = _edge_words(item, first=True)
                run.append(words if words is not None and words == _edge_words(item, first=False)
                           and all(len(alt) == 1 for alt in item[1] if item[0] == "alt") else None)
            run.append(_edge_words(items[-1], first=True))
            if any(r is None for r in run):
                continue
            size = 1
            for r in run:
                size *= len(set(r))
            if size <= _MAX_TERMS:
                candidates.append(frozenset(product(*run)))
    if not candidates:
        return None

    def score(terms: frozenset) -> tuple:
        cost = sum(_term_weight(t) + _FIRST_WORD_COST * _word_weight(t[0]) + _TERM_COST for t in terms)
        return (cost, len(terms), max(len(t) for t in terms))

    best = min(candidates, key=score)
    # A run holding a rare word is anchored on that word alone: as rare, and
    # cheaper to scan for than a run that starts with a common word.
    return frozenset(
        next(((w,) for w in t if _word_weight(w) == _WEIGHT_RARE), t) if len(t) > 1 else t
        for t in best
    )


def _term_key(term: tuple[str, ...]) -> tuple[str, frozenset[int], bool]:
    """A term's letters as the anchor regex sees them, for :func:`_co_match`.

    Inner vowels become "*" (they also accept "*"), repeats are collapsed,
    "'" and "-" dropped; the key stops after a stem.  Returns (key,
    positions in the key where a match of a shorter term could end, whether
    the key ends with a stem).
    """
    chars: list[str] = []
    breaks: set[int] = set()
    stem = False
    for n, word in enumerate(term):
        if stem:
            break  # after a stem anything may follow: the key ends there
        if n:
            breaks.add(len(chars))
        stem = word.endswith("*") and len(word) > 1
        if stem:
            word = word[:-1]
        prev = None
        for i, ch in enumerate(word):
            if ch in "'-":
                breaks.add(len(chars))
                prev = None
                continue
            c = "*" if i and ch in _VOWELS else ch
            if c == prev:
                continue
            if c == "*":
                breaks.add(len(chars))
            chars.append(c)
            prev = c
    return "".join(chars), frozenset(breaks), stem


def _co_match(a: tuple, b: tuple) -> bool:
    """Could terms ``a`` and ``b`` both match at the same position of a text?

    The anchor regex reports one term per position; where another term also
    matches there, its groups must run too.  Errs towards True.
    """
    (ka, ba, sa), (kb, bb, sb) = a, b
    if ka == kb:
        return True
    if len(ka) > len(kb):
        (ka, ba, sa), (kb, bb, sb) = (kb, bb, sb), (ka, ba, sa)
    if not kb.startswith(ka):
        return False
    # ``a`` is shorter: it can end inside ``b``'s text only where ``b`` has a
    # non-letter ("'", "-", a space or a "*" for a vowel), or if it is a stem.
    return sa or len(ka) in bb or kb[len(ka)] == "*"


# --- families --------------------------------------------------------------

_LEET = {"a": "a4@", "e": "e3", "i": "i1", "o": "o0", "s": "s5$", "t": "t7"}
# The end of a word: normalising reads a digit after a letter as a letter,
# and so "@" or "$" before a letter, so none of them ends a word.
_LOOSE_END = "(?![a-z0-9]|[@$][a-z])"


def _loose_word_elements(word: str) -> list[str]:
    """Like _word_elements, but also accepting what normalising would undo.

    Digits and symbols stand for the letters they can spell ("k1ll", "$elf"),
    "-" accepts any gap, and a stem matches its beginning alone.
    """
    out: list[str] = []
    stem = word.endswith("*") and len(word) > 1
    if stem:
        word = word[:-1]
    prev = ""
    for i, ch in enumerate(word):
        if ch == prev and ch.isalpha():
            continue
        prev = ch
        if ch.isalpha():
            chars = _LEET.get(ch, ch) + ("*" if i > 0 and ch in _VOWELS else "")
            cls = f"[{chars}]" if len(chars) > 1 else ch
            out.append(f"{cls}{cls}*")
        elif ch == "'":
            out.append("'?")
        elif ch == "-":
            out.append(" *")
        elif ch.isdigit():
            out.append(ch)
        else:
            out.append(re.escape(ch))
    return out


class _Family:
    """The phrases of a set of rules, compiled group by group (see the module doc)."""

    def __init__(self, entries: list[tuple[int, str, str]], slots: dict[str, str]) -> None:
        sequences: list[list[str]] = []
        leaves: list[tuple[int, bool, bool]] = []
        seq_terms: list[frozenset] = []
        for rule_index, rule_id, pattern in entries:
            starts = pattern.lstrip().startswith("^")
            ends = pattern.rstrip().endswith("$")
            body = pattern.strip().lstrip("^").rstrip("$")
            if any(ch in body for ch in ".!;"):
                raise ValueError(f"sentence punctuation in {rule_id}: {pattern!r}")
            for alt in _Parser(body, slots).parse():
                terms = _anchor_terms(alt)
                if terms is None:
                    raise ValueError(f"no anchor word in {rule_id}: {pattern!r}")
                for elements in _lead(alt):
                    sequences.append(elements + ["(?![a-z])"])
                    leaves.append((rule_index, starts, ends))
                    seq_terms.append(terms)
        # The order in which one merged regex of all these sequences would try
        # them; a sequence equal to an earlier one could never be reported.
        self.rank = _dfs_order(sequences)
        self.leaves = leaves
        self._sequences = sequences
        group_of: dict[frozenset, int] = {}
        self._members: list[list[int]] = []
        for index, terms in enumerate(seq_terms):
            if self.rank[index] < 0:
                continue
            if terms not in group_of:
                group_of[terms] = len(self._members)
                self._members.append([])
            self._members[group_of[terms]].append(index)
        #: term -> the groups anchored on it
        self.groups_of_term: dict[tuple, set[int]] = {}
        for terms, gid in group_of.items():
            for term in terms:
                self.groups_of_term.setdefault(term, set()).add(gid)
        self._groups: list[tuple | None] = [None] * len(self._members)
        self._unions: dict[frozenset, tuple] = {}

    def _compile(self, members: list[int]) -> tuple:
        """(regex, info) for some sequences: info[i] is (rule_index, starts, ends)
        of the sequence whose leaf is capturing group i."""
        members = sorted(members, key=self.rank.__getitem__)
        trie = _build([self._sequences[i] for i in members], [f"t{i}" for i in members])
        # Text is scanned with a leading space added, so every word start
        # follows a boundary character; consuming that character (instead of
        # a look-behind) lets the engine skip ahead with a fast set test.
        regex = re.compile(BOUNDARY + "(?=" + trie + ")")
        info: list = [None] * (regex.groups + 1)
        for name, number in regex.groupindex.items():
            info[number] = self.leaves[int(name[1:])]
        return regex, info

    def group(self, gid: int) -> tuple:
        """(regex, info) of one group, compiled on first use."""
        group = self._groups[gid]
        if group is None:
            group = self._groups[gid] = self._compile(self._members[gid])
        return group

    def _union(self, gids: frozenset) -> tuple:
        """(regex, info) of several groups together, compiled on first use."""
        union = self._unions.get(gids)
        if union is None:
            union = self._unions[gids] = self._compile([i for g in gids for i in self._members[g]])
        return union

    def find(self, text: str, windows) -> list:
        """(rule_index, start, end, starts_sentence, ends_sentence) of each phrase.

        ``windows`` are (left, right, group ids) to read: a sentence of
        ``text`` from the punctuation before it (or 0) and the groups anchored
        in it.  At most one phrase per word start, the one a single regex of
        all the family's phrases would report: where groups both match at a
        start, the regex of those groups together decides.  Phrases may
        overlap.  In text order.
        """
        hits: dict[int, tuple] = {}
        ties = None
        compiled = self._groups
        for left, right, gids in windows:
            for gid in gids:
                regex, info = compiled[gid] or self.group(gid)
                for m in regex.finditer(text, left, right):
                    start = m.end()
                    if start not in hits:
                        number = m.lastindex
                        hits[start] = (info[number], m.end(number), gid, right)
                    else:
                        if ties is None:
                            ties = {}
                        ties.setdefault(start, {hits[start][2]}).add(gid)
        if ties:
            for start, gids in ties.items():
                regex, info = self._union(frozenset(gids))
                m = regex.match(text, start - 1, hits[start][3])
                number = m.lastindex
                hits[start] = (info[number], m.end(number), None, None)
        return [(leaf[0], start, end, leaf[1], leaf[2])
                for start, (leaf, end, _, _) in sorted(hits.items())]


class _Scanner:
    """Finds the anchors of some families in one pass (see the module doc).

    Two regexes of all their anchor terms: ``loose`` for the prefilter, on
    raw text, and ``anchor``, exact, on normalised text.  Both try every word
    start (a look-ahead consumes nothing) and name one term per hit; the
    groups to run for it are those of every term that may match at the same
    position.
    """

    def __init__(self, families: list[_Family], counting: list[_Family]) -> None:
        self.families = families
        terms = sorted({t for family in families for t in family.groups_of_term})
        self.terms = terms
        keys = [_term_key(t) for t in terms]
        related = [{i} for i in range(len(terms))]
        by_key = sorted(range(len(keys)), key=lambda i: keys[i][0])
        sorted_keys = [keys[i][0] for i in by_key]

        def starting_with(key: tuple):
            lo = bisect_left(sorted_keys, key[0])
            return by_key[lo:bisect_left(sorted_keys, key[0] + "\uffff", lo)]

        for i, key in enumerate(keys):
            # Terms that may match where this one does: one key starts with the other.
            for j in starting_with(key):
                if j != i and _co_match(key, keys[j]):
                    related[i].add(j)
                    related[j].add(i)
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
    def _leaf_regex(terms: dict[int, list[str]], head: str, tail: str) -> tuple:
        """Compile {term index: elements} into (regex, term index of each capturing group)."""
        body = _build(list(terms.values()), [f"a{i}" for i in terms]) if terms else "(?!)"
        regex = re.compile(head + body + tail)
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
                    elements.extend(_word_elements(word))
                if not term[-1].endswith("*"):
                    elements.append("(?![a-z])")
                sequences[index] = elements
            self._anchor = self._leaf_regex(sequences, BOUNDARY + "(?=", ")")
        return self._anchor

    @property
    def loose(self) -> tuple:
        """(regex, counts, groups) for the prefilter: per capturing group of
        the regex, whether its term counts and the term's groups per family.

        It reads the spaced text of :meth:`prefilter`, where every character
        that is not a letter, a digit, "'", "*", "@" or "$" is a space, and
        matches anything there that could be an anchor once normalised: it
        accepts more than the anchors (digits and symbols for letters, any
        run of spaces between words), never less.  The pattern starts with a
        plain space, which the regex engine looks for fastest.
        """
        if self._loose is None:
            sequences = {}
            for index, term in enumerate(self.terms):
                elements: list[str] = []
                for n, word in enumerate(term):
                    if n:
                        elements.append(" +")
                    elements.extend(_loose_word_elements(word))
                if not term[-1].endswith("*"):
                    elements.append(_LOOSE_END)
                sequences[index] = elements
            regex, term_of = self._leaf_regex(sequences, " (?=", ")")
            # Per capturing group: does its term count, and its groups.
            counts = [False] * len(term_of)
            groups = [()] * len(term_of)
            for number, term in enumerate(term_of):
                if term >= 0:
                    counts[number] = self.counts[term]
                    groups[number] = self.term_groups[term]
            self._loose = (regex, counts, groups)
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
        spaced = quick.translate(_SPACE_OUT)
        if not spaced.isascii():
            spaced = _NON_ASCII.sub(" ", spaced)
        # Letters spaced out are joined only by normalising, and may spell
        # anything.  (A separate search: as a branch of the loose regex it
        # would slow every word down.)
        if _SPACED_LETTERS_RE.search(spaced):
            return True, None, None
        regex, counts, groups = self.loose
        hits = [(m.start(), m.lastindex) for m in regex.finditer(spaced)]
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
                    frozenset().union(*per_family) for per_family in zip(*(groups[n] for n in hit)))
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


_BOUNDS = re.compile(r"[.!?;]")
# The prefilter's spaced text: every character but letters, digits and "'*@$"
# a space (one for one), so every word start follows a plain space.  "!" and
# "|" go too: normalising reads them as "i" only before a letter (or a digit,
# which it reads as a letter first); texts where they are so, or where a
# letter follows "*" (a word could start there), are left to the normalised
# scan.
_SPACE_OUT = str.maketrans({i: " " for i in range(128) if not (chr(i).isalnum() or chr(i) in "'*@$")})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SYMBOL_LETTER = re.compile(r"[!|][a-z0-9]")
_STAR_WORD = re.compile(r"\*[a-z]")
_SPACED_LETTERS_RE = re.compile(r" [a-z] +[a-z] +[a-z](?![a-z0-9])")


class Cue:
    """A cue list compiled into one plain (non-overlapping) regex, on first use.

    A cue starts at a word start: not after a letter, a digit or a letter's
    apostrophe.  The regex consumes the character before the cue (a fast set
    test) instead of looking behind at every position, so, like the phrase
    families, it needs text that starts with a non-word character.  Methods
    take the range the cue must lie in and return its (start, end) or None.
    """

    __slots__ = ("body", "_regex")

    def __init__(self, body: str) -> None:
        self.body = body
        self._regex: re.Pattern | None = None

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = re.compile(r"[^a-z0-9](?<![a-z]')(" + self.body + r")(?![a-z])")
        return self._regex

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
        """The first cue in text[pos:endpos]."""
        m = self.regex.search(text, pos - 1 if pos else 0, len(text) if endpos is None else endpos)
        return m.span(1) if m else None

    def last(self, text: str, pos: int, endpos: int) -> tuple[int, int] | None:
        """The last cue of a left-to-right scan of text[pos:endpos]."""
        found = None
        for found in self.regex.finditer(text, pos - 1 if pos else 0, endpos):
            pass
        return found.span(1) if found else None

    def match(self, text: str, pos: int) -> bool:
        """Does a cue start exactly at ``pos``?"""
        return pos > 0 and self.regex.match(text, pos - 1) is not None


def compile_cues(patterns: list[str], slots: dict[str, str]) -> Cue:
    """Compile a cue list (see :class:`Cue`)."""
    sequences = []
    for pattern in patterns:
        for alt in _Parser(pattern, slots).parse():
            sequences.extend(_lead(alt))
    return Cue(_build(sequences) if sequences else "(?!)")


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
    def triggers(self) -> _Family:
        return _Family(self._by_kind["trigger"], self._slots)

    @cached_property
    def means(self) -> _Family:
        return _Family(self._by_kind["means"], self._slots)

    @cached_property
    def idioms(self) -> _Family:
        return _Family(self._by_kind["idiom"], self._slots)

    @cached_property
    def scanner(self) -> _Scanner:
        """One anchor scan for triggers, means and idioms, in that order; only
        trigger anchors let a post past the prefilter."""
        return _Scanner([self.triggers, self.means, self.idioms], counting=[self.triggers])


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with open(path, "rb") as fh:
        return Lexicon(tomllib.load(fh))


LEXICON = load_lexicon()
