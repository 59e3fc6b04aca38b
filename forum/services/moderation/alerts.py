"""Which crisis items need an outbound alert, and remembering that one went out (once per channel per opening).

An item is overdue when it is open at crisis priority, nobody has claimed it or acted on it, and it has
waited longer than the alert threshold. The alert is claimed with a conditional UPDATE before it is sent,
so two runs overlapping (a slow SMTP server and a cron every minute) never send the same alert twice;
a failed send gives the claim back so the next run tries again.

A welfare check (the member deleted their words while the crisis was open) is alerted the same way, measured
from when the crisis was raised: deleting the words didn't make anyone safer, and it took the item that
would have been alerted about. An alert the item already sent is carried over, so none goes out twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import ItemStatus, ModerationItem, Priority, WelfareCheck, utcnow

CHANNELS = ("webhook", "email")


#: What can be alerted about: a crisis item, or a welfare check (its words gone).
Alertable = type[ModerationItem] | type[WelfareCheck]


def _column(channel: str, model: Alertable = ModerationItem):
    return {"webhook": model.webhook_alerted_at, "email": model.email_alerted_at}[channel]


def overdue_crisis_items(channel: str, waited: timedelta, now: datetime | None = None,
                         limit: int = 100) -> list[int]:
    """Ids of crisis items waiting longer than `waited` that this channel hasn't alerted about, oldest first."""
    now = now or utcnow()
    column = _column(channel)
    # The queue's index (status, priority, opened_at) finds these; the rest filter a handful of rows.
    return list(db.session.scalars(
        select(ModerationItem.id)
        .where(ModerationItem.status == ItemStatus.OPEN.value, ModerationItem.priority >= Priority.CRISIS,
               ModerationItem.opened_at <= now - waited, ModerationItem.first_action_at.is_(None),
               ModerationItem.claimed_by_id.is_(None), column.is_(None))
        .order_by(ModerationItem.opened_at, ModerationItem.id).limit(limit)))


def overdue_welfare_checks(channel: str, waited: timedelta, now: datetime | None = None,
                           limit: int = 100) -> list[int]:
    """Ids of welfare checks not done whose crisis was raised longer than `waited` ago, that no moderator had
    picked up before the words went, and that this channel hasn't alerted about, oldest first."""
    column = _column(channel, WelfareCheck)
    return list(db.session.scalars(
        select(WelfareCheck.id)
        .where(WelfareCheck.done_at.is_(None), WelfareCheck.raised_at <= (now or utcnow()) - waited,
               WelfareCheck.picked_up_at.is_(None), column.is_(None))
        .order_by(WelfareCheck.raised_at, WelfareCheck.id).limit(limit)))


def claim_alert(item_id: int, channel: str, now: datetime | None = None, model: Alertable = ModerationItem) -> bool:
    """Mark the item alerted on this channel, unless another run did first; True if this run is to send."""
    column = _column(channel, model)
    return bool(db.session.execute(
        update(model).where(model.id == item_id, column.is_(None))
        .values({column.key: now or utcnow()}), execution_options={"synchronize_session": False}).rowcount)


def release_alert(item_id: int, channel: str, model: Alertable = ModerationItem) -> None:
    """The send failed: forget the mark, so the next run tries again."""
    column = _column(channel, model)
    db.session.execute(update(model).where(model.id == item_id).values({column.key: None}),
                       execution_options={"synchronize_session": False})
