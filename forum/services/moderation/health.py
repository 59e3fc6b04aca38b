"""Community health over the last weeks: how much members write, how soon they're answered, how many wait
a day for anyone, crisis items and how soon a moderator acted, and what members flag.

One bounded query per figure, each walking an index on its timestamp (posts.created_at, replies.created_at,
moderation_reasons.created_at, flags.created_at); rows are counted into days and weeks here, in UTC, so the
same code serves SQLite and PostgreSQL.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Flag, FlagReason, ModerationItem, ModerationReason, Post, ReasonKind, Reply, utcnow

PERIODS = (30, 90)
UNANSWERED_AFTER = timedelta(hours=24)
#: Short names for the chart's axis; the table beside it says the same.
FLAG_NAMES = {FlagReason.AT_RISK.value: "At risk", FlagReason.HARASSMENT.value: "Harassment",
              FlagReason.SPAM.value: "Spam", FlagReason.MEDICAL_ADVICE.value: "Medical advice",
              FlagReason.GRAPHIC.value: "Graphic", FlagReason.OTHER.value: "Other"}


@dataclass(frozen=True)
class Day:
    day: date
    posts: int
    replies: int
    #: Posts written that day that nobody else answered within 24 hours (None: the day isn't 24 hours old).
    unanswered: int | None


@dataclass(frozen=True)
class Week:
    start: date
    posts: int
    #: Median hours from a post to its first reply by someone else, among the week's answered posts.
    median_reply_hours: float | None
    crisis_items: int
    #: Median minutes from a crisis item opening to a moderator's first action, among those acted on.
    median_crisis_minutes: float | None


@dataclass(frozen=True)
class HealthReport:
    days: int
    since: datetime
    daily: list[Day]
    weekly: list[Week]
    flags: list[tuple[str, int]]


def community_health(days: int, now: datetime | None = None) -> HealthReport:
    now = now or utcnow()
    first_day = (now - timedelta(days=days - 1)).date()
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=now.tzinfo)
    posts = db.session.execute(select(Post.created_at, Post.first_response_at).where(Post.created_at >= since)).all()
    reply_days = Counter(moment.date() for moment in db.session.scalars(
        select(Reply.created_at).where(Reply.created_at >= since)))
    crisis = db.session.execute(
        select(ModerationItem.opened_at, ModerationItem.first_action_at)
        .where(ModerationItem.id.in_(select(ModerationReason.item_id)
                                     .where(ModerationReason.kind == ReasonKind.CRISIS.value,
                                            ModerationReason.created_at >= since)))).all()
    flags = dict(db.session.execute(select(Flag.reason, func.count()).where(Flag.created_at >= since)
                                    .group_by(Flag.reason)).all())
    return HealthReport(days=days, since=since, daily=_daily(first_day, days, posts, reply_days, now),
                        weekly=_weekly(first_day, days, posts, crisis, since),
                        flags=[(name, flags.get(reason, 0)) for reason, name in FLAG_NAMES.items()])


def _daily(first_day: date, days: int, posts, reply_days: Counter, now: datetime) -> list[Day]:
    post_days = Counter(created.date() for created, _ in posts)
    unanswered = Counter(created.date() for created, answered in posts
                         if created + UNANSWERED_AFTER <= now
                         and (answered is None or answered - created > UNANSWERED_AFTER))
    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        day_is_old_enough = datetime.combine(day + timedelta(days=1), datetime.min.time(),
                                             tzinfo=now.tzinfo) + UNANSWERED_AFTER <= now
        result.append(Day(day, post_days[day], reply_days[day], unanswered[day] if day_is_old_enough else None))
    return result


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _weekly(first_day: date, days: int, posts, crisis, since: datetime) -> list[Week]:
    def week_of(moment: datetime) -> int:
        return (moment.date() - first_day).days // 7

    weeks = range((days + 6) // 7)
    reply_hours: dict[int, list[float]] = {week: [] for week in weeks}
    post_counts = Counter(week_of(created) for created, _ in posts)
    for created, answered in posts:
        if answered is not None:
            reply_hours[week_of(created)].append((answered - created).total_seconds() / 3600)
    crisis_minutes: dict[int, list[float]] = {week: [] for week in weeks}
    crisis_counts: Counter = Counter()
    for opened, acted in crisis:
        week = week_of(max(opened, since))  # reopened since: counted in the week it last opened
        crisis_counts[week] += 1
        if acted is not None:
            crisis_minutes[week].append((acted - opened).total_seconds() / 60)
    return [Week(first_day + timedelta(days=7 * week), post_counts[week], _median(reply_hours[week]),
                 crisis_counts[week], _median(crisis_minutes[week])) for week in weeks]
