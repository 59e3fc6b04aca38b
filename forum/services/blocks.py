"""Blocking: a member stops seeing someone, and that someone can no longer reach them. They are not told."""
from __future__ import annotations

from sqlalchemy import ColumnElement, String, and_, cast, delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Block, User
from forum.services import DomainError
from forum.services.remembered import remembered

_BLOCKED_IDS = "kindred.blocked_ids"


def block(blocker: User, blocked: User) -> None:
    if blocker.id == blocked.id:
        raise DomainError("You can't block yourself.")
    if blocked.is_moderator:
        raise DomainError("Moderators can't be blocked, so they can always reach people who need them. "
                          "If a moderator has treated you unfairly, tell an admin.")
    try:
        with db.session.begin_nested():
            db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    except IntegrityError:  # already blocked: nothing to do
        pass


def unblock(blocker: User, blocked: User) -> None:
    db.session.execute(delete(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked.id))


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    kept = remembered(_BLOCKED_IDS).get(blocker_id)
    if kept is not None:  # the signed-in member's own blocks, loaded with them
        return blocked_id in kept
    return db.session.scalar(select(exists().where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)))


def blocked_ids_column():
    """A column for the query that loads the signed-in member (forum.services.sign_ins): the ids they blocked,
    joined by commas, so the pages they open needn't ask whether they blocked an author."""
    return (select(func.aggregate_strings(cast(Block.blocked_id, String), ","))
            .where(Block.blocker_id == User.id).scalar_subquery())


def remember_blocked_ids(member: User, joined: str | None) -> None:
    """Keep what blocked_ids_column() found for has_blocked (until the session writes)."""
    remembered(_BLOCKED_IDS)[member.id] = {int(member_id) for member_id in joined.split(",")} if joined else set()


def blocked_by(viewer_id: int):
    """A subquery of the ids the viewer has blocked."""
    return select(Block.blocked_id).where(Block.blocker_id == viewer_id)


def may_reach(sender: int | ColumnElement[int], recipient: int | ColumnElement[int]) -> ColumnElement[bool]:
    """Whether the sender's hearts, replies, mentions and notifications may reach the recipient: the
    recipient hasn't blocked them. Either side is a member's id or a column holding one; a where-clause."""
    return ~exists().where(Block.blocker_id == recipient, Block.blocked_id == sender)


def can_reach(sender_id: int, recipient_id: int) -> bool:
    """may_reach, asked of the database for two members."""
    return db.session.scalar(select(may_reach(sender_id, recipient_id)))


def reach_each_other(member: int | ColumnElement[int], other: int | ColumnElement[int]) -> ColumnElement[bool]:
    """Whether neither has blocked the other: a notification passes between two members only then."""
    return and_(may_reach(member, other), may_reach(other, member))


def blocked_members(member: User) -> list[User]:
    return list(db.session.scalars(select(User).join(Block, Block.blocked_id == User.id)
                                   .where(Block.blocker_id == member.id).order_by(User.username_key)))
