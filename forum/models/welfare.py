"""Welfare checks: a person the crisis detector rated in crisis whose words are gone before a moderator reached them.

Members' words are theirs to take back, so a deleted post or reply takes its moderation item with it. A
check keeps none of the words, only that someone may need a moderator to reach out.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow
from forum.models.user import User


class WelfareKind(str, enum.Enum):
    #: The member deleted their post.
    POST = "post"
    #: The member deleted their reply.
    REPLY = "reply"
    #: Their reply went because the post it was on was deleted (by its author, or with the author's account).
    REPLY_UNDER_DELETED_POST = "reply_under_deleted_post"


class WelfareCheck(db.Model):
    """Check in with a member whose open crisis item went with their words. Holds no words: no title, no body,
    no matched phrase; only who, when, and the crisis categories (which lines may fit)."""

    __tablename__ = "welfare_checks"
    __table_args__ = (
        CheckConstraint("kind IN ('post', 'reply', 'reply_under_deleted_post')", name="kind_known"),
        # The queue lists the checks not yet done, the longest waiting first.
        Index("ix_welfare_checks_waiting", "done_at", "raised_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Goes with the member's account: deleting it erases every check about them.
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: The detector's crisis categories ("suicide", "overdose"…), never the phrases that matched.
    categories: Mapped[list] = mapped_column(JSON, default=list)
    #: When the detector first raised the crisis in the item's current opening.
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When a moderator had claimed or acted on the crisis item before the words went: its alert was not due.
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Outbound alerts (`flask moderation alert`), carried over from the item so none goes out twice.
    webhook_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
