"""The moderation queue: one item per post or reply, gathering every reason it needs a moderator."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import ItemStatus, ModerationItem, ModerationReason, Post, Priority, Reply, WelfareCheck, utcnow

#: What moderators read in the queue for each kind of reason (the item page words each with its details).
REASON_NAMES = {
    "crisis": "Crisis detector", "concern": "Distress detector", "flag": "Flagged",
    "watched_word": "Watched word", "new_member": "A new member's post, held for approval",
    "review_request": "The author asked for a second review",
}


def item_for(content: Post | Reply) -> ModerationItem:
    """The content's moderation item, created (not yet opened for reasons) if it has none."""
    column = ModerationItem.post_id if isinstance(content, Post) else ModerationItem.reply_id
    item = db.session.scalars(select(ModerationItem).where(column == content.id)).first()
    if item is not None:
        return item
    try:
        # Two requests may create the same item at once; the unique constraint keeps it one.
        with db.session.begin_nested():
            item = ModerationItem(**{column.key: content.id}, status=ItemStatus.OPEN.value,
                                  priority=Priority.ROUTINE.value, opened_at=utcnow(), version=0)
            db.session.add(item)
    except IntegrityError:
        item = db.session.scalars(select(ModerationItem).where(column == content.id)).one()
    return item


def add_reason(content: Post | Reply, kind: str, detail: dict, priority: int) -> ModerationItem:
    """Put a reason on the content's item, opening or reopening it, and raise its priority to fit."""
    item = item_for(content)
    if item.status != ItemStatus.OPEN.value:
        item.status = ItemStatus.OPEN.value
        item.opened_at = utcnow()
        item.resolved_at = item.resolved_by_id = item.first_action_at = None
        # Nobody is on a new opening yet: a claim from before would hide it from the queue and from alerts.
        item.claimed_by_id = item.claimed_at = None
        # A new opening is a new wait: if it is a crisis nobody answers in time, moderators are alerted again.
        item.webhook_alerted_at = item.email_alerted_at = None
        item.priority = priority
    else:
        item.priority = max(item.priority or 0, priority)
    item.reasons.append(ModerationReason(kind=kind, detail=detail, created_at=utcnow()))
    db.session.flush()
    return item


def open_reasons(item: ModerationItem) -> list[ModerationReason]:
    """The reasons since the item last opened (older ones were settled by a moderator)."""
    return [reason for reason in item.reasons if reason.created_at >= item.opened_at]


def open_queue(limit: int = 100) -> list[ModerationItem]:
    """Open items, the person in danger first: priority, then how many reasons, then longest waiting."""
    reason_count = (select(func.count()).where(ModerationReason.item_id == ModerationItem.id,
                                               ModerationReason.created_at >= ModerationItem.opened_at)
                    .correlate(ModerationItem).scalar_subquery())
    stmt = (select(ModerationItem)
            .where(ModerationItem.status == ItemStatus.OPEN.value)
            .order_by(ModerationItem.priority.desc(), reason_count.desc(), ModerationItem.opened_at, ModerationItem.id)
            .options(selectinload(ModerationItem.reasons), selectinload(ModerationItem.post),
                     selectinload(ModerationItem.reply).selectinload(Reply.post),
                     selectinload(ModerationItem.claimed_by))
            .limit(limit))
    return list(db.session.scalars(stmt))


def open_counts() -> tuple[int, int]:
    """(open items, open crisis items), for the moderators' nav; a welfare check not done counts as both."""
    total, crisis = db.session.execute(open_counts_query()).one()
    return total, crisis


def open_counts_query() -> Select:
    items = (select(func.count().label("total"),
                    func.coalesce(func.sum(case((ModerationItem.priority >= Priority.CRISIS, 1), else_=0)),
                                  0).label("crisis"))
             .where(ModerationItem.status == ItemStatus.OPEN.value).subquery())
    checks = select(func.count()).where(WelfareCheck.done_at.is_(None)).scalar_subquery()
    return select(items.c.total + checks, items.c.crisis + checks)


@dataclass(frozen=True)
class ResponseTime:
    priority: int
    median: timedelta
    items: int


def response_times(days: int = 7, now: datetime | None = None) -> list[ResponseTime]:
    """Median time from an item opening to a moderator's first action, per priority, over recent days."""
    since = (now or utcnow()) - timedelta(days=days)
    rows = db.session.execute(
        select(ModerationItem.priority, ModerationItem.opened_at, ModerationItem.first_action_at)
        .where(ModerationItem.first_action_at.is_not(None), ModerationItem.first_action_at >= since)
    ).all()
    waits: dict[int, list[float]] = {}
    for priority, opened_at, first_action_at in rows:
        waits.setdefault(priority, []).append((first_action_at - opened_at).total_seconds())
    return [ResponseTime(priority, timedelta(seconds=statistics.median(seconds)), len(seconds))
            for priority, seconds in sorted(waits.items(), reverse=True)]
