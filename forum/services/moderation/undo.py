"""Undoing a moderator's action: once, only while no later decision replaced it, and only while what it was on
is still here; messages and warnings can't be unsent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from forum.extensions import db
from forum.models import ItemStatus, ModerationAction, ModerationItem, Post, Reply, User, utcnow
from forum.services import DomainError
from forum.services.moderation.actions import (
    ACTION_LABELS,
    AUTOMATIC_ACTIONS,
    RESOLVING,
    UNDOABLE,
    AlreadyHandled,
    decisions_on,
    status_changed,
)
from forum.services.moderation.authority import ensure_may_undo
from forum.services.tags import locked_status


def _ensure_still_standing(moderator: User, original: ModerationAction) -> None:
    """Refuse to undo an action a later, still-standing one replaced: restoring its "before" would quietly
    overwrite the later decision, and the log would still show that one in force."""
    later = db.session.scalars(decisions_on(original.action, post_id=original.post_id, reply_id=original.reply_id,
                                            member_id=original.member_id,
                                            locked_post_id=original.detail.get("post_id"))
                               .where(ModerationAction.id > original.id).limit(1)).first()
    if later is None:
        return
    if later.moderator_id is None:
        who_did = f"Kindred {AUTOMATIC_ACTIONS.get(later.action, 'acted on it by itself')}"
    else:
        who = "you" if later.moderator_id == moderator.id else (later.moderator.username if later.moderator
                                                                 else "a former moderator")
        who_did = f"{who} {ACTION_LABELS[later.action]}"
    raise DomainError(f"This can't be undone on its own: since then {who_did}, and that still stands. Undoing "
                      "this now would quietly overwrite it, so undo that later action first if things should "
                      "go back further.")


def _ensure_still_here(original: ModerationAction) -> None:
    """Refuse to undo an action on a member or words that have since been deleted: there is nothing to restore."""
    if original.action == "suspend":
        if original.member_id is None or db.session.get(User, original.member_id) is None:
            raise DomainError("That member is no longer here: they deleted their account, so there is no "
                              "suspension left to undo.")
    elif original.action in ("lock", "unlock"):
        locked_post_id = original.detail.get("post_id")
        if locked_post_id is None or db.session.get(Post, locked_post_id) is None:
            raise DomainError("That post is no longer here: its author deleted it, so there are no replies left "
                              "to lock or reopen.")
    elif original.post_id is None and original.reply_id is None:
        raise DomainError("What this action was on is no longer here: its author deleted it, so there is "
                          "nothing left to undo.")


def undo_action(moderator: User, original: ModerationAction) -> ModerationAction:
    """Put things back as they were before an action, once; messages and warnings can't be unsent."""
    if original.action not in UNDOABLE:
        raise DomainError("A message can't be unsent. You could send a follow-up message instead.")
    ensure_may_undo(moderator, original)
    _ensure_still_here(original)
    _ensure_still_standing(moderator, original)
    now = utcnow()
    won = db.session.execute(
        update(ModerationAction).where(ModerationAction.id == original.id, ModerationAction.undone_at.is_(None))
        .values(undone_at=now, undone_by_id=moderator.id), execution_options={"synchronize_session": False},
    ).rowcount
    if not won:
        raise AlreadyHandled("That action was already undone.")
    db.session.expire(original)
    item = db.session.get(ModerationItem, original.item_id) if original.item_id else None
    content = db.session.get(Post, original.post_id) if original.post_id else db.session.get(Reply, original.reply_id)
    before = original.detail.get("before", {})
    if original.action in RESOLVING and content is not None:
        status_now = locked_status(content)  # the content before its item, in the order take_action does
        if item is not None:
            item.status, item.resolved_at, item.resolved_by_id = ItemStatus.OPEN.value, None, None
            item.version += 1
            db.session.flush()
        content.status, content.moderation_note = before["status"], before.get("note", "")
        status_changed(content, status_now)
    elif original.action in ("lock", "unlock"):
        db.session.get(Post, original.detail["post_id"]).replies_locked = before["replies_locked"]
    elif original.action == "content_warning" and content is not None:
        content.content_warning = before["content_warning"]
    elif original.action == "suspend":
        member = db.session.get(User, original.member_id)
        previous = before.get("suspended_until")
        member.suspended_until = datetime.fromisoformat(previous) if previous else None
    record = ModerationAction(moderator_id=moderator.id, action="undo", item_id=original.item_id,
                              post_id=original.post_id, reply_id=original.reply_id, member_id=original.member_id,
                              reason="", detail={"undid": original.id, "undid_action": original.action},
                              created_at=now)
    db.session.add(record)
    db.session.flush()
    return record
