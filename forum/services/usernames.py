"""Choosing a new username: once every 30 days, and the old one kept for its owner for 90.

For those 90 days links to `/u/<old name>` lead to the new one, @mentions of the old name still reach the
member, and nobody else can register or take the old name and be mistaken for them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import PastUsername, User, utcnow
from forum.models.user import is_valid_username, username_key
from forum.services import DomainError
from forum.services.accounts import (
    RESERVED_USERNAMES,
    USERNAME_MESSAGE,
    ensure_can_participate,
    find_member,
    member_by_past_name,
)

#: How often a member may choose a new name: often enough to leave a name that no longer feels safe,
#: seldom enough that nobody can hop between names to dodge blocks or confuse others.
USERNAME_CHANGE_EVERY = timedelta(days=30)
#: How long a given-up name keeps redirecting, reaching its owner by @mention, and staying theirs.
PAST_NAME_KEPT_FOR = timedelta(days=90)


def next_change_allowed(member: User) -> datetime | None:
    """When the member may choose a new name next; None if they may now."""
    if member.username_changed_at is None:
        return None
    allowed = member.username_changed_at + USERNAME_CHANGE_EVERY
    return allowed if allowed > utcnow() else None


def change_username(member: User, new_name: str, now: datetime | None = None) -> str:
    """Give `member` the name `new_name` under the registration rules; return the name given up."""
    now = now or utcnow()
    ensure_can_participate(member)  # a paused member keeps the name their pause was given under
    if not is_valid_username(new_name):
        raise DomainError(USERNAME_MESSAGE, field="username")
    if new_name == member.username:
        raise DomainError("That's already your name.", field="username")
    if (allowed := next_change_allowed(member)) is not None:
        raise DomainError("You can choose a new name once every 30 days. Your next change is possible from "
                          f"{allowed.strftime('%d %B %Y, %H:%M UTC')}.", field="username")
    new_key = username_key(new_name)
    holder = find_member(new_name)
    past_holder = member_by_past_name(new_name, now)
    taken = DomainError("That name is taken. Pseudonyms are welcome: try another one.", field="username")
    if new_key in RESERVED_USERNAMES or holder not in (None, member) or past_holder not in (None, member):
        raise taken
    old_name, old_key = member.username, member.username_key
    try:
        with db.session.begin_nested():
            # Names kept past their time are free again, and a member taking back their own old name ends its keeping.
            db.session.execute(delete(PastUsername).where(
                (PastUsername.kept_until <= now) | (PastUsername.username_key == new_key)))
            if old_key != new_key:  # a change of letter case keeps the same identity: nothing to keep
                db.session.add(PastUsername(member_id=member.id, username=old_name, username_key=old_key,
                                            kept_until=now + PAST_NAME_KEPT_FOR))
            member.username, member.username_key, member.username_changed_at = new_name, new_key, now
    except IntegrityError:  # someone took it a moment ago
        raise taken from None
    return old_name
