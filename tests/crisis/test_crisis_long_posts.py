"""Long posts: assessed in linear time, exactly as the direct way would assess them; nothing compiled late.

A sentence with many phrases (a post with little punctuation, or one line
repeated) used to take time growing with the square of its length: every
phrase searched its whole sentence for cues.  The context rules now look cues
and clause breaks up in indexes of the post (context.Scope), and a sentence
with many groups of phrases is read in one pass of the whole family's regex
(phrases.PhraseFamily).  Neither may change a result: both are compared here
with the direct way, on long texts built from the corpus and from cue words.
"""

from __future__ import annotations

import random
import re
import time

import pytest

import forum.crisis.context as context
import forum.crisis.phrases as phrases
from forum.crisis.detector import assess, warm_up
from tests.crisis import corpus

TEXTS = corpus.texts()

# Words of the context cues and of everyday phrases, and separators: soups
# of them put many phrases and cues into one long sentence.
_WORDS = (
    "but|now|and now|these days|lately|however|lyrics|song|movie|the news|quote|years ago|2 years ago|"
    "in 2016|2016but|asked me if|screened me for|scared i'll|afraid i might|if someone|how do i help|"
    "someone who|tonight|again|last night|right now|an hour ago|survived|3 years clean|sober for|"
    "used to|back then|when i was|i want to die|kms|end it all|cut myself|took all my pills|"
    "he hits me|goodbye everyone|see you soon|taking a break|i'm not suicidal|never|not|don't|no one|"
    "he|she|my friend|you|they|i|me|my|pills|bridge|killing me|dying to see|the|and|to|k1ll|d i e"
).split("|")
_SEPARATORS = [" "] * 30 + [", ", " - ", "-", "*", ' "', '" ', "'", " 3 ", ". ", "? ", "\n", "  ", " #tag "]


def _soup(rng: random.Random, size: int, between: str = " ") -> str:
    out: list[str] = []
    while sum(map(len, out)) < size:
        out.append(rng.choice(_WORDS))
        out.append(rng.choice(_SEPARATORS) if rng.random() < 0.3 else between)
    return "".join(out)


def _repeated(text: str, size: int) -> str:
    return ((text + " ") * (size // (len(text) + 1) + 1))[:size]


def _long_texts() -> list[str]:
    rng = random.Random(17)
    one_sentence = [_repeated(re.sub(r"[.!?;]", " ", t), 1500) for t in TEXTS[::9]]
    lines = [_repeated(t, 1500) for t in TEXTS[4::9]]
    soups = [_soup(rng, rng.randrange(400, 4000)) for _ in range(60)]
    # Words joined by "*": a word may start after one, and there are few separators.
    starred = [_soup(rng, rng.randrange(400, 3000), between="*") for _ in range(20)]
    return one_sentence + lines + soups + starred


def _direct(monkeypatch) -> None:
    """Search every range directly and run every group on its own."""
    monkeypatch.setattr(context, "_SHORT", 10**9)
    monkeypatch.setattr(phrases, "WHOLE_FAMILY_FROM", 10**9)


def test_long_sentences_are_assessed_as_the_direct_way_would(monkeypatch):
    texts = _long_texts()
    fast = [assess(text).to_dict() for text in texts]
    _direct(monkeypatch)
    assert [assess(text).to_dict() for text in texts] == fast


def test_the_indexes_agree_with_the_direct_way_on_every_range(monkeypatch):
    # Short texts, with the indexes used for every range and the whole
    # family's regex for every sentence.
    monkeypatch.setattr(context, "_SHORT", -1)
    monkeypatch.setattr(phrases, "WHOLE_FAMILY_FROM", 1)
    rng = random.Random(3)
    texts = TEXTS + [_soup(rng, rng.randrange(20, 400), rng.choice(" *")) for _ in range(300)]
    indexed = [assess(text).to_dict() for text in texts]
    _direct(monkeypatch)
    assert [assess(text).to_dict() for text in texts] == indexed


@pytest.mark.parametrize("line", [
    "i wanna kms ",
    "I want to die.\n",
    "i really want to end it all ",
    '"i want to die" ',
    "movies*kms*",
    "dying to see it, kms ",
    "I drank again last night after 40 days. Back to day one. ",
])
def test_a_20000_character_post_takes_linear_time(line):
    warm_up()
    text = (line * 20_000)[:20_000]
    started = time.process_time()
    assess(text)
    # A sanity bound only, generous for a loaded machine: the target is
    # 20 ms; the quadratic version took 3-10 s.
    assert time.process_time() - started < 0.3


def test_after_warm_up_no_post_compiles_a_regex(monkeypatch):
    warm_up()
    warm_up()  # a second call does nothing

    def refuse(*args, **kwargs):
        raise AssertionError("a regex was compiled after warm_up()")

    monkeypatch.setattr(re, "compile", refuse)
    for text in TEXTS + _long_texts()[::5]:
        assess(text)


def test_a_phrase_written_again_and_again_is_listed_once_and_still_decides():
    # A repeat of a phrase already judged a crisis changes no verdict, so it is not judged again: a post
    # made of one phrase thousands of times once cost ~90 ms and listed the phrase to moderators each time.
    once = assess("kms")
    again = assess(("kms*" * 5000)[:20_000])
    assert once.level.value == again.level.value == "crisis"
    assert again.categories == once.categories
    assert [m.phrase for m in again.matches] == ["kms"]


def test_a_repeat_is_still_judged_when_the_first_time_was_not_a_crisis():
    # Only a crisis settles a phrase: the same words first negated, then meant, still raise the crisis,
    # and every time they were lowered is still counted.
    denied = "I would never kill myself. " * 3
    found = assess(denied + "Tonight I will kill myself.")
    assert assess(denied).level.value != "crisis"
    assert found.level.value == "crisis"
    assert found.defused == assess(denied).defused == 3


def _lines_repeated(rng: random.Random) -> list[str]:
    """Posts made of a few labelled lines written again and again, each ending a sentence, some with a
    cue or a negation varying around them: the same sentence text judged many times."""
    posts = []
    for _ in range(80):
        lines = [rng.choice(TEXTS).rstrip(".!?;") + rng.choice([".", "!", "?", ";", ".\n"]) for _ in range(3)]
        extras = ["", "", " Not really.", " Years ago.", " Tonight.", " My friend said it.", ' "Quote."']
        body = []
        while sum(map(len, body)) < rng.randrange(600, 3000):
            body.append(rng.choice(lines) + rng.choice(extras) + " ")
        posts.append("".join(body))
    return posts


def test_sentences_judged_alike_are_judged_as_every_phrase_would_be(monkeypatch):
    # context.repeat_key lets a repeated short sentence be judged once (detector.PHRASES_WORTH_A_MEMO);
    # with it off, every phrase is judged: the two must agree in everything assess() returns.
    import forum.crisis.detector as detector

    rng = random.Random(29)
    # The same phrase at the same place of sentences that differ only before it, by words that change
    # the verdict (someone else, you, never, years ago): a key that left them out would mix them up.
    alike = ["You want to die.", "She wants to die.", "The wish to die.", "I never want to die.",
             "I truly want to die.", "Years ago I wanted to kill myself.", "Today I want to kill myself.",
             "My friend wants to end it all.", "Honestly I want to end it all."]
    texts = ["".join(rng.choice(alike) + rng.choice(" \n") for _ in range(rng.randrange(20, 200)))
             for _ in range(30)]
    texts += _lines_repeated(rng) + [_soup(rng, rng.randrange(400, 3000), rng.choice([". ", "; ", "! "]))
                                    for _ in range(60)] + _long_texts()
    monkeypatch.setattr(detector, "PHRASES_WORTH_A_MEMO", 1)
    remembered = [assess(text).to_dict() for text in texts]
    monkeypatch.setattr(detector, "PHRASES_WORTH_A_MEMO", 10**9)
    assert [assess(text).to_dict() for text in texts] == remembered


def test_judge_reads_nothing_past_a_sentence_end_that_a_key_leaves_out():
    # repeat_key is exact only while no cue can consume a sentence mark; a cue that could is refused.
    import re as regex

    assert context._judge_stays_in_its_sentence()
    for crossing in (r"[^a-z0-9](a.b)", r"[^a-z0-9](a[^x]b)", r"[^a-z0-9](end(?=\.))", r"[^a-z0-9](a\W)"):
        assert context._can_cross_a_sentence_end(regex._parser.parse(crossing)), crossing
    assert not context._can_cross_a_sentence_end(regex._parser.parse(r"[^a-z0-9](?<![a-z]')(not( |, ?)okk*)(?![a-z])"))


def test_the_same_words_judged_alike_are_listed_once_and_different_ones_each_time():
    line = "I feel empty and useless.\n"
    once = assess(line)
    repeated = assess((line * 800)[:20_000])
    assert once.level is repeated.level and once.categories == repeated.categories
    assert [(m.phrase, m.level, m.notes) for m in repeated.matches] == [(m.phrase, m.level, m.notes)
                                                                       for m in once.matches]
    # Lowered once and meant once: two judgements, two entries, each where it first appears.
    mixed = assess("My friend said she feels hopeless. I feel hopeless. My friend said she feels hopeless.")
    assert [m.notes for m in mixed.matches] == [("third_person",), ()]


def test_a_quoted_phrase_written_again_is_counted_as_lowered_and_an_unquoted_one_still_decides():
    # A quoted crisis phrase is at most a concern (context.judge), so once its words were judged quoted the
    # repeats are counted, not judged: 1,250 quotations took ~30 ms.  The one said outright still decides.
    from forum.crisis.detector import assess as lexicon

    quoted = '"I want to die" ' * 400
    found = lexicon(quoted)
    assert found.level.value == "concern" and found.defused == 400
    assert [(m.phrase, m.notes) for m in found.matches] == [("want to die", ("quoted",))]
    assert lexicon(quoted + "And tonight I want to die.").level.value == "crisis"
    assert lexicon('In the film she says "I want to die". ' + quoted).defused == 401


def test_quoted_repeats_counted_unjudged_decide_as_judging_every_one_would(monkeypatch):
    # With detector.QUOTED_REPEATS_JUDGED_ONCE off every phrase is judged: level, categories and the
    # lowered count must agree; only the list of matches may be shorter.
    import forum.crisis.detector as detector

    rng = random.Random(31)
    pieces = ['"I want to die" ', '"i want to kill myself" ', "I want to die. ", "In the book he wrote ",
              "she said ", "I would never ", "Years ago ", '"kms" ', "My brother said ", "tonight. ",
              '"I want to die." ', '" ', "You want to die? ", "The song goes "]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(5, 300))) for _ in range(120)]

    def verdicts():
        found = [detector.assess(text) for text in texts]
        return [(a.level, a.categories, a.defused) for a in found], [assess(text).level for text in texts]

    counted = verdicts()
    monkeypatch.setattr(detector, "QUOTED_REPEATS_JUDGED_ONCE", False)
    assert verdicts() == counted


def test_keys_are_not_asked_for_where_repeat_key_would_refuse_them_all():
    from forum.crisis.context import Scope, may_make_keys, repeat_key

    one_long = Scope(" " + "i hate my life " * 40)
    quoted = Scope(' "i want to die" . i want to die.')
    short = Scope(" i hate my life. i hate my life.")
    assert not may_make_keys(one_long) and not may_make_keys(quoted) and may_make_keys(short)
    # Exactly where repeat_key gives no key to any phrase.
    assert repeat_key(0, 1, 14, one_long) is None and repeat_key(0, 2, 15, quoted) is None
    assert repeat_key(0, 1, 14, short) is not None
