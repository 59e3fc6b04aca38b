"""Moderator actions on queue items: each is applied once and written to the audit log (undo.py takes one back).

Two moderators may act on one item at the same moment. Every action names the item version its
moderator saw; a conditional UPDATE lets exactly one of them through, and the other is told who
already acted, so nothing is applied twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, exists, or_, select, update

from forum.extensions import db
from forum.models import (
    Flag,
    ItemStatus,
    MemberNotice,
    ModerationAction,
    ModerationItem,
    ModerationReason,
    Post,
    PostStatus,
    ReasonKind,
    Reply,
    User,
    utcnow,
)
from forum.services import DomainError
from forum.services.moderation.authority import (
    REVERSES,
    ensure_may_act_on,
    ensure_may_redo,
    ensure_may_reverse,
)
from forum.services.moderation.messages import SUPPORT_MESSAGES
from forum.services.notifications.sending import notify_moderation
from forum.services.replies import recount_post
from forum.services.tags import locked_status, tag_counts_changed

#: Actions that settle an item; the others leave it open for a further decision.
RESOLVING = {"approve", "hide", "remove"}
NEEDS_REASON = {"hide", "remove", "warn", "suspend"}
UNDOABLE = {"approve", "hide", "remove", "lock", "unlock", "content_warning", "suspend"}
ACTION_LABELS = {
    "approve": "approved it", "hide": "hid it", "remove": "removed it", "lock": "locked replies",
    "unlock": "reopened replies", "content_warning": "added a content warning", "message": "sent a message",
    "warn": "warned the author", "suspend": "suspended the author", "claim": "claimed it",
    "release": "released it", "undo": "undid an action",
}
#: Actions logged outside the queue (watched words, hashtag tidy-up), for the log's filter and wording.
OTHER_LOGGED_ACTIONS = {
    "watched_word_add": "added a watched word", "watched_word_delete": "removed a watched word",
    "tag_merge": "merged hashtags", "tag_rename": "renamed a hashtag",
    # Answers to "was the writer in danger?" (verdicts.py): they measure the detector and act on nobody.
    "judged_in_danger": "judged that the writer was in danger",
    "judged_not_in_danger": "judged that the writer was not in danger",
    # A welfare check (forum/services/moderation/welfare.py): someone whose crisis words were deleted.
    "welfare_check_done": "checked in after their crisis words were deleted",
}
#: Actions Kindred takes by itself, logged with no moderator (moderator_id is NULL), for the log's wording.
AUTOMATIC_ACTIONS = {"auto_hide": "hid it automatically because several members flagged it"}
MAX_SUSPENSION_DAYS = 365


class AlreadyHandled(DomainError):
    """Someone else acted on the item first; nothing was applied."""


def content_of(item: ModerationItem) -> Post | Reply:
    return item.post if item.post_id is not None else item.reply


def take_action(moderator: User, item: ModerationItem, seen_version: int, action: str, *, reason: str = "",
                warning_text: str = "", message_key: str = "", suspend_days: int = 0) -> ModerationAction:
    """Apply one moderator action to an item, exactly once, and log it."""
    if action not in ACTION_LABELS or action == "undo":
        raise DomainError("That isn't an action moderators can take here.")
    reason = reason.strip()
    if action in NEEDS_REASON and not reason:
        raise DomainError("Please give a reason; the author will see it.", field="reason")
    content = content_of(item)
    ensure_may_act_on(moderator, content.author, action)
    if action in REVERSES:
        _ensure_no_admin_overruled(moderator, item, content, action)
    # The content before its item, as every writer takes them (see locked_status): a flag or an edit
    # holding the content while it reopens the item can't deadlock with this action.
    locked_status(content)
    _win_the_race(moderator, item, seen_version)
    now = utcnow()
    record = ModerationAction(moderator_id=moderator.id, action=action, item_id=item.id, reason=reason,
                              post_id=item.post_id, reply_id=item.reply_id, member_id=content.author_id,
                              detail={}, created_at=now)
    db.session.add(record)
    APPLY[action](item, content, record, moderator, warning_text=warning_text, message_key=message_key,
                  suspend_days=suspend_days)
    if action not in ("claim", "release"):
        item.first_action_at = item.first_action_at or now
    if action in RESOLVING:
        item.status = ItemStatus.RESOLVED.value
        item.resolved_at, item.resolved_by_id = now, moderator.id
        item.claimed_by_id = item.claimed_at = None
        db.session.execute(update(Flag).where(_flags_on(item), Flag.settled_at.is_(None)).values(settled_at=now))
    db.session.flush()
    return record


def _ensure_no_admin_overruled(moderator: User, item: ModerationItem, content: Post | Reply, action: str) -> None:
    """Refuse reversing an admin's standing decision, or taking again what an admin undid since it."""
    where = {"post_id": item.post_id, "reply_id": item.reply_id, "member_id": content.author_id,
             "locked_post_id": _post_of(content).id}
    new_harm = lambda when: _new_harm_since(item, content, when)  # noqa: E731 - one question, asked twice
    standing = db.session.scalars(decisions_on(action, **where).limit(1)).first()
    ensure_may_reverse(moderator, action, standing, new_harm)
    undone = db.session.scalars(decisions_on(action, **where, undone=True).limit(1)).first()
    if undone is not None and (standing is None or undone.undone_at > standing.created_at):
        undone_by = db.session.get(User, undone.undone_by_id) if undone.undone_by_id else None
        ensure_may_redo(moderator, action, undone, undone_by, new_harm)


#: Reasons that bring harm to a moderator's attention (a new member's hold or the author's request don't).
NEW_HARM = (ReasonKind.FLAG.value, ReasonKind.CRISIS.value, ReasonKind.CONCERN.value, ReasonKind.WATCHED_WORD.value)


def _new_harm_since(item: ModerationItem, content: Post | Reply, when: datetime) -> bool:
    """Whether the words (or, for a reply, its post) were edited after `when`, or a harm reason came in since."""
    edits = [content.edited_at, _post_of(content).edited_at]
    if any(edited is not None and edited > when for edited in edits):
        return True
    return db.session.scalar(select(exists().where(
        ModerationReason.item_id == item.id, ModerationReason.kind.in_(NEW_HARM),
        ModerationReason.created_at > when)))


def _win_the_race(moderator: User, item: ModerationItem, seen_version: int) -> None:
    won = db.session.execute(
        update(ModerationItem).where(ModerationItem.id == item.id, ModerationItem.version == seen_version)
        .values(version=ModerationItem.version + 1),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not won:
        db.session.expire(item)
        # The newest of the actions that move the version (an answer about danger doesn't), so one after the page.
        latest = db.session.scalars(select(ModerationAction).where(ModerationAction.item_id == item.id,
                                                                   ModerationAction.action.in_(ACTION_LABELS))
                                    .order_by(ModerationAction.id.desc()).limit(1)).first()
        who = latest.moderator.username if latest and latest.moderator else "another moderator"
        if latest is not None and latest.action in RESOLVING and item.status == ItemStatus.RESOLVED.value:
            # Closed since the page was opened: what the moderator meant may no longer fit, so they choose again.
            who = "You" if latest.moderator_id == moderator.id else who
            raise AlreadyHandled(
                f"{who} resolved this at {latest.created_at.strftime('%H:%M UTC')} ({ACTION_LABELS[latest.action]}) "
                "after you opened it, so nothing was changed. Here it is as it stands now, with what you typed "
                "kept: send it again if it still needs doing, or undo that decision below to reopen it.")
        what = ACTION_LABELS.get(latest.action, "acted") if latest else "acted"
        raise AlreadyHandled(f"{who} already {what} a moment ago, so your action was not applied. "
                             "Here is the item as it stands now.")
    db.session.expire(item, ["version"])


def _flags_on(item: ModerationItem):
    return Flag.post_id == item.post_id if item.post_id is not None else Flag.reply_id == item.reply_id


def _set_status(content: Post | Reply, record: ModerationAction, status: str, note: str) -> None:
    before = locked_status(content)
    record.detail = {**record.detail, "before": {"status": before, "note": content.moderation_note}}
    content.status = status
    content.moderation_note = note
    status_changed(content, before)


def status_changed(content: Post | Reply, before: str) -> None:
    """Keep tag counts (for a post) or the post's reply counters (for a reply) exact after a status change."""
    db.session.flush()
    if isinstance(content, Post):
        tag_ids = [tag.id for tag in content.hashtags]
        tag_counts_changed(before == PostStatus.VISIBLE.value, tag_ids, content.is_visible, tag_ids)
    else:
        recount_post(content.post)


def notify_author(content: Post | Reply, record: ModerationAction, kind: str, body: str) -> MemberNotice:
    notice = MemberNotice(member_id=content.author_id, action_id=record.id, kind=kind, body=body,
                          post_id=content.id if isinstance(content, Post) else None,
                          reply_id=content.id if isinstance(content, Reply) else None, created_at=utcnow())
    db.session.add(notice)
    db.session.flush()
    notify_moderation(notice)
    return notice


def hide_automatically(item: ModerationItem, content: Post | Reply, *, reason: str, note: str, notice: str,
                       detail: dict) -> ModerationAction:
    """Hide content with no moderator involved, log it with no moderator, and tell the author why.

    The item stays open: a person still decides, and "approve" puts the content back.
    """
    record = ModerationAction(moderator_id=None, action="auto_hide", item_id=item.id, post_id=item.post_id,
                              reply_id=item.reply_id, member_id=content.author_id, reason=reason,
                              detail=dict(detail), created_at=utcnow())
    db.session.add(record)
    _set_status(content, record, PostStatus.HIDDEN.value, note)
    db.session.flush()
    notify_author(content, record, "auto_hidden", notice)
    return record


def _approve(item, content, record, moderator, **_):
    _set_status(content, record, PostStatus.VISIBLE.value, "")
    # The author was told it was held or hidden while waiting; they hear when it's back.
    if record.detail["before"]["status"] in (PostStatus.PENDING.value, PostStatus.HIDDEN.value):
        db.session.flush()
        notify_author(content, record, "approved",
                      "A moderator approved what you wrote, and it's now visible to everyone.")


def _hide(item, content, record, moderator, **_):
    _set_status(content, record, PostStatus.HIDDEN.value, record.reason)
    db.session.flush()
    notify_author(content, record, "hidden", f"A moderator hid what you wrote. Their reason: {record.reason}")


def _remove(item, content, record, moderator, **_):
    _set_status(content, record, PostStatus.REMOVED.value, record.reason)
    db.session.flush()
    notify_author(content, record, "removed", f"A moderator removed what you wrote. Their reason: {record.reason}")


def _post_of(content: Post | Reply) -> Post:
    return content if isinstance(content, Post) else content.post


def _lock(item, content, record, moderator, **_):
    post = _post_of(content)
    record.detail = {"before": {"replies_locked": post.replies_locked}, "post_id": post.id}
    post.replies_locked = True


def _unlock(item, content, record, moderator, **_):
    post = _post_of(content)
    record.detail = {"before": {"replies_locked": post.replies_locked}, "post_id": post.id}
    post.replies_locked = False


def _content_warning(item, content, record, moderator, warning_text: str = "", **_):
    warning_text = warning_text.strip()[:100]
    if not warning_text:
        raise DomainError("Say what the warning is about, e.g. “self-harm”.", field="warning_text")
    record.detail = {"before": {"content_warning": content.content_warning}, "content_warning": warning_text}
    content.content_warning = warning_text


def _message(item, content, record, moderator, message_key: str = "", **_):
    if message_key not in SUPPORT_MESSAGES:
        raise DomainError("Choose one of the messages.", field="message_key")
    record.detail = {"message_key": message_key}
    db.session.flush()
    notify_author(content, record, "support", SUPPORT_MESSAGES[message_key].text)


def _warn(item, content, record, moderator, **_):
    db.session.flush()
    notify_author(content, record, "warning", f"A note from the moderators: {record.reason}")


def _suspend(item, content, record, moderator, suspend_days: int = 0, **_):
    if not 1 <= suspend_days <= MAX_SUSPENSION_DAYS:
        raise DomainError(f"Choose between 1 and {MAX_SUSPENSION_DAYS} days.", field="suspend_days")
    author = content.author
    if author.is_moderator:
        raise DomainError("Moderators and admins can't be suspended here; talk to an admin.")
    until = utcnow() + timedelta(days=suspend_days)
    before = author.suspended_until.isoformat() if author.suspended_until else None
    record.detail = {"before": {"suspended_until": before}, "until": until.isoformat(), "days": suspend_days}
    author.suspended_until = until
    db.session.flush()
    notify_author(content, record, "suspended",
                  f"Your account is paused for {suspend_days} day{'s' if suspend_days != 1 else ''}: you can read "
                  f"but not post. The moderators' reason: {record.reason}")


def _claim(item, content, record, moderator, **_):
    # A claim says "I am on this" about one opening; on a closed item it would carry into the next opening,
    # making a new crisis look taken and keeping its outside alert from going out.
    if item.status != ItemStatus.OPEN.value:
        raise DomainError("This item is closed, so there is nothing to claim. If it opens again, you can claim "
                          "it then.")
    item.claimed_by_id, item.claimed_at = moderator.id, utcnow()


def _release(item, content, record, moderator, **_):
    item.claimed_by_id = item.claimed_at = None


APPLY = {"approve": _approve, "hide": _hide, "remove": _remove, "lock": _lock, "unlock": _unlock,
         "content_warning": _content_warning, "message": _message, "warn": _warn, "suspend": _suspend,
         "claim": _claim, "release": _release}


#: Actions that set one piece of state, so a later one of the same group replaces an earlier one's effect.
SAME_STATE = (frozenset({"approve", "hide", "remove", "auto_hide"}), frozenset({"lock", "unlock"}),
              frozenset({"content_warning"}), frozenset({"suspend"}))


def decisions_on(action: str, *, post_id: int | None, reply_id: int | None, member_id: int | None,
                 locked_post_id: int | None, undone: bool = False) -> Select:
    """Standing (not undone) actions that set the same state `action` sets there, newest first; with `undone`,
    those undone instead, the latest undone first."""
    group = next(group for group in SAME_STATE if action in group)
    stmt = select(ModerationAction).where(ModerationAction.action.in_(group))
    if undone:
        stmt = stmt.where(ModerationAction.undone_at.is_not(None)).order_by(ModerationAction.undone_at.desc(),
                                                                            ModerationAction.id.desc())
    else:
        stmt = stmt.where(ModerationAction.undone_at.is_(None)).order_by(ModerationAction.id.desc())
    if group == {"suspend"}:
        return stmt.where(ModerationAction.member_id == member_id)
    if group == {"lock", "unlock"}:
        # Locking from a reply's item locks its post, so those count too.
        return stmt.where(or_(ModerationAction.post_id == locked_post_id,
                              ModerationAction.reply_id.in_(select(Reply.id).where(Reply.post_id == locked_post_id))))
    if post_id is not None:
        return stmt.where(ModerationAction.post_id == post_id)
    return stmt.where(ModerationAction.reply_id == reply_id)
