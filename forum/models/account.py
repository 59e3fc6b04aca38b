"""What keeps an account the member's own: the browsers signed in to it, and the names it used to go by."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow


class SignIn(db.Model):
    """One browser signed in to one account, until it signs out or the member ends every sign-in.

    The browser's session and remember-me cookies carry a random token; this row holds only its SHA-256, so a
    copy of the database (a backup) opens no account. Deleting the row is what makes an old cookie worthless.
    """

    __tablename__ = "sign_ins"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Hex SHA-256 of the token in the browser's cookies.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the cookie holding the token would have run out anyway; the row is worthless (and pruned) after.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PastUsername(db.Model):
    """A name a member gave up, kept for them for a while: links to it redirect, @mentions of it reach them,
    and nobody else can take it and be mistaken for them."""

    __tablename__ = "past_usernames"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(30))
    #: Case-folded, as `users.username_key`; one member holds a past name at a time.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    #: Until when the name redirects and stays reserved; after, it is free for anyone.
    kept_until: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
