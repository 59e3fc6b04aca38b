"""The moderation queue's raw material: one item per piece of content, with every reason it is there.

The crisis detector opens items now; flags, watched words and the queue itself build on the same rows.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow
from forum.models.post import Post, Reply
from forum.models.user import User


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
    FLAG = "flag"
    WATCHED_WORD = "watched_word"
    NEW_MEMBER = "new_member"
    REVIEW_REQUEST = "review_request"


class ModerationItem(db.Model):
    __tablename__ = "moderation_items"
    __table_args__ = (
        # One item per post and per reply: new reasons join the existing item.
        UniqueConstraint("post_id"),
        UniqueConstraint("reply_id"),
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        CheckConstraint("status IN ('open', 'resolved')", name="status_known"),
        CheckConstraint("danger_verdict IS NULL OR danger_verdict IN ('in_danger', 'not_in_danger')",
                        name="danger_verdict_known"),
        Index("ix_moderation_items_queue", "status", "priority", "opened_at"),
        NEVER_REUSE_IDS,
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
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The first moderator action since it (re)opened: the queue's response-time figure.
    first_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A moderator working on it, so two don't work the same item.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Bumped by every action: an action made on an older version lost a race and is not applied.
    version: Mapped[int] = mapped_column(default=0)
    #: When the outbound alerts about this crisis item went out (`flask moderation alert`), one per channel:
    #: each is sent once per opening, and stays NULL after a failed send so the next run tries again.
    webhook_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A moderator's answer to "was the writer in danger?": 'in_danger', 'not_in_danger', or NULL (not asked
    #: yet).  The crisis detector is measured against these on this forum's own posts
    #: (forum/services/moderation/verdicts.py); they change nothing for the author.
    danger_verdict: Mapped[str | None] = mapped_column(String(16))
    danger_verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    danger_verdict_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The detector's level for the content when the verdict was given ('none', 'concern', 'crisis'): what
    #: the verdict says the detector got right or wrong, even after the detector changes.
    danger_verdict_level: Mapped[str | None] = mapped_column(String(16))

    post: Mapped[Post | None] = relationship()
    reply: Mapped[Reply | None] = relationship()
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    danger_verdict_by: Mapped[User | None] = relationship(foreign_keys=[danger_verdict_by_id])
    reasons: Mapped[list["ModerationReason"]] = relationship(back_populates="item", cascade="all, delete-orphan",
                                                             order_by="ModerationReason.created_at")


class ModerationReason(db.Model):
    """One reason an item is in the queue: a detector finding, a flag, a watched word…"""

    __tablename__ = "moderation_reasons"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: What a moderator needs to see why: for the detector, its level, categories and matched phrases.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    item: Mapped[ModerationItem] = relationship(back_populates="reasons")


class FlagReason(str, enum.Enum):
    AT_RISK = "at_risk"
    HARASSMENT = "harassment"
    SPAM = "spam"
    MEDICAL_ADVICE = "medical_advice"
    GRAPHIC = "graphic"
    OTHER = "other"


FLAG_REASON_LABELS = {
    FlagReason.AT_RISK: "Someone may be at risk",
    FlagReason.HARASSMENT: "Harassment or bullying",
    FlagReason.SPAM: "Spam",
    FlagReason.MEDICAL_ADVICE: "Harmful medical advice",
    FlagReason.GRAPHIC: "Graphic content without a content warning",
    FlagReason.OTHER: "Something else",
}


class Flag(db.Model):
    """A member asking moderators to look at a post or reply; once per member per item."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("user_id", "post_id"),
        UniqueConstraint("user_id", "reply_id"),
        CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(500), default="")
    #: Indexed for the health page's "flags by reason" over recent weeks.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: Set when a moderator settles the item; settled flags no longer count toward auto-hiding.
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ModerationAction(db.Model):
    """The audit log: every moderator action, who took it, on what, when and why."""

    __tablename__ = "moderation_actions"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_items.id", ondelete="SET NULL"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"), index=True)
    #: The member the action concerns (the author, or the member warned or suspended).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    #: What undo needs to restore (e.g. the status before a hide), and any extra facts.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    member: Mapped[User | None] = relationship(foreign_keys=[member_id])


class WatchedAction(str, enum.Enum):
    BLOCK = "block"
    REQUIRE_APPROVAL = "require_approval"
    FLAG = "flag"
    CONTENT_WARNING = "content_warning"


class WatchedWord(db.Model):
    """A word or phrase moderators watch for, and what happens when a member writes it."""

    __tablename__ = "watched_words"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Case-folded phrase; matched on word boundaries.
    phrase: Mapped[str] = mapped_column(String(200), unique=True)
    action: Mapped[str] = mapped_column(String(32))
    #: For block: what the member is told to change. For content_warning: the warning's words.
    message: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MemberNotice(db.Model):
    """A message to a member from the moderators: why something was hidden, a warning, a kind word."""

    __tablename__ = "member_notices"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id", ondelete="SET NULL"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Hidden or removed content may be sent for a second review, once.
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str] = mapped_column(String(1000), default="")


class Revision(db.Model):
    """A post's or reply's earlier words, kept on every edit so moderators can see what changed."""

    __tablename__ = "revisions"
    __table_args__ = (CheckConstraint("(post_id IS NULL) <> (reply_id IS NULL)", name="one_target"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(150), default="")
    body: Mapped[str] = mapped_column(Text)
    #: When these words were replaced.
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
