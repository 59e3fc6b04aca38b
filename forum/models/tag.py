"""Hashtags and the posts that carry them."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import NEVER_REUSE_IDS, UTCDateTime

# One row per (post, hashtag); the composite primary key means a post carries a tag once.
post_hashtags = Table(
    "post_hashtags",
    db.metadata,
    Column("post_id", Integer, ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("hashtag_id", Integer, ForeignKey("hashtags.id", ondelete="CASCADE"), primary_key=True),
    #: A copy of posts.last_activity_at, so a tag's page walks its own posts in activity order
    #: (ix_post_hashtags_hashtag_activity) however big the tag or the forum. Kept in step by the database
    #: (triggers of migration f2fff0368e6b): filled in when a post comes to carry the tag, and moved with every
    #: change of the post's activity, whichever path makes it.
    Column("last_activity_at", UTCDateTime()),
    # A tag's posts newest first, read from the index alone ("Often shared with" samples them).
    Index("ix_post_hashtags_hashtag_post", "hashtag_id", "post_id"),
    # A tag's page: its posts by latest activity, the post id breaking ties as in every feed.
    Index("ix_post_hashtags_hashtag_activity", "hashtag_id", "last_activity_at", "post_id"),
)


class Hashtag(db.Model):
    __tablename__ = "hashtags"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Case-folded identity: `#Depression` and `#depression` are one tag (see forum.hashtags.hashtag_key).
    key: Mapped[str] = mapped_column(String(64), unique=True)
    #: Display spelling: the one the community writes most (HashtagSpelling), or the one moderators chose.
    name: Mapped[str] = mapped_column(String(64))
    #: Whether moderators chose the display spelling (forum.services.tag_admin.rename_tag): it then stays.
    spelling_chosen: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Visible posts carrying the tag; recounted exactly by the services whenever it may change.
    post_count: Mapped[int] = mapped_column(default=0, index=True)
    #: Set when moderators merged this tag into another: its page sends readers there, and old
    #: links in stored posts keep working.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("hashtags.id", ondelete="SET NULL"), index=True)

    def __repr__(self) -> str:
        return f"<Hashtag #{self.name}>"


class HashtagSpelling(db.Model):
    """How many posts came to carry a tag written this way (#ptsd, #PTSD): the display name follows the most used
    (forum.services.tags.note_spellings)."""

    __tablename__ = "hashtag_spellings"

    hashtag_id: Mapped[int] = mapped_column(ForeignKey("hashtags.id", ondelete="CASCADE"), primary_key=True)
    spelling: Mapped[str] = mapped_column(String(64), primary_key=True)
    uses: Mapped[int] = mapped_column(default=0)
