"""Welfare checks: when someone's words go while the detector's crisis on them is still open, keep who needs
reaching, and none of the words.

Called by the deleting services before the rows go (their moderation items go with them, ON DELETE CASCADE).
A crisis a moderator already settled, or a level only of concern, keeps nothing: the member's deletion is
the whole story then.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from forum.crisis.detector import Category
from forum.extensions import db
from forum.models import (
    ItemStatus,
    MemberNotice,
    ModerationAction,
    ModerationItem,
    Post,
    ReasonKind,
    Reply,
    User,
    WelfareCheck,
    WelfareKind,
    utcnow,
)
from forum.services import DomainError
from forum.services.moderation.authority import ensure_may_act_on
from forum.services.moderation.messages import SUPPORT_MESSAGES, SupportMessage
from forum.services.moderation.queue import open_reasons
from forum.services.notifications.sending import notify_moderation

#: How the queue says what went, after the member's name; the words themselves are never kept.
WHAT_WENT = {
    WelfareKind.POST.value: "deleted a post the crisis check rated crisis",
    WelfareKind.REPLY.value: "deleted a reply the crisis check rated crisis",
    WelfareKind.REPLY_UNDER_DELETED_POST.value: ("wrote a reply the crisis check rated crisis, and it went when the "
                                                 "post it answered was deleted"),
}
_CATEGORIES = {category.value for category in Category}
#: The supportive messages that fit someone whose words are gone: not the one saying moderators hid their post
#: (they deleted it themselves, and being told otherwise would be false and alarming).
#: What a moderator may send from a check. Not the queue's "we read what you wrote" or "we hid your post": the
#: member took their words down themselves, and a message must not say otherwise or make them feel watched.
WELFARE_MESSAGES = {
    "after_taking_down": SupportMessage(
        "Checking in after they took their words down",
        "Hi, one of the moderators here. You took down something you wrote, and that's completely okay: your "
        "words are yours. We just wanted to check in and see how you're doing right now. If things feel like "
        "too much, the people at the lines on our help page (/help) are there any time, day or night.",
    ),
    "crisis_lines": SUPPORT_MESSAGES["crisis_lines"],
}


def keep_welfare_check(content: Post | Reply, kind: WelfareKind) -> WelfareCheck | None:
    """Keep a check for the author if the content's item is open with a crisis reason; else nothing."""
    column = ModerationItem.post_id if isinstance(content, Post) else ModerationItem.reply_id
    item = db.session.scalars(select(ModerationItem).where(column == content.id)).first()
    return _check_for(item, content.author_id, kind) if item is not None else None


def keep_welfare_checks_under(post: Post, *, leaving: User | None = None) -> list[WelfareCheck]:
    """Checks for the post (when its author deletes it) and for the replies under it that go with it.

    `leaving` is a member deleting their account: nothing is kept about them (their checks are erased).
    """
    kept = []
    if leaving is None:
        kept.append(keep_welfare_check(post, WelfareKind.POST))
    items = db.session.execute(
        select(ModerationItem, Reply.author_id).join(Reply, Reply.id == ModerationItem.reply_id)
        .where(Reply.post_id == post.id, ModerationItem.status == ItemStatus.OPEN.value)
        .options(selectinload(ModerationItem.reasons))).all()
    for item, author_id in items:
        if leaving is None or author_id != leaving.id:
            kept.append(_check_for(item, author_id, WelfareKind.REPLY_UNDER_DELETED_POST))
    return [check for check in kept if check is not None]


def _check_for(item: ModerationItem, member_id: int, kind: WelfareKind) -> WelfareCheck | None:
    if item.status != ItemStatus.OPEN.value:
        return None
    crisis = [reason for reason in open_reasons(item) if reason.kind == ReasonKind.CRISIS.value]
    if not crisis:
        return None
    # Only the category names the detector knows: nothing a member typed can travel in this list.
    categories = sorted({name for reason in crisis for name in (reason.detail or {}).get("categories", ())
                         if name in _CATEGORIES})
    picked_up = [moment for moment in (item.first_action_at, item.claimed_at) if moment is not None]
    check = WelfareCheck(member_id=member_id, kind=kind.value, categories=categories,
                         raised_at=min(reason.created_at for reason in crisis), deleted_at=utcnow(),
                         picked_up_at=min(picked_up) if picked_up else None,
                         webhook_alerted_at=item.webhook_alerted_at, email_alerted_at=item.email_alerted_at)
    db.session.add(check)
    db.session.flush()
    return check


def waiting_welfare_checks(limit: int = 100) -> list[WelfareCheck]:
    """Checks nobody has marked done, the longest waiting first."""
    return list(db.session.scalars(
        select(WelfareCheck).where(WelfareCheck.done_at.is_(None))
        .order_by(WelfareCheck.raised_at, WelfareCheck.id).options(selectinload(WelfareCheck.member))
        .limit(limit)))


def mark_done(moderator: User, check: WelfareCheck) -> ModerationAction:
    """Record that a moderator checked in (once: a second moderator marking it is told who did)."""
    now = utcnow()
    won = db.session.execute(
        update(WelfareCheck).where(WelfareCheck.id == check.id, WelfareCheck.done_at.is_(None))
        .values(done_at=now, done_by_id=moderator.id), execution_options={"synchronize_session": False}).rowcount
    db.session.expire(check)
    if not won:
        who = check.done_by.username if check.done_by else "another moderator"
        raise DomainError(f"{who} already marked this welfare check done.")
    return _log(moderator, check, "welfare_check_done", {"welfare_check_id": check.id}, now)


def send_message(moderator: User, check: WelfareCheck, message_key: str) -> MemberNotice:
    """Send the member one of the moderators' supportive messages, as from a queue item; not once the check is
    done (a second moderator on a page opened before would send the member the same message twice)."""
    if message_key not in WELFARE_MESSAGES:
        raise DomainError("Choose one of the messages.", field="message_key")
    ensure_may_act_on(moderator, check.member, "message")
    # Read under the row's lock: a moderator marking it done this moment either comes first or waits for this.
    db.session.refresh(check, with_for_update=True)
    if check.done_at is not None:
        who = "You" if check.done_by_id == moderator.id else (
            check.done_by.username if check.done_by else "Another moderator")
        raise DomainError(f"{who} marked this welfare check done at {check.done_at.strftime('%H:%M UTC')}, so "
                          "your message was not sent: they have already checked in.")
    now = utcnow()
    record = _log(moderator, check, "message", {"message_key": message_key, "welfare_check_id": check.id}, now)
    notice = MemberNotice(member_id=check.member_id, action_id=record.id, kind="support",
                          body=WELFARE_MESSAGES[message_key].text, created_at=now)
    db.session.add(notice)
    db.session.flush()
    notify_moderation(notice)
    return notice


def _log(moderator: User, check: WelfareCheck, action: str, detail: dict, now: datetime) -> ModerationAction:
    record = ModerationAction(moderator_id=moderator.id, action=action, member_id=check.member_id, reason="",
                              detail=detail, created_at=now)
    db.session.add(record)
    db.session.flush()
    return record

