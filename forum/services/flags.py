"""Flags: a member asking the moderators to look at a post or reply, once per item.

Enough members flagging the same visible words hides them until a moderator has looked, so one
person can't hide what others wrote, and a pile-on of flags doesn't wait for the queue.

Auto-hiding is a safety tool that can be turned into a weapon, so only flags a stranger can't
manufacture in a minute count toward it: a flag from an account younger than the minimum age, or from
a member who has written nothing, still reaches the queue but doesn't count; a flag from someone the
author blocked counts for nothing (it is kept, so the flagger learns nothing about the block, but it
neither opens a queue item nor counts). Words the crisis detector read as a crisis are never hidden
by flags: someone in danger must not be silenced by a pile-on, so their item rises to the top instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from forum.crisis import Level
from forum.extensions import db
from forum.models import (
    FLAG_REASON_LABELS,
    Flag,
    FlagReason,
    ModerationItem,
    Post,
    Priority,
    ReasonKind,
    Reply,
    User,
    utcnow,
)
from forum.services import DomainError, NotAllowed
from forum.services.accounts import ensure_can_participate
from forum.services.blocks import has_blocked
from forum.services.moderation.actions import hide_automatically
from forum.services.moderation.queue import add_reason
from forum.services.tags import locked_status

NOTE_MAX = 500
#: How many different members' unsettled flags hide visible content, unless the app says otherwise.
DEFAULT_HIDE_THRESHOLD = 3
#: Flags from accounts younger than this reach the queue but don't count toward auto-hiding.
DEFAULT_MIN_ACCOUNT_AGE = timedelta(hours=24)
AUTO_HIDE_NOTE = "Hidden for now because several members flagged it; a moderator will review it soon."
#: What the author is told: no moderator has judged it yet, so nothing here may read as a verdict.
AUTO_HIDE_NOTICE = ("Some members asked the moderators to look at your {what}, so it's hidden from others for now "
                    "while a moderator reviews it. You can still see it. This happens automatically when several "
                    "people flag something; it isn't a decision about you or what you wrote.")
ALREADY_FLAGGED = "You've already flagged this — thank you, moderators will look."


class AlreadyFlagged(DomainError):
    """The member flagged this before; nothing was added."""


def _target_column(content: Post | Reply):
    return Flag.post_id if isinstance(content, Post) else Flag.reply_id


def ensure_can_flag(member: User, content: Post | Reply) -> None:
    """Refuse flagging one's own words, flagging while suspended, and flagging a deleted reply."""
    if content.author_id == member.id:
        raise NotAllowed("Flags are for other members' words. You can edit or delete your own at any time.")
    ensure_can_participate(member)
    if getattr(content, "is_deleted", False):
        raise NotAllowed("That reply has been deleted, so there's nothing left to flag.")


def has_flagged(member: User, content: Post | Reply) -> bool:
    column = _target_column(content)
    return db.session.scalar(select(Flag.id).where(Flag.user_id == member.id, column == content.id)) is not None


def flag_content(member: User, content: Post | Reply, reason: FlagReason, note: str = "",
                 hide_threshold: int = DEFAULT_HIDE_THRESHOLD,
                 min_account_age: timedelta = DEFAULT_MIN_ACCOUNT_AGE) -> Flag:
    """Flag a post or reply for the moderators, and hide it once `hide_threshold` members' flags count."""
    ensure_can_flag(member, content)
    note = (note or "").strip()
    if reason is FlagReason.OTHER and not note:
        raise DomainError("Please tell the moderators in a few words what worries you.", field="note")
    if len(note) > NOTE_MAX:
        raise DomainError(f"Notes can be up to {NOTE_MAX} characters; please shorten it a little.", field="note")
    # Flaggers of one item take their turn here, before their flag exists: each then counts the flags
    # of those before it, so the one that reaches the threshold hides the content, once.
    locked_status(content)
    column = _target_column(content)
    try:
        # Two quick clicks or two tabs may both get here; the unique constraint keeps it one flag.
        with db.session.begin_nested():
            flag = Flag(user_id=member.id, reason=reason.value, note=note, created_at=utcnow(),
                        **{column.key: content.id})
            db.session.add(flag)
    except IntegrityError:
        raise AlreadyFlagged(ALREADY_FLAGGED) from None
    standing = flag_standing(flag, content, min_account_age)
    if standing.blocked:
        return flag
    priority = Priority.AT_RISK_FLAG if reason is FlagReason.AT_RISK else Priority.ROUTINE
    item = add_reason(content, ReasonKind.FLAG.value,
                      {"reason": reason.value, "label": FLAG_REASON_LABELS[reason], "note": note,
                       "by": member.username, "flag_id": flag.id, "counts": standing.counts,
                       "why_not_counted": standing.why_not},
                      priority)
    _hide_if_flagged_enough(item, content, hide_threshold, min_account_age)
    return flag


@dataclass(frozen=True)
class FlagStanding:
    """Whether a flag counts toward auto-hiding, and if not, why (said to moderators, never to the flagger)."""

    counts: bool
    why_not: str = ""
    blocked: bool = False


def flag_standing(flag: Flag, content: Post | Reply, min_account_age: timedelta) -> FlagStanding:
    """Judge one flag by its flagger as they were when they flagged (age) and are now (writing, blocks)."""
    flagger = db.session.get(User, flag.user_id)
    if has_blocked(content.author_id, flag.user_id):
        return FlagStanding(False, "the author has blocked this member", blocked=True)
    if flag.created_at - flagger.joined_at < min_account_age:
        return FlagStanding(False, "the account is newer than the minimum age for counting flags")
    if not has_written_anything(flag.user_id):
        return FlagStanding(False, "the member hasn't written a post or reply yet")
    return FlagStanding(True)


def has_written_anything(member_id: int) -> bool:
    wrote_post = exists().where(Post.author_id == member_id)
    wrote_reply = exists().where(Reply.author_id == member_id, Reply.deleted_at.is_(None))
    return bool(db.session.scalar(select(wrote_post | wrote_reply)))


def unsettled_flaggers(content: Post | Reply, min_account_age: timedelta = DEFAULT_MIN_ACCOUNT_AGE) -> int:
    """How many different members have unsettled flags on this content that count toward auto-hiding."""
    column = _target_column(content)
    flags = db.session.scalars(select(Flag).where(column == content.id, Flag.settled_at.is_(None))).all()
    # A handful of flags per item at most: judging each one in Python keeps the rule in one place.
    return len({flag.user_id for flag in flags if flag_standing(flag, content, min_account_age).counts})


def _hide_if_flagged_enough(item: ModerationItem, content: Post | Reply, hide_threshold: int,
                            min_account_age: timedelta) -> None:
    """Hide the content once enough members flagged it; the caller holds the content's row lock."""
    # Read again now that this transaction has written: SQLite has no row locks, and its write lock,
    # taken by the flag's insert, is what orders flaggers there (on PostgreSQL the lock is held already).
    locked_status(content)
    if not content.is_visible:
        return
    flaggers = unsettled_flaggers(content, min_account_age)
    if flaggers < hide_threshold:
        return
    if content.crisis_level == Level.CRISIS.value:
        # Never silence someone in danger: the people who flagged it get a moderator's eyes first instead.
        item.priority = max(item.priority, Priority.CRISIS)
        db.session.flush()
        return
    # Logged and told like a moderator's hide, so hiding someone's words is never silent or unaccountable.
    hide_automatically(item, content, reason=f"Flags from {flaggers} different members", note=AUTO_HIDE_NOTE,
                       notice=AUTO_HIDE_NOTICE.format(what="post" if isinstance(content, Post) else "reply"),
                       detail={"flaggers": flaggers, "threshold": hide_threshold})
