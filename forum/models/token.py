"""Personal access tokens: how a member's own scripts and apps reach the JSON API without their password."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow
from forum.models.user import User

TOKEN_NAME_MAX = 60


class TokenScope(str, enum.Enum):
    #: Read what the member may read, their notifications included.
    READ = "read"
    #: Read, and write as the member: posts, replies, hearts, flags, marking notifications read.
    WRITE = "write"


class AccessToken(db.Model):
    """A token a member made in settings. Only a hash of the secret is kept: a stolen database can't call
    the API as anyone, and the member sees the secret once, when it is made."""

    __tablename__ = "access_tokens"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope_known"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The member's own label, e.g. "my journal app".
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX))
    #: sha256 of the whole secret, hex; unique, so a request's token is found by one index lookup.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The secret's first characters (its prefix and a few more), so the member can tell their tokens apart.
    hint: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(8), default=TokenScope.READ.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Updated at most once a minute (forum.services.tokens), so reading the API doesn't mean a write per call.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set when the member revoked it; from then on it opens nothing.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE.value

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<AccessToken {self.id} {self.name!r} {self.scope}>"
