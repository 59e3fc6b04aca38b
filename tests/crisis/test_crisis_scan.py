"""The prefilter's fast paths agree with the slow ones.

* The spaced text is built from ASCII bytes (bytes.translate), and the first
  search uses ``scan``: the loose regex without its named groups or its
  look-ahead.  They must give what the rule written out character by
  character (``_spaced_by_hand``) and the grouped regex give.
* Posts with hashtags are normalised only from their first sentence with an
  anchor to the last (the quick text blanks hashtags one for one, so it keeps
  the post's length).  They must be assessed as with the prefilter off.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.crisis import assess_lexicon as assess
from forum.crisis.lexicon import LEXICON
from forum.crisis.normalise import quick_text
from forum.crisis.scanner import spaced_text
from tests.crisis import corpus

TEXTS = corpus.texts()
SENTENCES = sorted({p for t in TEXTS for p in re.split(r"(?<=[.!?])\s+", t) if p.strip()})
_VOCAB = sorted({w for t in TEXTS for w in re.findall(r"[a-z']+", t.lower())})


def _spaced_by_hand(quick: str) -> str:
    """The spaced text's rule, one character at a time: ASCII letters, digits and "'*@$" stay, all else is a space."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "'*@$") else " " for c in quick)


def _check_scan(text: str) -> None:
    quick = quick_text(text)
    if quick is None:
        return
    quick = " " + quick
    spaced_str = _spaced_by_hand(quick)
    spaced = spaced_text(quick)
    assert spaced == spaced_str.encode("ascii"), text
    regex, _, _, scan = LEXICON.scanner.loose
    as_str = re.compile(regex.pattern.decode("ascii"))
    hits = [(m.start(), m.lastindex) for m in regex.finditer(spaced)]
    assert hits == [(m.start(), m.lastindex) for m in as_str.finditer(spaced_str)]
    first = scan.search(spaced)
    assert (first.start() if first else None) == (hits[0][0] if hits else None), text


def test_scan_finds_the_first_hit_on_the_corpus():
    for text in TEXTS:
        _check_scan(text)
        _check_scan(text.upper())


word = st.sampled_from(_VOCAB).flatmap(
    lambda w: st.sampled_from([w, w.upper(), "".join(c * 2 for c in w), " ".join(w),
                               w.replace("i", "1"), w.replace("s", "$"), w.replace("a", "@"),
                               w.replace("e", "*"), "#" + w, w.replace("i", "ï"), w + "@"]))
sep = st.sampled_from([" ", " ", ", ", ". ", "! ", "? ", "; ", "\n\n", " #", "-", "'", "  "])
soup = st.lists(st.tuples(word, sep), min_size=1, max_size=25).map(lambda ws: "".join(w + s for w, s in ws))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup)
def test_scan_finds_the_first_hit_in_word_soup(text):
    _check_scan(text)


tag = st.sampled_from(["#sad", "#Suicide", "#mental-health", "#i'm_ok", "#", "#kms", "#die."])
piece = st.one_of(st.sampled_from(SENTENCES), tag, tag.map(lambda t: t + " " + t))
tagged_post = st.lists(st.tuples(piece, st.sampled_from([" ", "\n", "\n\n", "", " #x "])),
                       min_size=1, max_size=8).map(lambda ps: "".join(p + s for p, s in ps))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tagged_post)
def test_posts_with_hashtags_are_assessed_as_in_full(text):
    assert assess(text) == corpus.assess_in_full(text)
