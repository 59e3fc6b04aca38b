"""Choose each phrase's anchor: the rarest word, or run of words, every match contains.

The matcher does not run every phrase over every post.  Each phrase has an
*anchor*: the rarest word, or run of two or three adjacent words, that every
match of it contains ("no way out" rather than "way"; "suicidal" rather than
"feeling").  One scan for anchors then tells which phrases are worth running,
and where (see scanner.py).  Rarity is judged by how common words are in
everyday English (three word lists below, from the wordfreq tables); a rare
anchor lets most text go at once, and a run starting with a common word costs
scanning time at every occurrence of that word.

Two terms may match at the same place of a text ("suicid*" and "suicidal");
:func:`term_key` and :func:`co_match` tell the scanner when, so it runs the
phrases of both.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import product

from .patterns import VOWELS

__all__ = ["anchor_terms", "term_key", "co_match", "related_terms"]

# How common a word is in everyday English (zipf >= 6, 5.4-6 and 4.8-5.4 in
# the wordfreq tables, adjusted for forum text), for choosing anchors.
_COMMON = frozenset("""
1 a about after again all am an and any are as at back be because been being but by can
could did do does don't dont every feel feeling for from get go going gonna good got had
has have he he's her here him his how i i'd i'll i'm i've id if ill im in into is it
it's ive just keep keeps know let like make me mine more most much my no not now of off on
one only or other our out people really said see she she's should so some take than that
the their them there they they're think thinking this thought time to today tonight too
took up us wanna want wanting wants was way we were what when who will with won't wont
would you your
""".split())
_FREQUENT = frozenset("""
'd alive anymore anything around away bad before best better can't cannot cant car care
change coming dark day death different doing done end even ever everyone everything
family find following food found friends games gets getting give given guys hand hard
hate having high home hope house isn't isnt last left life little live longer looking
lost lot love made making many might mind miss music myself need never news next night
nothing old own per plan point post read ready reason right saying says scared since
someone something sorry start stop such tell thank things those tired top tried try
trying until use used using video week while whole why wish without work working world
eyes face hands heart look room worked feed mean meant
through then these where almost came comes coming didn't didnt couldn't couldnt still went
""".split())
_MEDIUM = frozenset("""
'm ain't anyone attempt beat bed born box brother building changes choose close coach
coffee computer cut dad dead decided die died drink easy ended entire everybody ex except
fall father feels fell felt fighting final finally friend front future gave giving gone
happy hear heard himself hit hold holding hurt husband kept kids kill killed killing
knew leaving letter living looked lose losing lots loved meet message mom morning mother
nobody normal note notes notice ok okay opening pain parents partner phone planning
plant playing posted purpose quick rather reality rest running safe saw self showing sister
sitting sleep somebody soon sounds standing started stay step strong stuff stupid sun
table taken taking teacher themselves tomorrow tv wanted watching ways what's whats wife
words worth write writing written wrote
arms breathe chest deciding disappeared empty figured figuring fingers legs relieved shaking survive
throwing vomiting waiting
stopped mad upset angry nearly pulled fault needing jump disappointed furious succeeded woke lived
survived shut sick
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


def anchor_terms(seq: list) -> frozenset[tuple[str, ...]] | None:
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
            subs = [anchor_terms(alt) for alt in item[1]]
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


def term_key(term: tuple[str, ...]) -> tuple[str, frozenset[int], bool]:
    """A term's letters as the anchor regex sees them, for :func:`co_match`.

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
            c = "*" if i and ch in VOWELS else ch
            if c == prev:
                continue
            if c == "*":
                breaks.add(len(chars))
            chars.append(c)
            prev = c
    return "".join(chars), frozenset(breaks), stem


def co_match(a: tuple, b: tuple) -> bool:
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



def related_terms(terms: list[tuple[str, ...]]) -> list[set[int]]:
    """For each term, the indexes of the terms that may match where it does (itself included)."""
    keys = [term_key(t) for t in terms]
    related = [{i} for i in range(len(terms))]
    by_key = sorted(range(len(keys)), key=lambda i: keys[i][0])
    sorted_keys = [keys[i][0] for i in by_key]
    for i, key in enumerate(keys):
        # Only a term whose key starts with this one's can match where it does.
        lo = bisect_left(sorted_keys, key[0])
        for j in by_key[lo:bisect_left(sorted_keys, key[0] + "\uffff", lo)]:
            if j != i and co_match(key, keys[j]):
                related[i].add(j)
                related[j].add(i)
    return related
