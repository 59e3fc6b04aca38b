"""Blocking: a member stops seeing someone, and that someone can no longer reach them. They are not told."""
from __future__ import annotations

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Block, User
from forum.services import DomainError


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
    return db.session.scalar(select(exists().where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)))


def blocked_by(viewer_id: int):
    """A subquery of the ids the viewer has blocked."""
    return select(Block.blocked_id).where(Block.blocker_id == viewer_id)


def blockers_of(member_id: int):
    """A subquery of the ids of members who blocked this member."""
    return select(Block.blocker_id).where(Block.blocked_id == member_id)


def may_reach_authors(sender: User, author_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Where-clause: the sender may reach (heart, answer, notify) whoever `author_id` names, because they
    haven't blocked the sender."""
    return author_id.not_in(blockers_of(sender.id))


def blocked_members(member: User) -> list[User]:
    return list(db.session.scalars(select(User).join(Block, Block.blocked_id == User.id)
                                   .where(Block.blocker_id == member.id).order_by(User.username_key)))
