"""The learned stage and how it combines with the lexicon (forum/crisis/model.py, combined.py).

The sentences here are our own, written for these tests; none comes from the training data.  The scores
they pin are the ones the model card documents for the shipped model.json.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.crisis import Level, assess, assess_lexicon, hotlines_for, load_model
from forum.crisis.combined import MODEL_HELP_MIN_WORDS, OperatingPoints, decide, lexicon_is_firm, operating_points
from forum.crisis.model import MODEL_PATH, Model, terms
from forum.crisis.voice import first_person_share

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


_TIED_EXPLANATION = """
import sys
sys.path.insert(0, {root!r})
from forum.crisis.model import Model
tied = {{word: 1.0 for word in ("alone", "heavy", "tired", "empty", "numb", "grey")}}
print(Model(tied, dict.fromkeys(tied, 1.0), bias=0.0, meta={{}}).score("tired numb grey heavy empty alone",
                                                                     explain=2).words)
"""


def test_terms_of_equal_weight_are_named_alike_in_every_process():
    # Which of several equally weighted terms an explanation names once depended on set order, which
    # each process's hash seed changes: moderators could see other words after a restart.
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = _TIED_EXPLANATION.format(root=str(Path(__file__).resolve().parents[2]))
    named = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(named) == 1


@pytest.mark.parametrize("lexicon, score, firm, defused, level", [
    ("none", 0.05, False, 0, "none"),
    ("none", 0.3, False, 0, "concern"),       # the help card favours recall
    ("none", 0.7, False, 0, "crisis"),        # the model alone, when it is sure
    ("none", 0.7, False, 1, "concern"),       # ...but the lexicon heard the words and lowered them
    ("none", 0.85, False, 1, "crisis"),       # ...unless the model is surer still
    ("concern", 0.05, False, 0, "concern"),   # whatever the lexicon finds shows help
    ("crisis", 0.3, False, 0, "crisis"),      # the lexicon's crisis, and the model does not disagree
    ("crisis", 0.1, False, 0, "concern"),     # the model clearly disagrees: help, but no alarm
    ("crisis", 0.1, True, 0, "crisis"),       # a warning sign, or danger the model never learned
])
def test_the_level_comes_from_both_stages(lexicon, score, firm, defused, level):
    assert decide(lexicon, score, POINTS, firm, defused) == level


@pytest.mark.parametrize("text, firm", [
    ("He hit me again tonight and I'm scared to go home.", True),            # abuse
    ("I have given away most of my things this week. I won't need them.", True),  # a warning sign
    ("I'm going to kill myself tonight.", False),                            # words the model can weigh
])
def test_what_the_model_may_not_overrule(text, firm):
    assert lexicon_is_firm(assess_lexicon(text)) is firm


def test_the_assessment_carries_both_stages_for_moderators():
    found = assess("I'm done. I can't keep doing this, tonight is the night.").to_dict()
    assert found["level"] in {"concern", "crisis"}
    assert found["lexicon_level"] in {"none", "concern", "crisis"}
    assert 0 <= found["model"]["score"] <= 1
    assert all(isinstance(word, str) for word, _ in found["model"]["words"])


# The kinds of danger real posts showed that the first release missed (our own sentences; no methods).
@pytest.mark.parametrize("text, category", [
    ("I gave my dog to my sister today and wrote notes for everyone. I feel calm now.", "suicide"),
    ("I have given away most of my things this week. I won't need them.", "suicide"),
    ("I have everything I need here and I am just waiting until everyone is asleep.", "suicide"),
    ("I have made up my mind, this is the last night I will be alive.", "suicide"),
    ("I took a lot more than my dose about an hour ago and now my chest hurts and I can't stop shaking.",
     "overdose"),
    ("I drank way too much on top of my meds and I can't feel my hands, I'm scared.", "overdose"),
])
def test_goodbyes_overdoses_under_way_and_decided_intent_raise_the_alarm(text, category):
    found = assess(text)
    assert found.level is Level.CRISIS
    assert category in {c.value for c in found.categories}


def test_an_overdose_under_way_leads_with_poison_help_and_emergency_services():
    found = assess("I took a lot more than my dose about an hour ago and now my chest hurts.")
    lines = hotlines_for([c.value for c in found.categories], "US")
    assert "Poison" in lines[0].name
    assert any("911" in (line.phone or "") for line in lines[:3])


@pytest.mark.parametrize("text", [
    "We found a new home for my cat because the new flat doesn't allow pets. I miss her.",
    "I'm waiting until everyone is asleep so I can watch my show in peace lol",
    "I wrote letters to my family about my diagnosis and they were so kind.",
])
def test_the_same_words_in_ordinary_lives_raise_no_alarm(text):
    assert assess(text).level is not Level.CRISIS


def test_the_model_alone_asks_for_help_only_on_enough_words_but_may_always_raise_the_alarm():
    short = MODEL_HELP_MIN_WORDS - 1
    assert decide("none", 0.3, POINTS, length=short) == "none"
    assert decide("none", 0.3, POINTS, length=MODEL_HELP_MIN_WORDS) == "concern"
    assert decide("concern", 0.05, POINTS, length=3) == "concern"   # the lexicon's help needs no length
    assert decide("none", 0.7, POINTS, length=3) == "crisis"        # a few clear words can be enough


# Whose voice a post is in (voice.py): the model alone raises the alarm only on the writer's own words.
GATED = OperatingPoints(help=0.2, alarm_with_lexicon=0.25, alarm_alone=0.6, alarm_despite_context=0.8,
                        alarm_first_person=0.4)


@pytest.mark.parametrize("text, share", [
    ("I can't do this anymore and I'm tired of my life.", 1.0),
    ("You are not alone, your life matters and you can call the line tonight.", 0.0),
    ("He told me he wants to die and I don't know how to help him.", 0.4),   # I, I; he, he, him
    ("Can't do this anymore.", 1.0),                                          # no pronoun: nobody else's
    ("I’m scared for her", 0.5),                                              # curly apostrophe: "im"
    ("We are here for you", 0.0),                                             # we: a community's voice
])
def test_the_writers_share_of_the_pronouns(text, share):
    assert first_person_share(text) == pytest.approx(share)


def test_a_reply_with_no_pronoun_is_spoken_to_the_person_it_answers():
    assert first_person_share("Can't do this anymore.", reply=True) == 0.0
    assert first_person_share("I can't do this anymore.", reply=True) == 1.0  # pronouns: counted as in a post
    support = "Please don't give up, reach out to the hotline tonight."
    points = operating_points()
    as_reply, as_post = assess(support, reply=True), assess(support)
    assert as_reply.model.score >= points.alarm_alone, "the model alone would raise the alarm"
    # No top-priority alarm; about_others still sends it to a moderator (services.safety.reaches_moderators).
    assert as_reply.level is Level.CONCERN and as_reply.about_others
    assert as_post.level is Level.CRISIS, "the same words as a post are the writer's own"
    # The lexicon's own crisis in a reply is not gated.
    assert assess("Same. Want to die tonight and have a plan to end it.", reply=True).level is Level.CRISIS


@pytest.mark.parametrize("lexicon, score, voice, level", [
    ("none", 0.7, 1.0, "crisis"),       # the writer's own words: the model alone may raise the alarm
    ("none", 0.7, 0.4, "crisis"),       # as much about the writer as the gate asks
    ("none", 0.7, 0.3, "concern"),      # mostly about someone else: help card and a normal item, no alarm
    ("crisis", 0.7, 0.0, "crisis"),     # the lexicon's own crisis is not gated
    ("none", 0.3, 0.0, "concern"),      # the help card never asks whose voice it is
])
def test_the_model_alone_raises_the_alarm_only_in_the_writers_own_voice(lexicon, score, voice, level):
    assert decide(lexicon, score, GATED, voice=voice) == level


def test_a_post_about_someone_else_gets_help_but_no_alarm_from_the_model_alone():
    text = ("He told me he feels hopeless, worthless and tired of everything, and that he doesn't want to be "
            "here anymore. I don't know how to help him.")
    found = assess(text)
    points = operating_points()
    assert points.alarm_first_person > 0
    assert found.model.score >= points.alarm_alone, "the model alone would raise the alarm"
    assert first_person_share(text) < points.alarm_first_person
    assert found.level is Level.CONCERN
    # The same despair in the writer's own words still raises it.
    own = "I feel hopeless, worthless and tired of everything, and I don't want to be here anymore."
    assert assess(own).level is Level.CRISIS


# A short post that speaks only of its writer is someone reaching out; a short reply is usually an answer.
SHORT_SELF = OperatingPoints(help=0.2, alarm_with_lexicon=0.25, alarm_alone=0.6, alarm_despite_context=0.8,
                             help_short_of_self=0.3)


@pytest.mark.parametrize("score, short_post_of_self, level", [
    (0.35, True, "concern"),    # short, the writer's own words: the threshold chosen for them
    (0.35, False, "none"),      # short, and a reply or about someone else: needs SHORT_TEXT_HELP
    (0.25, True, "none"),       # below the short threshold
    (0.55, False, "concern"),   # even odds are enough for any short text
])
def test_a_short_post_of_the_writers_own_needs_only_its_threshold(score, short_post_of_self, level):
    assert decide("none", score, SHORT_SELF, length=5, short_post_of_self=short_post_of_self) == level


def test_short_words_of_self_get_help_as_a_post_but_not_as_a_reply():
    from forum.crisis.voice import speaks_only_of_self

    text = "I cried all day again."
    points = operating_points()
    score = load_model().score(text).score
    assert assess_lexicon(text).level is Level.NONE
    assert points.help_short_of_self <= score < 0.5 and speaks_only_of_self(text)
    assert assess(text).level is Level.CONCERN
    assert assess(text, reply=True).level is Level.NONE
    # Words to someone else stay a reply's words even in a post: "Thinking of you" needs even odds.
    assert not speaks_only_of_self("Thinking of you.")
    assert assess("Thinking of you.").level is Level.NONE
