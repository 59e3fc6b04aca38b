"""The crisis detector's verdict: the lexicon's findings and the learned model's score, together.

Two actions follow from the level, and they cost different things when wrong:

* a help card for the author (``concern`` or ``crisis``) is private and costs nothing when wrong, so it
  favours recall: the lexicon finding anything, or the model's score reaching ``help`` on a text long
  enough for the model to judge (``help_short_of_self`` on a short post that speaks only of its writer:
  voice.py);
* a top-priority moderator alarm (``crisis``) costs a moderator's attention, so it favours precision: the
  lexicon's crisis confirmed by a score of at least ``alarm_with_lexicon``, or the score alone reaching
  ``alarm_alone`` on a post written in the writer's own voice (``voice.py``: replies that beg someone to
  stay and worried relatives score high too, and the model alone cannot tell them apart).

The lexicon judges context the model cannot (negation, someone else, the past, idioms), so a lexicon
crisis needs only a low score, one that says the model does not positively disagree (and none at all for
warning signs and the kinds of danger the model never learned); the model hears what no phrase list holds
(not wanting to exist, being a burden, goodbyes), so its score alone can raise the alarm when it is high.  The
thresholds are chosen on validation data by ``bench/train_crisis.py`` and shipped in ``model.json``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import detector
from .detector import Level
from .model import ModelScore, load_model
from .voice import first_person_share, speaks_only_of_self

__all__ = ["Assessment", "OperatingPoints", "decide", "assess", "operating_points"]

#: How many of the model's strongest words an assessment carries, for moderators.
EXPLAIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class OperatingPoints:
    help: float
    alarm_with_lexicon: float
    alarm_alone: float
    #: The model alone, where the lexicon heard danger words and its context rules lowered them
    #: ("I'm not suicidal", "my friend wants to die"): the model's false alarms cluster there.
    alarm_despite_context: float
    #: The model alone raises the alarm only on a post whose personal pronouns are at least this share the
    #: writer's own (voice.first_person_share); 0 lets every post through.
    alarm_first_person: float = 0.0
    #: The help threshold of a short post that speaks only of its writer (voice.speaks_only_of_self); other
    #: short texts need SHORT_TEXT_HELP.  The default keeps them there.
    help_short_of_self: float = 0.5

    def to_dict(self) -> dict:
        return {"help": self.help, "alarm_with_lexicon": self.alarm_with_lexicon, "alarm_alone": self.alarm_alone,
                "alarm_despite_context": self.alarm_despite_context, "alarm_first_person": self.alarm_first_person,
                "help_short_of_self": self.help_short_of_self}

    def model_may_alarm(self, score: float, defused: int) -> bool:
        """Whether ``score`` reaches the model's own alarm (before the writer's voice is asked)."""
        return score >= (self.alarm_despite_context if defused else self.alarm_alone)


#: Kinds of danger the model never learned (no public labelled data holds them; the data it learned from
#: even counts abuse posts as "not crisis"), so its score cannot overrule the lexicon's crisis for them.
BEYOND_THE_MODEL = frozenset({"abuse", "overdose", "substance_use"})
#: Warning signs rather than words: a plan, a farewell, belongings given away, means at hand, waiting for
#: the moment.  They are rarely figurative, and the model, which weighs words one by one, scores them low.
WARNING_SIGN_RULES = frozenset({"suicide.plan", "suicide.farewell", "suicide.place", "suicide.stockpile",
                                "suicide.overdose_plan", "suicide.giving_away"})


def lexicon_is_firm(found: detector.Assessment) -> bool:
    """Whether the lexicon's crisis stands whatever the model says: a warning sign, or a kind of danger
    the model never learned."""
    return any(m.level is Level.CRISIS and (m.rule in WARNING_SIGN_RULES or
                                            (m.category is not None and m.category.value in BEYOND_THE_MODEL))
               for m in found.matches)


#: Below this many words the model alone needs SHORT_TEXT_HELP for a help card.  On a line or two its
#: score rests on one or two words ("Thinking of you." scores like distress because "thinking of" does),
#: and a supportive reply that sends its author to the help panel is no help; short posts in danger
#: still reach help through the lexicon, a score of even odds, the alarm, or, when they speak only of
#: their writer, the threshold chosen for them (OperatingPoints.help_short_of_self; a post, not a reply).
MODEL_HELP_MIN_WORDS = 20
SHORT_TEXT_HELP = 0.5


def decide(lexicon_level: str, score: float, points: OperatingPoints, firm: bool = False,
           defused: int = 0, length: int = MODEL_HELP_MIN_WORDS, voice: float = 1.0,
           short_post_of_self: bool = False) -> str:
    """The level ("none", "concern", "crisis") from the lexicon's findings and the model's score.

    ``firm``: the lexicon's crisis stands whatever the score (lexicon_is_firm); ``defused``: how many of
    the lexicon's phrases its context rules lowered; ``length``: how many words the model read; ``voice``:
    the writer's own share of the post's personal pronouns (voice.first_person_share);
    ``short_post_of_self``: a post (not a reply) that speaks only of its writer, which when short needs
    ``help_short_of_self`` for help rather than SHORT_TEXT_HELP (voice.speaks_only_of_self).
    """
    if points.model_may_alarm(score, defused) and voice >= points.alarm_first_person:
        return "crisis"
    if lexicon_level == "crisis" and (firm or score >= points.alarm_with_lexicon):
        return "crisis"
    if length >= MODEL_HELP_MIN_WORDS:
        help_from = points.help
    else:
        help_from = min(points.help_short_of_self, SHORT_TEXT_HELP) if short_post_of_self else SHORT_TEXT_HELP
    if lexicon_level != "none" or score >= help_from:
        return "concern"
    return "none"


@dataclass(frozen=True, slots=True)
class Assessment(detector.Assessment):
    """The lexicon's assessment with the level both stages decided, and what the model heard."""

    lexicon_level: Level = Level.NONE
    model: ModelScore | None = None
    #: The model's score alone reached the alarm, but the post speaks mostly to or of someone else
    #: (voice.py): no top-priority alarm, yet a moderator should still look.
    about_others: bool = False

    def to_dict(self) -> dict:
        found = detector.Assessment.to_dict(self)  # (slots=True dataclasses lose zero-argument super())
        found["lexicon_level"] = self.lexicon_level.value
        found["defused"] = self.defused
        if self.model is not None:
            found["model"] = self.model.to_dict()
        if self.about_others:
            found["about_others"] = True
        return found


@lru_cache(maxsize=1)
def operating_points() -> OperatingPoints:
    return OperatingPoints(**load_model().meta["operating_points"])


def assess(text: str, reply: bool = False) -> Assessment:
    """Assess one post (or, with ``reply=True``, a reply) with both stages.  Never raises on any ``str``.

    A reply differs in two things: a short one that speaks only of its writer ("Me too", "I'm so sorry")
    is usually an answer to someone, not a reach for help, so it needs the short text's higher score; and
    one with no personal pronoun at all ("Please don't give up, call the line tonight") is spoken to the
    person it answers, so it is not the writer's own voice (voice.first_person_share).
    """
    found = detector.assess(text)
    points = operating_points()
    # Explanations are for moderators and the author's help: needed from the help threshold up.
    explain_from = 0.0 if found.level is not Level.NONE else points.help
    scored = load_model().score(text, explain=EXPLAIN_WORDS, explain_from=explain_from)
    # Whose voice the post is in matters only where the model alone would raise the alarm: a rare post.
    model_alarm = points.model_may_alarm(scored.score, found.defused)
    voice = first_person_share(text, reply=reply) if model_alarm else 1.0
    short_post_of_self = (not reply and scored.length < MODEL_HELP_MIN_WORDS
                          and scored.score >= points.help_short_of_self and speaks_only_of_self(text))
    level = Level(decide(found.level.value, scored.score, points, lexicon_is_firm(found), found.defused,
                         scored.length, voice, short_post_of_self))
    return Assessment(level=level, categories=found.categories, matches=found.matches, defused=found.defused,
                      lexicon_level=found.level, model=scored,
                      about_others=model_alarm and voice < points.alarm_first_person)
