"""Crisis detection for Kindred posts.  Pure Python; imports no Flask.

Usage::

    from forum.crisis import assess, Level
    result = assess(post_text)             # -> Assessment (frozen)
    assess(reply_text, reply=True)         # a reply: short words of one's own are an answer
    if result.is_crisis: ...               # show hotlines now, top of mod queue
    result.level                           # Level.NONE < Level.CONCERN < Level.CRISIS
    result.categories                      # frozenset of Category (suicide, self_harm,
                                           #   overdose, substance_use, abuse)
    result.matches                         # tuple of Match(phrase, category, level,
                                           #   start, end, rule, notes); text[start:end]
                                           #   == phrase, in the ORIGINAL text
    result.lexicon_level                   # what the lexicon alone said
    result.model                           # ModelScore(score 0..1, words that weighed most)
    result.about_others                    # the model alone would alarm, but it is about others
    result.to_dict()                       # JSON-ready: level, categories, matches, model
    assess_lexicon(post_text)              # the lexicon alone (stage one)
    warm_up()                              # compile and load everything, hotlines too
                                           #   (create_app does)

Levels
    crisis   first person, now or imminent: wanting to die, intent or a plan,
             a farewell, self-harm now, an overdose or dangerous use now, being
             hurt or unsafe at home now.
    concern  distress without a present danger signal: hopelessness, worry
             about someone else, urges coming back, relapse.
    none     everything else, including recovery stories, negations,
             awareness posts, idioms, quoted lyrics and hashtags.

How it works (detector.py runs these steps)
    1. Normalise (normalise.py): lower case; accents, full-width and
       look-alike letters folded; digits and symbols inside words read as
       letters ("k1ll", "h@rm"); letters spaced out with separators joined
       ("k.i.l.l", "d i e"); hashtags removed entirely; every run of
       whitespace made one space.  Offsets are mapped back so spans point at the original text.
    2. Match phrases from lexicon.toml, kept as data by category and level
       (loaded by lexicon.py; the phrase syntax is in patterns.py).
       Every letter accepts repeats ("diiieee") and inner vowels accept "*"
       ("k*ll").  Slang such as "kms", "unalive", "sewerslide" is listed.
       Every phrase has an anchor (its rarest word or run of words,
       anchors.py); one scan for anchors (scanner.py), on the raw text
       before normalising, lets most posts go at once and picks the
       sentences, and the groups of phrases, worth matching in the rest.
       Regexes are compiled on first use.  No nested quantifiers, so no
       catastrophic backtracking.
    3. Idioms cancel a phrase they overlap ("killing me", "overdosed on
       Netflix", "dying to see", "cut myself shaving"); a phrase inside a
       longer phrase is dropped.
    4. Context (context.py), per phrase, in its sentence or clause:
       - negation just before it, with no new subject in between ("I'm not
         suicidal", "I would never") -> none; "can't stop", "not going to lie",
         "no one" are not negations;
       - past or recovery cues ("two years ago", "used to", "3 years clean",
         "in 2016", "survived") -> none; past-tense phrases ("I tried to",
         "he hit me", "I overdosed") count as crisis only with a recent cue
         ("last night", "an hour ago", "again"), else their rule's default;
       - whose it is: the nearest subject word to the left ("my friend says
         she wants to die" -> concern; "you" -> none); no subject means the
         writer;
       - advice-seeking and hypotheticals ("what should I say if someone...")
         -> at most concern; someone else asking ("asked if I was suicidal")
         -> none; fear of acting ("scared I'll hurt myself") -> concern;
       - fiction, lyrics, quotes and news ("song lyrics:", "in the movie",
         a quotation introduced by "quote") -> none; an unframed quotation
         -> at most concern.
    5. A farewell in a post that also says it is a break ("see you in June")
       is not a farewell.  Means mentioned by the writer (pills in hand or
       lined up, a blade, a bridge or ledge) turn another first-person
       signal into a crisis: means predict risk better than the word
       "suicide" does.  Pills taken or being taken are "overdose" (the help
       panel leads with Poison Control); pills saved, set out or about to be
       taken are suicidal planning, "suicide"; a post with both gets both.
    6. The post's level is the highest level of any phrase.  Hashtags never
       count, so appending tags can never raise a level.

Stage two: the learned model (model.py, combined.py)
    A logistic regression over the post's words and word pairs (TF-IDF),
    trained by bench/train_crisis.py on ~43k public labelled posts
    (../shared/crisis-data, never committed; MODEL_CARD.md says what and
    how).  It hears what no phrase list holds: long posts about not wanting
    to exist, being a burden, being done.  The level comes from both
    stages: a help card when the lexicon finds anything or the score
    reaches the help threshold (tuned for recall; 0.5 below 20 words); a moderator alarm when
    the lexicon's crisis is not contradicted by the model, or the score
    alone is high (tuned for precision; higher where the lexicon's context
    rules lowered a phrase) on a post in the writer's own voice (voice.py:
    a reply begging someone to stay, or a worried sister, scores as high,
    and still reaches a moderator, without the top priority).  The model cannot overrule the lexicon on
    abuse and overdose, which its data never held.  A help card that only
    the model asked for stays private (no moderation item).

How well it works
    Honest figures are the ones measured on a source the model never saw:
    bench/README.md and MODEL_CARD.md hold the leave-one-source-out table,
    per source and per C-SSRS severity, the lexicon alone beside the
    combination.  Held out, the combination gives a help card to 79-100% of
    crisis posts of each source (C-SSRS posts 0.89, Attempt 0.92) where
    the lexicon alone reached 31-75%; its alarms catch more (C-SSRS posts
    0.29 -> 0.45 recall, Attempt 0.33 -> 0.53) at a lower precision than
    the lexicon's (0.79 -> 0.59 on C-SSRS posts, 0.97 on komati).
    The tuning-corpus figures in tests/crisis say only that the rules do
    what they were written to do.

Known limits (it will miss or misread these)
    - awareness and news posts about suicide, and worry about someone else,
      can still raise the model's alarm (its training labels were mostly
      which forum a post was in, and those forums hold such posts too);
    - sarcasm, jokes and dark humour, in both directions;
    - anything that needs more than one sentence of context ("I have a plan."
      after three paragraphs of ordinary news), or the thread it replies to;
    - indirect or novel phrasing and new slang that is not in the lexicon;
      subtle hopelessness ("every day feels heavier") is easy to miss;
    - non-English posts (only English is in the lexicon);
    - spelling mistakes beyond repeated letters and common leetspeak;
    - reported speech and nested quotes are handled only roughly;
    - hypothetical wording can hide a real disclosure ("asking for a friend").
It is a safety net that helps people reach help faster, not a diagnosis:
moderators still read posts, and a "none" never means someone is fine.
Never log or show the matched phrases outside the moderation view.
"""

from .combined import assess
from .detector import Assessment, Category, Level, Match
from .detector import assess as assess_lexicon
from .hotlines import Hotline, directory_entries, hotlines_for, load_hotlines
from .model import ModelScore, load_model


def warm_up() -> None:
    """Compile the lexicon, load the model and the hotlines now, so that no member's request pays for it.

    The hotlines matter most: without them here, the first help card after a deploy parsed the
    hotline file (about 15 ms) for a member in crisis.
    """
    from . import combined, detector

    detector.warm_up()
    load_model()
    combined.operating_points()
    load_hotlines()


__all__ = [
    "warm_up",
    "assess",
    "assess_lexicon",
    "ModelScore",
    "load_model",
    "Assessment",
    "Level",
    "Category",
    "Match",
    "Hotline",
    "load_hotlines",
    "hotlines_for",
    "directory_entries",
]
