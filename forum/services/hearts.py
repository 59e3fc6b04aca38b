"""Hearts. Requests say which state they want, so a double-submitted form changes nothing twice."""
from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Heart, Post, Reply, User
from forum.services import NotAllowed
from forum.services.accounts import ensure_can_participate
from forum.services.blocks import can_reach
from forum.services.notifications.sending import notify_heart


def set_heart(member: User, target: Post | Reply, hearted: bool) -> bool:
    """Heart or un-heart a post or reply; return whether anything changed (a repeat is a no-op)."""
    if target.author_id == member.id:
        raise NotAllowed("Hearts are for other members' words.")
    ensure_can_participate(member)
    if not can_reach(member.id, target.author_id):
        raise NotAllowed("Hearts can't be sent here.")
    if not target.is_visible or getattr(target, "is_deleted", False):
        raise NotAllowed("This can't take hearts right now.")
    model = type(target)
    column = Heart.post_id if model is Post else Heart.reply_id
    if hearted:
        try:
            with db.session.begin_nested():
                db.session.add(Heart(user_id=member.id, **{column.key: target.id}))
        except IntegrityError:  # already hearted: the unique constraint keeps it one row
            changed, delta = False, 0
        else:
            changed, delta = True, 1
    else:
        result = db.session.execute(delete(Heart).where(Heart.user_id == member.id, column == target.id))
        changed, delta = result.rowcount > 0, -1
    if changed:
        db.session.execute(update(model).where(model.id == target.id)
                           .values(heart_count=model.heart_count + delta),
                           execution_options={"synchronize_session": False})
        db.session.expire(target, ["heart_count"])
    # Only once the heart is known to be new: inside the try, an error while notifying would pass for
    # a repeat heart, and the new heart would go uncounted.
    if hearted and changed:
        notify_heart(member, target)
    return changed


def hearted_in_thread(member: User | None, post_id: int, reply_ids: list[int]) -> tuple[bool, set[int]]:
    """Whether the member hearted the post, and which of these replies: one query for a post's page."""
    if member is None or not member.is_authenticated:
        return False, set()
    rows = db.session.execute(select(Heart.post_id, Heart.reply_id).where(
        Heart.user_id == member.id,
        or_(Heart.post_id == post_id, Heart.reply_id.in_(reply_ids)) if reply_ids else Heart.post_id == post_id))
    post_hearted, replies = False, set()
    for hearted_post, hearted_reply in rows:
        if hearted_reply is not None:
            replies.add(hearted_reply)
        elif hearted_post == post_id:
            post_hearted = True
    return post_hearted, replies
