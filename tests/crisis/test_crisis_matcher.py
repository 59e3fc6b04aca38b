"""The fast paths find exactly what the slow, simple ones would.

* Phrase groups: each family's phrases are matched group by group, only in
  sentences holding an anchor.  The result must equal one regex of all the
  family's phrases run over the whole text.
* The prefilter: a post is let go on the raw text, and its sentences picked,
  before normalising.  The result must equal assessing the normalised text
  in full, and obfuscated phrases must still get through.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.crisis import assess_lexicon as assess
from forum.crisis.lexicon import LEXICON
from forum.crisis.normalise import normalise, quick_text
from tests.crisis import corpus

TEXTS = corpus.texts()
LEET = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "s": "5$", "t": "7"}


def _obfuscate(text: str, rng: random.Random) -> str:
    """Spell some words the ways people dodge filters."""
    words = text.split(" ")
    out = []
    for word in words:
        r = rng.random()
        if r < 0.08:
            word = "".join(rng.choice(LEET[c]) if c in LEET and rng.random() < 0.5 else c for c in word)
        elif r < 0.12:
            word = "".join("*" if i and c in "aeiou" and rng.random() < 0.5 else c for i, c in enumerate(word))
        elif r < 0.16:
            word = "".join(c * rng.randint(1, 3) for c in word)
        elif r < 0.19:
            word = rng.choice([" ", ".", "-", ". "]).join(word)
        elif r < 0.21:
            word = word.replace("i", "ï").replace("e", "é")
        elif r < 0.23:
            word = word[:1] + "\u200b" + word[1:]
        elif r < 0.25:
            word = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
        elif r < 0.27:
            word = "#" + word
        out.append(word)
    return rng.choice([" ", " ", "  ", "\n", " \n\n"]).join(out)


OBFUSCATED = [_obfuscate(t, random.Random(i)) for i, t in enumerate(TEXTS)]


def _merged(family):
    """One regex of all the family's phrases (what the groups stand in for), with the phrase of each group."""
    regex, info, _ = family.whole
    return regex, info


@lru_cache(maxsize=None)
def _all_merged():
    return {name: _merged(getattr(LEXICON, name)) for name in ("triggers", "idioms", "means")}


@pytest.fixture(scope="module")
def merged():
    return _all_merged()


def _reference(family_regex, s: str) -> list:
    regex, info = family_regex
    out = []
    for m in regex.finditer(s):
        leaf = info[m.lastindex]
        out.append((leaf[0], m.end(), m.end(m.lastindex), leaf[1], leaf[2]))
    return out


def _check_groups(text: str, merged) -> None:
    s = " " + normalise(text).text
    bounds = [m.start() for m in re.finditer(r"[.!?;]", s)]
    windows = LEXICON.scanner.windows(s, bounds)
    for k, name in enumerate(("triggers", "means", "idioms"), 2):
        spans = [(w[0], w[1], w[k]) for w in windows.values() if w[k]]
        got = getattr(LEXICON, name).find(s, spans)
        assert got == _reference(merged[name], s), (name, text)


def test_groups_find_what_one_regex_finds(merged):
    for text in TEXTS + OBFUSCATED:
        _check_groups(text, merged)


def test_prefilter_changes_nothing_on_the_corpus():
    for text in TEXTS + OBFUSCATED:
        assert assess(text) == corpus.assess_in_full(text), text


_VOCAB = sorted({w for t in TEXTS for w in re.findall(r"[a-z']+", t.lower())})
word = st.sampled_from(_VOCAB).flatmap(
    lambda w: st.sampled_from([w, w.upper(), "".join(c * 2 for c in w), " ".join(w),
                               w.replace("i", "1"), w.replace("s", "$"), w.replace("e", "*"),
                               w.replace("o", "0"), "#" + w, w.replace("i", "ï")]))
sep = st.sampled_from([" ", " ", " ", ", ", ". ", "! ", "!", "? ", "\n\n", " \"", "\" ", "-", "'", "  "])
soup = st.lists(st.tuples(word, sep), min_size=1, max_size=25).map(lambda ws: "".join(w + s for w, s in ws))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup)
def test_prefilter_changes_nothing_on_word_soup(text):
    assert assess(text) == corpus.assess_in_full(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup)
def test_groups_find_what_one_regex_finds_in_word_soup(text):
    _check_groups(text, _all_merged())


@pytest.mark.parametrize("text", [
    "i w4nt t0 d13", "k1ll mys3lf", "thinking about $ewer$l|de", "su!c!dal again", "k*ll myself",
    "i want to d-i-e", "k. i. l. l myself", "i wannnnt to diiiie", "i want to dïé", "Ｉ ｗａｎｔ ｔｏ ｄｉｅ",
    "i want to k\u200bill myself", "i want\n\nto     die", "i want to #sad die", "self h@rm again tonight",
    "I'm going to 0verd0se tonight", "I want to die.I want to die", "i want to d i e!",
])
def test_obfuscated_phrases_pass_the_prefilter(text):
    quick = quick_text(text)
    assert quick is None or LEXICON.scanner.prefilter(" " + quick)[0], text
    assert assess(text).needs_attention, text


@pytest.mark.parametrize("text", [
    "Went to the park with my sister and it was lovely.",
    "Does anyone have tips for meal prep? Mine has been all over the place.",
    "Work was tiring today but I got through my to-do list.",
    "Thanks for the replies on my last thread, they helped with budgeting.",
    "Had a decent day today! Went for a walk and called my sister. #MentalHealth #Suicide",
])
def test_everyday_text_stops_at_the_prefilter(text):
    assert LEXICON.scanner.prefilter(" " + quick_text(text)) == (False, None, None)
