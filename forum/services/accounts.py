"""Joining and signing in."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models import Role, User
from forum.models.user import is_valid_username, username_key
from forum.passwords import password_problem
from forum.services import DomainError, NotAllowed

# Checked when no such member exists, so a wrong username takes as long as a wrong password.
_UNKNOWN_MEMBER_HASH = generate_password_hash("no member has this password")


def find_member(username: str) -> User | None:
    return db.session.scalars(select(User).where(User.username_key == username_key(username))).first()


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
    if username_key(username) in RESERVED_USERNAMES or find_member(username) is not None:
        raise taken
    member = User(username=username, password=password, role=role)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:  # someone took it a moment ago
        raise taken from None
    return member


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
