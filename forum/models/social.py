"""How members relate to tags and to each other: following and muting tags, blocking, notifications."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow
from forum.models.tag import Hashtag
from forum.models.user import User


class TagFollow(db.Model):
    """A member following a hashtag (its posts reach their "My tags" feed), or muting it (they never do)."""

    __tablename__ = "tag_follows"
    __table_args__ = (CheckConstraint("mode IN ('follow', 'mute')", name="mode_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    hashtag_id: Mapped[int] = mapped_column(ForeignKey("hashtags.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    mode: Mapped[str] = mapped_column(String(8), default="follow")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    hashtag: Mapped[Hashtag] = relationship()


class Block(db.Model):
    """A member blocking another: the blocked member's words disappear for them, and can't reach them."""

    __tablename__ = "blocks"
    __table_args__ = (CheckConstraint("blocker_id <> blocked_id", name="not_self"),)

    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])


class NotificationKind(str, enum.Enum):
    REPLY = "reply"
    MENTION = "mention"
    HEART = "heart"
    TAG_POST = "tag_post"
    MODERATION = "moderation"


class Notification(db.Model):
    """Something for a member to know about. Related ones share a group key so the page can gather them
    ("Sam and 4 others sent hearts")."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_unread", "recipient_id", "read_at", "created_at"),
                      # A member's unread, newest first, read from the index alone on PostgreSQL: the badge and
                      # the page walk a few hundred of them, not the thousands a member may have left unread.
                      Index("ix_notifications_unread_newest", "recipient_id", "created_at", "id",
                            postgresql_include=["group_key"], postgresql_where=text("read_at IS NULL"),
                            sqlite_where=text("read_at IS NULL")),
                      NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    #: Who caused it (None for moderators' actions, which are shown without a name).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), index=True)
    hashtag_id: Mapped[int | None] = mapped_column(ForeignKey("hashtags.id", ondelete="CASCADE"), index=True)
    #: e.g. "heart:post:12" or "tag_post:5": notifications sharing it are shown as one line.
    group_key: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
