"""Each context rule, as a table of (text, expected level)."""

from __future__ import annotations

import pytest

from forum.crisis import assess_lexicon as assess


def _check(text: str, level: str) -> None:
    got = assess(text)
    assert got.level.value == level, (text, [m.to_dict() for m in got.matches])


NEGATION = [
    ("I'm not suicidal, just tired.", "none"),
    ("I would never hurt myself.", "none"),
    ("I don't want to die, I want to rest.", "none"),
    ("I'm not going to kill myself.", "none"),
    ("No thoughts of self harm this week.", "none"),
    ("I haven't self harmed in months.", "none"),
    # negations that do not negate the phrase
    ("I can't stop thinking about killing myself.", "crisis"),
    ("I'm not going to lie, I want to die.", "crisis"),
    ("I'm not okay. I want to kill myself.", "crisis"),
    ("I don't know why but I want to die.", "crisis"),
    ("I don't want to live anymore.", "crisis"),
    ("I'm not safe at home.", "crisis"),
]

PAST_AND_RECOVERY = [
    ("Two years ago I attempted suicide. Today I'm glad I stayed.", "none"),
    ("I used to self-harm, three years clean now.", "none"),
    ("When I was a teenager I wanted to die.", "none"),
    ("I overdosed in 2015 and I'm a peer worker now.", "none"),
    ("I used to self harm but now I'm cutting again.", "crisis"),
    ("I tried to kill myself last night.", "crisis"),
    ("I tried to kill myself once.", "concern"),
    ("I relapsed after two years sober.", "concern"),
    ("I relapsed in 2019 and have been sober since.", "none"),
    # a recovery count beside a relapse just now is its backdrop, not the end of the story
    ("I hurt myself again last night after two years free of it.", "crisis"),
    ("Two years clean and I hurt myself again tonight.", "crisis"),
    ("Two years clean and I hurt myself a lot before that.", "none"),
    ("I used to hurt myself, two years clean today.", "none"),
    # days ago is recent; last year is history
    ("I attempted three days ago.", "crisis"),
    ("I attempted the other day and nobody knows.", "crisis"),
    ("I attempted last year.", "none"),
    # an urge, a wish or a resolve is not an act: the urge and intent rules speak for it
    ("The urge to hurt myself was strong last night.", "concern"),
    ("Tempted to hurt myself again tonight.", "crisis"),  # self_harm.intent, present tense
    ("I wanted to hurt myself yesterday, so I called my sister.", "none"),
    # thoughts of an act are not the act (the urge rule says concern)
    ("I keep having thoughts of hurting myself again.", "concern"),
    ("I think about hurting myself tonight, but I won't.", "concern"),
    ("I've been dreaming about cutting myself again.", "none"),  # no urge phrase: the model may still speak
    # ...but a clause with its own subject after "think about" is told, not wished for
    ("That's all I think about I attempted three days ago.", "crisis"),
]

THIRD_PERSON = [
    ("My friend says she wants to die.", "concern"),
    ("My brother is thinking about killing himself.", "concern"),
    ("Her boyfriend hits her.", "concern"),
    ("My friend overdosed last night.", "concern"),
    ("My friend says I seem fine but I want to die.", "crisis"),
    ("He hits me.", "crisis"),
]

HYPOTHETICAL_AND_SECOND_PERSON = [
    ("What should I say if someone tells me they want to die?", "concern"),
    ("How do I support a friend who is suicidal?", "concern"),
    ("If you ever feel like you want to die, please call a hotline.", "none"),
    ("My nurse asked if I was suicidal and I said no.", "none"),
]

QUOTES_FICTION_LYRICS = [
    ('Song lyrics: "I want to die young" - great chorus.', "none"),
    ('My favourite quote: "goodbye everyone, I\'m off to the stars".', "none"),
    ("In the movie the hero wants to kill himself.", "none"),
    ("I'm writing a story where a character self harms.", "none"),
]

IDIOMS = [
    ("This traffic is killing me.", "none"),
    ("I'd kill for a coffee.", "none"),
    ("I overdosed on Netflix.", "none"),
    ("Dying to see the show!", "none"),
    ("We killed it at trivia.", "none"),
    ("I almost died of embarrassment.", "none"),
    ("I cut myself shaving.", "none"),
    ("He beat me at chess.", "none"),
    ("My phone is about to die.", "none"),
    ("I felt like I was going to die during the panic attack, but it passed.", "none"),
    ("I relapsed on sugar.", "none"),
    ("I ran 5 kms today.", "none"),
]

FAREWELLS = [
    ("This is my last post. Thank you all.", "crisis"),
    ("Goodbye everyone.", "crisis"),
    ("Goodbye everyone, see you after my exams!", "none"),
    ("This is my last post before the holidays.", "none"),
    ("Goodbye everyone, see you on the other side.", "crisis"),
    ("I said goodbye to my mum tonight without her knowing it was goodbye.", "crisis"),
    ("Said goodbye to my sister without her realising it was goodbye. Back from my trip in May!", "none"),
]

MEANS = [
    ("I can't do this anymore. I have the pills right here.", "crisis"),
    ("The urge to cut is back and I'm holding the blade.", "crisis"),
    ("I take my pills every night.", "none"),
    ("I have my meds in my bag.", "none"),
    ("I feel hopeless.", "concern"),
]

HASHTAGS = [
    ("#Suicide #SelfHarm", "none"),
    ("#KillMyself", "none"),
    ("Good day at the park. #Suicide #Depression #Overdose", "none"),
    ("I want to die #sad", "crisis"),
]


@pytest.mark.parametrize("text, level", NEGATION)
def test_negation(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", PAST_AND_RECOVERY)
def test_past_and_recovery(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", THIRD_PERSON)
def test_third_person(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", HYPOTHETICAL_AND_SECOND_PERSON)
def test_hypothetical_and_second_person(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", QUOTES_FICTION_LYRICS)
def test_quotes_fiction_lyrics(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", IDIOMS)
def test_idioms(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", FAREWELLS)
def test_farewells(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", MEANS)
def test_means(text, level):
    _check(text, level)


@pytest.mark.parametrize("text, level", HASHTAGS)
def test_hashtags_never_count(text, level):
    _check(text, level)
