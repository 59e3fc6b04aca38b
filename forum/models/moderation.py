"""The moderation queue's raw material: one item per piece of content, with every reason it is there.

The crisis detector opens items now; flags, watched words and the queue itself build on the same rows.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow
from forum.models.post import Post, Reply


class Priority(enum.IntEnum):
    """Higher is more urgent; the queue sorts on it first."""

    ROUTINE = 10
    CONCERN = 50
    AT_RISK_FLAG = 80
    CRISIS = 100


class ItemStatus(str, enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"


class ReasonKind(str, enum.Enum):
    CRISIS = "crisis"
    CONCERN = "concern"


class ModerationItem(db.Model):
    __tablename__ = "moderation_items"
    __table_args__ = (
        # One item per post and per reply: new reasons join the existing item.
        UniqueConstraint("post_id"),
        UniqueConstraint("reply_id"),
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        CheckConstraint("status IN ('open', 'resolved')", name="status_known"),
        Index("ix_moderation_items_queue", "status", "priority", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.OPEN.value)
    #: The most urgent open reason's priority (see Priority).
    priority: Mapped[int] = mapped_column(default=Priority.ROUTINE.value)
    #: When the item was (re)opened: how long it has waited is measured from here.
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    post: Mapped[Post | None] = relationship()
    reply: Mapped[Reply | None] = relationship()
    reasons: Mapped[list["ModerationReason"]] = relationship(back_populates="item", cascade="all, delete-orphan",
                                                             order_by="ModerationReason.created_at")


class ModerationReason(db.Model):
    """One reason an item is in the queue: a detector finding, a flag, a watched word…"""

    __tablename__ = "moderation_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: What a moderator needs to see why: for the detector, its level, categories and matched phrases.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    item: Mapped[ModerationItem] = relationship(back_populates="reasons")
