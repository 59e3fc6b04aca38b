"""Joining and signing in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models import PastUsername, Role, User, utcnow
from forum.models.user import is_valid_username, username_key
from forum.passwords import password_problem
from forum.services import DomainError, NotAllowed

# Checked when no such member exists, so a wrong username takes as long as a wrong password.
_UNKNOWN_MEMBER_HASH = generate_password_hash("no member has this password")


def find_member(username: str) -> User | None:
    return db.session.scalars(select(User).where(User.username_key == username_key(username))).first()


def member_by_past_name(username: str, now: datetime | None = None) -> User | None:
    """The member who went by `username` until lately and keeps it for a while (forum.services.usernames)."""
    return db.session.scalars(select(User).join(PastUsername, PastUsername.member_id == User.id).where(
        PastUsername.username_key == username_key(username), PastUsername.kept_until > (now or utcnow()))).first()


def member_ids_named(keys: list[str], now: datetime | None = None) -> set[int]:
    """Ids of the members the username keys name: by their name, or by a name they gave up lately (so an
    @mention of the old name still reaches them)."""
    if not keys:
        return set()
    current = set(db.session.scalars(select(User.id).where(User.username_key.in_(keys))))
    past = set(db.session.scalars(select(PastUsername.member_id).where(
        PastUsername.username_key.in_(keys), PastUsername.kept_until > (now or utcnow()))))
    return current | past


USERNAME_MESSAGE = "Use 3 to 30 letters, digits, _ or -. A pseudonym is welcome; no real name needed."
#: Names the site itself uses (the placeholder author of words left by departed members).
RESERVED_USERNAMES = {"former-member", "deleted", "kindred", "moderator", "moderators", "admin"}


def register_member(username: str, password: str, role: Role = Role.MEMBER) -> User:
    """Create a member; a username outside the rule, taken in any letter case or kept by the site, or a password
    easy to guess, is refused."""
    if not is_valid_username(username):
        raise DomainError(USERNAME_MESSAGE, field="username")
    if problem := password_problem(password):
        raise DomainError(problem, field="password")
    taken = DomainError("That name is taken. Pseudonyms are welcome: try another one.", field="username")
    if username_key(username) in RESERVED_USERNAMES or find_member(username) is not None \
            or member_by_past_name(username) is not None:  # kept for whoever gave it up, for a while
        raise taken
    member = User(username=username, password=password, role=role)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:  # someone took it a moment ago
        raise taken from None
    return member


def check_like_a_password(secret: str) -> None:
    """Spend as long as checking a stored hash does, for an answer that must not say whether a name exists."""
    check_password_hash(_UNKNOWN_MEMBER_HASH, secret)


def authenticate(username: str, password: str) -> User | None:
    member = find_member(username)
    if member is None:
        check_password_hash(_UNKNOWN_MEMBER_HASH, password)
        return None
    return member if member.check_password(password) else None


def change_profile_words(member: User, bio: str, pronouns: str) -> None:
    """Set the member's bio and pronouns; a suspended member's stay as they are (they are words others read)."""
    bio, pronouns = bio.strip(), pronouns.strip()
    if (bio, pronouns) == (member.bio, member.pronouns):
        return
    try:
        ensure_can_participate(member)
    except NotAllowed as paused:
        raise NotAllowed(f"{paused.message} Your bio and pronouns can change again then.", field="bio") from None
    member.bio, member.pronouns = bio, pronouns


def ensure_can_participate(member: User) -> None:
    """Refuse writing, hearting and flagging while a member is suspended; reading stays open."""
    if member.is_suspended():
        until = member.suspended_until.strftime("%d %B %Y, %H:%M UTC")
        raise NotAllowed(f"Your account is paused until {until}. You can still read, and the help page "
                         "is always here for you.")
