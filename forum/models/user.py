"""Members of the community."""
from __future__ import annotations

import enum
import re
import string
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow


class Role(str, enum.Enum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


#: Every character a username may hold: ASCII letters, digits, `_` and `-`, nothing that can hide (spaces,
#: newlines, look-alike letters from other scripts).
USERNAME_CHARACTERS = string.ascii_letters + string.digits + "_-"
USERNAME_MIN, USERNAME_MAX = 3, 30
USERNAME_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{USERNAME_MIN},{USERNAME_MAX}}}")
#: The same rule for the database, in SQL that SQLite and PostgreSQL both run: trimming every allowed character
#: from both ends leaves nothing only when there is no other character anywhere. The key must be the name folded.
USERNAME_CHECK = (f"length(username) BETWEEN {USERNAME_MIN} AND {USERNAME_MAX} "
                  f"AND trim(username, '{USERNAME_CHARACTERS}') = '' AND username_key = lower(username)")


def is_valid_username(username: str) -> bool:
    """Whether the whole of `username` follows the rule (`fullmatch`: a trailing newline is not allowed)."""
    return USERNAME_PATTERN.fullmatch(username) is not None


def username_key(username: str) -> str:
    """Return the case-insensitive identity of a username (`Sam` and `sam` are one member)."""
    return username.casefold()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'moderator', 'admin')", name="role_known"),
        CheckConstraint(USERNAME_CHECK, name="username_valid"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As the member wrote it; a pseudonym is welcome.
    username: Mapped[str] = mapped_column(String(30))
    #: Case-folded username; the unique constraint makes `Sam` and `sam` one account.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER.value)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    bio: Mapped[str] = mapped_column(String(500), default="")
    #: ISO 3166 country whose hotlines the member sees first; empty means the site's default.
    country: Mapped[str] = mapped_column(String(8), default="")
    pronouns: Mapped[str] = mapped_column(String(40), default="")
    #: Keep the posts and replies list off the member's public profile.
    hide_activity: Mapped[bool] = mapped_column(default=False)
    #: How content-warned posts appear to this reader: "fold" (default) or "open".
    content_warnings: Mapped[str] = mapped_column(String(8), default="fold")
    #: Notification kinds the member turned off, e.g. ["heart", "tag_post"].
    muted_notifications: Mapped[list] = mapped_column(JSON, default=list)
    #: While in the future, the member can read but not post, reply, heart or flag.
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the member last chose a new username (one change every 30 days); None if never.
    username_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Hash of the member's one-time recovery code, as a password's; None when they have none (or used it).
    recovery_code_hash: Mapped[str | None] = mapped_column(String(255))

    #: The token of the sign-in this object was loaded for (forum.services.sign_ins), never stored: Flask-Login
    #: keeps `get_id()` in the session and the remember-me cookie, so a cookie names one sign-in, not an id.
    sign_in_token = None

    def __init__(self, username: str, password: str, role: Role | str = Role.MEMBER, **kwargs):
        super().__init__(username=username, username_key=username_key(username),
                         role=Role(role).value, **kwargs)
        self.set_password(password)

    def get_id(self) -> str:
        if not self.sign_in_token:  # an id alone in a cookie is what let old cookies open a reused id
            raise RuntimeError("sign members in through forum.services.sign_ins.start_sign_in")
        return self.sign_in_token

    # Flask-Login's UserMixin compares members by get_id(); one row is one member, whichever sign-in loaded it.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def set_recovery_code(self, code: str) -> None:
        """Keep only a hash of the code, slow to guess as a password's (forum.services.credentials)."""
        self.recovery_code_hash = generate_password_hash(code)

    def is_suspended(self, now: datetime | None = None) -> bool:
        return self.suspended_until is not None and self.suspended_until > (now or utcnow())

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR.value, Role.ADMIN.value)

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"
