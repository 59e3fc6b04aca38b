"""Posts and the replies that answer them."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime, utcnow
from forum.models.tag import Hashtag, post_hashtags
from forum.models.user import User

TITLE_MAX = 150
POST_BODY_MAX = 20_000
REPLY_BODY_MAX = 10_000


class PostStatus(str, enum.Enum):
    VISIBLE = "visible"
    #: Waiting for a moderator's approval (watched words, new-member hold).
    PENDING = "pending"
    #: Hidden by a moderator or by flags; its author and moderators still see it.
    HIDDEN = "hidden"
    REMOVED = "removed"


class CrisisAssessed:
    """What the crisis detector found in the text when it was last written (forum.crisis.assess)."""

    #: "none", "concern" or "crisis".
    crisis_level: Mapped[str] = mapped_column(String(16), default="none", index=True)
    #: The needs found, e.g. ["overdose", "suicide"], so help can lead with the right lines.
    crisis_categories: Mapped[list] = mapped_column(JSON, default=list)
    #: Each matched phrase with its category and span, so moderators can see why.
    crisis_matches: Mapped[list] = mapped_column(JSON, default=list)


class Moderated:
    """What moderators (or the author) can set on a post or reply beyond its words."""

    #: Folds the body until a reader opens it: e.g. "suicide", "self-harm", or the author's own words.
    content_warning: Mapped[str] = mapped_column(String(100), default="")
    #: Why a moderator hid or removed it; shown to the author and moderators.
    moderation_note: Mapped[str] = mapped_column(String(1000), default="")


class SubmittedOnce:
    """What lets a retried form find the post or reply its first submit made, instead of making another."""

    #: The random key of the form that wrote it (forum.forms); unique per author. NULL: written before
    #: keys, or by a script.
    submission_key: Mapped[str | None] = mapped_column(String(64))


class Post(CrisisAssessed, Moderated, SubmittedOnce, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint("status IN ('visible', 'pending', 'hidden', 'removed')", name="status_known"),
        # The feeds: latest activity, and the oldest unanswered posts.
        Index("ix_posts_status_last_activity", "status", "last_activity_at", "id"),
        Index("ix_posts_status_unanswered", "status", "first_response_at", "created_at", "id"),
        # Latest activity whatever the status: what a member's feeds walk when they have posts that
        # aren't visible, which those feeds must show them too (forum.services.visibility).
        Index("ix_posts_last_activity", "last_activity_at", "id"),
        # A form submitted twice (a retry, a double click, two at once) makes one post.
        Index("ix_posts_author_submission_key", "author_id", "submission_key", unique=True),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    #: Markdown as the member wrote it, kept so they can edit it.
    body: Mapped[str] = mapped_column(Text)
    #: Sanitised HTML, rendered once on write (forum.rendering) and never per request.
    body_html: Mapped[str] = mapped_column(Text)
    #: Plain-text opening for feed cards, derived on write.
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default=PostStatus.VISIBLE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The post's time or its latest reply's, whichever is later; the Latest feed sorts on it.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When someone other than the author first replied; NULL means the post still waits for a reply.
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Counters kept by the services with atomic UPDATEs so feeds need no per-row queries.
    reply_count: Mapped[int] = mapped_column(default=0)
    heart_count: Mapped[int] = mapped_column(default=0)
    #: Set by a moderator: the post stays readable but takes no new replies.
    replies_locked: Mapped[bool] = mapped_column(default=False)

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    hashtags: Mapped[list[Hashtag]] = relationship(secondary=post_hashtags, order_by=Hashtag.name,
                                                   lazy="selectin")
    replies: Mapped[list["Reply"]] = relationship(back_populates="post", passive_deletes=True,
                                                  order_by="Reply.created_at, Reply.id")

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.VISIBLE.value

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.title!r}>"


class Reply(CrisisAssessed, Moderated, SubmittedOnce, db.Model):
    __tablename__ = "replies"
    __table_args__ = (
        CheckConstraint("status IN ('visible', 'pending', 'hidden', 'removed')", name="status_known"),
        Index("ix_replies_author_submission_key", "author_id", "submission_key", unique=True),
        # A post's replies in conversation order: the page holding a reply is found by walking it, not sorting.
        Index("ix_replies_post_conversation", "post_id", "created_at", "id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The reply this one answers; threads nest one level, so a parent never has a parent.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"),
                                                  index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PostStatus.VISIBLE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Set when the author deleted a reply that others had answered: it stays as "[deleted]".
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heart_count: Mapped[int] = mapped_column(default=0)

    post: Mapped[Post] = relationship(back_populates="replies")
    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.VISIBLE.value

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Reply {self.id} on post {self.post_id}>"
