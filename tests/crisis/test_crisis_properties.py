"""Property tests (Hypothesis) for invariants that must hold for any text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.crisis import assess_lexicon as assess
from tests.crisis import corpus

CORPUS = corpus.texts("corpus_*.toml")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

corpus_text = st.sampled_from(CORPUS)
any_text = st.text(max_size=400)
# Posts are a mix of real-looking sentences and arbitrary unicode.
post = st.one_of(corpus_text, any_text, st.lists(st.one_of(corpus_text, any_text), max_size=4).map(" ".join))
hashtag = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=20
).map(lambda w: "#" + w)
hashtag_words = st.sampled_from(
    ["#Suicide", "#SelfHarm", "#KillMyself", "#WantToDie", "#Overdose", "#Abuse", "#kms",
     "#GoodbyeEveryone", "#MentalHealth", "#PTSD", "#su1c1de", "#end_it_all"]
)


@SETTINGS
@given(post, st.lists(st.one_of(hashtag, hashtag_words), min_size=1, max_size=8), st.sampled_from([" ", "\n", "\n\n"]))
def test_appending_hashtags_never_raises_the_level(text, tags, sep):
    before = assess(text).level
    after = assess(text + sep + " ".join(tags)).level
    assert after <= before


@SETTINGS
@given(post)
def test_case_does_not_matter(text):
    level = assess(text).level
    assert assess(text.upper()).level == level
    assert assess(text.lower()).level == level


@SETTINGS
@given(post, st.lists(st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n "]), min_size=1, max_size=50))
def test_extra_whitespace_does_not_matter(text, fillers):
    level = assess(text).level
    pieces = re.split(r"(\s+)", text)
    out, k = [], 0
    for piece in pieces:
        if piece and piece.isspace():
            piece = piece + fillers[k % len(fillers)]
            k += 1
        out.append(piece)
    assert assess("".join(out)).level == level
    assert assess("\n " + text + " \n").level == level


@SETTINGS
@given(st.one_of(post, st.text(min_size=1000, max_size=20000)))
def test_never_raises_and_spans_are_valid(text):
    result = assess(text)
    assert result.level.value in {"none", "concern", "crisis"}
    for m in result.matches:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.phrase
        assert m.phrase.strip()
    assert result.to_dict()["level"] == result.level.value


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["k i l l ", "not never no ", "he she my dad i want to ", "#x ", "a", "1!@$ "]))
def test_adversarial_repetition_is_fast(unit):
    import time

    text = (unit * (20000 // len(unit) + 1))[:20000]
    started = time.perf_counter()
    assess(text)
    assert time.perf_counter() - started < 1.0
