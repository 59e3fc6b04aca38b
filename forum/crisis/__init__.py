"""Crisis detection for Kindred posts.  Pure Python; imports no Flask.

Usage::

    from forum.crisis import assess, Level
    result = assess(post_text)             # -> Assessment (frozen)
    if result.is_crisis: ...               # show hotlines now, top of mod queue
    result.level                           # Level.NONE < Level.CONCERN < Level.CRISIS
    result.categories                      # frozenset of Category (suicide, self_harm,
                                           #   overdose, substance_use, abuse)
    result.matches                         # tuple of Match(phrase, category, level,
                                           #   start, end, rule, notes); text[start:end]
                                           #   == phrase, in the ORIGINAL text
    result.to_dict()                       # JSON-ready: level, sorted categories, matches

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
       anchors.py); one scan for anchors (matcher.py), on the raw text
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

Measured (bench/crisis_eval.py): crisis precision/recall on the tuning
corpus 1.00/1.00 (it was tuned on it) and on the held-out set 1.00/0.94,
against 0.46/0.51 for a naive keyword list.  Both sets were written by the
same people who wrote the rules, so real posts will score lower.

Speed (bench/crisis_bench.py --mb 4, CPU time on one core of the 2-core
development machine, with other jobs running): about 11 MB/s on a forum-like
mix (one sentence in ten from the labelled corpus; 10.3-11.3 MB/s over five
runs, once 9.7 at the 1 MB size, which is timed over only 0.1 s; 10.3-10.7
MB/s before the bytes prefilter, 4.3 MB/s before any prefilter): above the 10
MB/s target, with little margin.  About 1.9 MB/s on the worst case where every
sentence is from the corpus (every post takes the full path).  On the mix,
about a third of the time is the prefilter's single regex pass over every word
(the floor of this design in Python's re), and most of the rest is the full
path for the third of posts that hold an anchor, spread over normalising,
phrase matching and the context rules.  Importing takes about 40 ms; a fresh
process spends about 0.15 s compiling on its first posts, and about 0.5 s for
the whole corpus.

Known limits (it will miss or misread these)
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
    """Compile the lexicon and load the model now, so that no member's request pays for it."""
    from . import combined, detector

    detector.warm_up()
    load_model()
    combined.operating_points()


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
