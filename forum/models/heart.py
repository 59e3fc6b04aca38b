"""Hearts: a member's quiet "I hear you" on a post or a reply."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow


class Heart(db.Model):
    __tablename__ = "hearts"
    __table_args__ = (
        # One heart per member per post and per reply, whatever the code above tries.
        UniqueConstraint("user_id", "post_id"),
        UniqueConstraint("user_id", "reply_id"),
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"),
                                                 index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
