"""Moderators' answer to "was the writer in danger?", and what those answers say about the crisis detector.

The public texts the detector learned from are labelled mostly by which subreddit they were posted in, and
its figures on them say little about any one forum.  A forum's own moderators, who read the thread and often
reached the writer, are the best judges of what danger looks like there.  A moderator may answer on any
item; the answer changes nothing for the author and stays with the moderators, like everything else they
keep.  The health page counts the answers against what the detector said at the time, and
``flask --app forum crisis outcomes`` measures today's detector on every judged post and reply.

Only content that reached the queue can be judged, so a crisis the detector missed shows up only when a
member flagged it or it was queued for another reason: the figures say how precise the alarm is, and give
at best a ceiling on how much it catches.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from forum.crisis import Level, assess
from forum.extensions import db
from forum.models import ModerationAction, ModerationItem, Reply, User, utcnow
from forum.services import DomainError
from forum.services.moderation.actions import OTHER_LOGGED_ACTIONS, content_of
from forum.services.safety import assessed_text

IN_DANGER = "in_danger"
NOT_IN_DANGER = "not_in_danger"
#: The audit log's action for each verdict.
VERDICT_ACTIONS = {IN_DANGER: "judged_in_danger", NOT_IN_DANGER: "judged_not_in_danger"}
#: How the item page and the log say what a moderator did.
VERDICT_LABELS = {action: OTHER_LOGGED_ACTIONS[action] for action in VERDICT_ACTIONS.values()}
#: The detector's levels in the order the health page lists them, named as a moderator sees them.
LEVEL_NAMES = {Level.CRISIS.value: "A crisis alarm", Level.CONCERN.value: "Distress (concern)",
               Level.NONE.value: "Nothing found"}
#: How many of the detector's mistakes the health page links to, of each kind.
LISTED = 20


#: Reasons that say someone may have been in danger: closing such an item asks for an answer (once).
ASKED_AFTER = frozenset({"crisis", "concern", "flag:at_risk"})


def should_ask(item: ModerationItem, reason_keys: set[str]) -> bool:
    """Ask "was the writer in danger?" when an item with these reasons is closed and nobody has answered."""
    return item.danger_verdict is None and bool(reason_keys & ASKED_AFTER)


def record_verdict(moderator: User, item: ModerationItem, verdict: str) -> ModerationAction | None:
    """Record ``moderator``'s answer on ``item``, with the detector's level for the content now, and log it.

    Answering again with the other verdict replaces the first (both stay in the log); the same answer again
    changes nothing and returns None.
    """
    if verdict not in VERDICT_ACTIONS:
        raise DomainError("Choose whether the writer was in danger or not.", field="verdict")
    if item.danger_verdict == verdict:
        return None
    content = content_of(item)
    level = content.crisis_level or Level.NONE.value
    item.danger_verdict = verdict
    item.danger_verdict_by_id = moderator.id
    item.danger_verdict_at = utcnow()
    item.danger_verdict_level = level
    record = ModerationAction(moderator_id=moderator.id, action=VERDICT_ACTIONS[verdict], item_id=item.id,
                              post_id=item.post_id, reply_id=item.reply_id, member_id=content.author_id,
                              detail={"detector_level": level})
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class VerdictTally:
    """Verdicts given since a moment, by what the detector had said: {level: (in danger, not in danger)}."""

    since: datetime
    by_level: dict[str, tuple[int, int]]
    #: The latest items (at most LISTED of each) whose writer was in danger without a crisis alarm, and the
    #: crisis alarms whose writer was not in danger: what to read to see where the detector goes wrong here.
    missed: list[int] = field(default_factory=list)
    false_alarms: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(yes + no for yes, no in self.by_level.values())

    @property
    def alarms_judged(self) -> int:
        return sum(self.by_level[Level.CRISIS.value])

    @property
    def alarm_precision(self) -> float | None:
        """The share of judged crisis alarms whose writer was in danger (None: no alarm judged yet)."""
        return self.by_level[Level.CRISIS.value][0] / self.alarms_judged if self.alarms_judged else None

    @property
    def in_danger_without_alarm(self) -> int:
        """Writers judged in danger whom the detector had not raised to a crisis."""
        return self.by_level[Level.CONCERN.value][0] + self.by_level[Level.NONE.value][0]


def verdict_tally(since: datetime) -> VerdictTally:
    """Count the verdicts given since ``since`` (grouped in the database), and list the detector's mistakes."""
    answered = (ModerationItem.danger_verdict.is_not(None), ModerationItem.danger_verdict_at >= since)
    counts = Counter({(level, verdict): n for level, verdict, n in db.session.execute(
        select(ModerationItem.danger_verdict_level, ModerationItem.danger_verdict, func.count())
        .where(*answered).group_by(ModerationItem.danger_verdict_level, ModerationItem.danger_verdict))})
    by_level = {level: (counts[(level, IN_DANGER)], counts[(level, NOT_IN_DANGER)]) for level in LEVEL_NAMES}
    crisis = Level.CRISIS.value
    missed = [] if not sum(by_level[level][0] for level in by_level if level != crisis) else _latest(
        *answered, ModerationItem.danger_verdict == IN_DANGER, ModerationItem.danger_verdict_level != crisis)
    false_alarms = [] if not by_level[crisis][1] else _latest(
        *answered, ModerationItem.danger_verdict == NOT_IN_DANGER, ModerationItem.danger_verdict_level == crisis)
    return VerdictTally(since, by_level, missed, false_alarms)


def _latest(*conditions) -> list[int]:
    return list(db.session.scalars(select(ModerationItem.id).where(*conditions)
                                   .order_by(ModerationItem.danger_verdict_at.desc()).limit(LISTED)))


def judged_items() -> list[ModerationItem]:
    """Every item with a verdict, oldest verdict first."""
    return list(db.session.scalars(select(ModerationItem).where(ModerationItem.danger_verdict.is_not(None))
                                   .order_by(ModerationItem.danger_verdict_at, ModerationItem.id)))


@dataclass(frozen=True)
class Outcomes:
    """Today's detector on every judged post and reply: how many of each verdict it puts at each level."""

    #: (verdict, level today) -> how many.
    counts: Counter
    #: Judged content its author has since deleted: nothing left to read, so left out.
    deleted: int

    def judged(self, verdict: str) -> int:
        return sum(n for (v, _), n in self.counts.items() if v == verdict)

    def at(self, verdict: str, *levels: str) -> int:
        return sum(self.counts[(verdict, level)] for level in levels)


def outcomes_now() -> Outcomes:
    """Assess every judged post and reply again with today's detector (the CLI's `crisis outcomes`)."""
    counts: Counter = Counter()
    deleted = 0
    for item in judged_items():
        content = content_of(item)
        if getattr(content, "is_deleted", False):
            deleted += 1
            continue
        level = assess(assessed_text(content), reply=isinstance(content, Reply)).level.value
        counts[(item.danger_verdict, level)] += 1
    return Outcomes(counts, deleted)
