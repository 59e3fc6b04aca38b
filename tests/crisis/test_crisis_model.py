"""The learned stage and how it combines with the lexicon (forum/crisis/model.py, combined.py).

The sentences here are our own, written for these tests; none comes from the training data.  The scores
they pin are the ones the model card documents for the shipped model.json.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.crisis import Level, assess, load_model
from forum.crisis.combined import OperatingPoints, decide, operating_points
from forum.crisis.model import MODEL_PATH, Model, terms

# (sentence, the score the model card documents for it)
DOCUMENTED = [
    ("I don't want to exist anymore. Everyone would be better off without me.", 0.861),
    ("I'm done. I can't keep doing this, tonight is the night.", 0.791),
    ("Made it to 90 days sober today! Thank you all.", 0.046),
    ("One year on my new medication today and I feel steadier.", 0.089),
    ("Does anyone else get really tired after group therapy?", 0.052),
]

POINTS = OperatingPoints(help=0.2, alarm_with_lexicon=0.25, alarm_alone=0.6, alarm_despite_context=0.8)


def test_the_shipped_model_is_small_and_carries_its_operating_points():
    assert MODEL_PATH.stat().st_size <= 10 * 1024 * 1024
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert len(data["vocabulary"]) == len(data["idf"]) == len(data["coef"]) == data["meta"]["terms"]
    points = operating_points()
    assert 0 < points.help < points.alarm_alone < 1
    assert 0 < points.alarm_with_lexicon <= points.alarm_alone


@pytest.mark.parametrize("sentence, documented", DOCUMENTED)
def test_the_model_gives_the_documented_score(sentence, documented):
    assert load_model().score(sentence).score == pytest.approx(documented, abs=0.005)


def test_words_of_not_wanting_to_exist_raise_the_alarm_without_any_keyword_of_the_lexicon():
    found = assess("I don't want to exist anymore. Everyone would be better off without me.")
    assert found.level is Level.CRISIS
    assert found.model.score >= operating_points().alarm_alone


@pytest.mark.parametrize("text", [
    "#Depression #Anxiety #Recovery #PTSD",
    "One year on my new medication today and I feel steadier.",
    "This heat is killing me, I need a fan.",
    "Made it to 90 days sober today! Thank you all.",
])
def test_ordinary_community_posts_raise_no_alarm(text):
    assert assess(text).level is not Level.CRISIS


def test_terms_are_words_and_pairs_without_hashtags_or_apostrophes():
    assert terms("I don't #Sleep well") == {"i", "dont", "well", "i dont", "dont well"}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.lists(st.from_regex(r"#[A-Za-z][A-Za-z0-9_]{0,15}", fullmatch=True), max_size=5))
def test_appended_hashtags_never_change_the_score(text, tags):
    model = load_model()
    tagged = text + " " + " ".join(tags)
    assert model.score(tagged).score == pytest.approx(model.score(text + " ").score)


def test_explanations_name_the_terms_that_pushed_the_score_up_strongest_first():
    text = "I'm done. I can't keep doing this, tonight is the night."
    scored = load_model().score(text, explain=5)
    assert scored.words, "a high score has words behind it"
    weights = [weight for _, weight in scored.words]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    assert {word for word, _ in scored.words} <= terms(text)


def test_a_model_scores_by_its_weights():
    # Two terms, idf 1: "bad" pushes up, "fine" down; the norm divides by sqrt(2) when both appear.
    model = Model({"bad": 2.0, "fine": -2.0}, {"bad": 1.0, "fine": 1.0}, bias=0.0, meta={})
    assert model.score("nothing known").score == pytest.approx(0.5)
    assert model.score("bad").score > 0.85
    assert model.score("fine").score < 0.15
    assert model.score("bad fine").score == pytest.approx(0.5)


@pytest.mark.parametrize("lexicon, score, categories, defused, level", [
    ("none", 0.05, (), 0, "none"),
    ("none", 0.3, (), 0, "concern"),        # the help card favours recall
    ("none", 0.7, (), 0, "crisis"),         # the model alone, when it is sure
    ("none", 0.7, (), 1, "concern"),        # ...but the lexicon heard the words and lowered them
    ("none", 0.85, (), 1, "crisis"),        # ...unless the model is surer still
    ("concern", 0.05, (), 0, "concern"),    # whatever the lexicon finds shows help
    ("crisis", 0.3, (), 0, "crisis"),       # the lexicon's crisis, and the model does not disagree
    ("crisis", 0.1, (), 0, "concern"),      # the model clearly disagrees: help, but no alarm
    ("crisis", 0.1, ("overdose",), 0, "crisis"),  # kinds of danger the model never learned
    ("crisis", 0.1, ("abuse",), 0, "crisis"),
])
def test_the_level_comes_from_both_stages(lexicon, score, categories, defused, level):
    assert decide(lexicon, score, POINTS, frozenset(categories), defused) == level


def test_the_assessment_carries_both_stages_for_moderators():
    found = assess("I'm done. I can't keep doing this, tonight is the night.").to_dict()
    assert found["level"] in {"concern", "crisis"}
    assert found["lexicon_level"] in {"none", "concern", "crisis"}
    assert 0 <= found["model"]["score"] <= 1
    assert all(isinstance(word, str) for word, _ in found["model"]["words"])
