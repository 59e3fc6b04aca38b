"""The lists members read: latest, waiting for a reply, by hashtag, by author, the tag index."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import Hashtag, Post, Reply, User, post_hashtags, utcnow
from forum.pagination import Page, keyset_page
from forum.services.following import not_muted
from forum.services.visibility import (
    public_posts,
    public_reply_status,
    visible_posts,
    visible_replies,
)

#: A post waits in "Needs a reply" for this long; older unanswered posts stay on their tag pages.
NEEDS_REPLY_DAYS = 14


def latest(viewer: User | None, cursor: str | None, per_page: int) -> Page[Post]:
    """Visible posts, latest activity first, minus those carrying a tag the viewer muted."""
    stmt = select(Post).where(visible_posts(viewer), not_muted(viewer))
    return keyset_page(db.session, stmt, (Post.last_activity_at, Post.id), True, cursor, per_page)


def needs_reply_since() -> datetime:
    """The oldest a post may be and still wait for a reply in the feed and its badge."""
    return utcnow() - timedelta(days=NEEDS_REPLY_DAYS)


def _needs_reply_clause(since: datetime | ColumnElement | None = None):
    since = needs_reply_since() if since is None else since
    # public_posts(None) is the bare status equality, which lets the query walk ix_posts_status_unanswered.
    return (public_posts(None), Post.first_response_at.is_(None), Post.created_at >= since)


def needs_reply(viewer: User | None, cursor: str | None, per_page: int) -> Page[Post]:
    """Visible posts nobody but their author has answered yet, oldest first (muted tags left out)."""
    stmt = select(Post).where(*_needs_reply_clause(), visible_posts(viewer), not_muted(viewer))
    return keyset_page(db.session, stmt, (Post.created_at, Post.id), False, cursor, per_page)


def needs_reply_count(viewer: User | None) -> int:
    return db.session.scalar(needs_reply_count_query(viewer))


#: The needs-a-reply badge counts this far; more shows as "99+" (forum.web's count_label).
NEEDS_REPLY_COUNTED = 100


def needs_reply_count_query(viewer: User | None, since: datetime | ColumnElement | None = None) -> Select:
    """How many posts needs_reply lists for this viewer (the nav's badge; forum.services.nav_counts asks it
    with the rest, so its where-clause asks the database nothing beforehand)."""
    # public_posts, not visible_posts: the posts waiting are visible ones, so the viewer's own hidden posts
    # (which visible_posts looks up first) never count.
    # Counted up to NEEDS_REPLY_COUNTED only ("99+"): at a million posts a busy forum has tens of thousands
    # waiting, and counting every one of them cost each page ~10 ms; nobody reads a badge past a hundred.
    waiting = (select(Post.id).where(*_needs_reply_clause(since), public_posts(viewer), not_muted(viewer))
               .limit(NEEDS_REPLY_COUNTED).subquery())
    return select(func.count()).select_from(waiting)


#: A tag's page, newest activity first: the tag's own copy of each post's activity (post_hashtags.last_activity_at,
#: kept in step by the database), so the page walks ix_post_hashtags_hashtag_activity and stops after a page,
#: for a tag of four posts or of four hundred thousand.
TAG_ORDER = (post_hashtags.c.last_activity_at, post_hashtags.c.post_id)


def tagged(viewer: User | None, tag: Hashtag, cursor: str | None, per_page: int) -> Page[Post]:
    """The posts carrying the tag that the viewer may see (their own waiting ones too): one query."""
    stmt = (select(Post).join(post_hashtags, post_hashtags.c.post_id == Post.id)
            .where(post_hashtags.c.hashtag_id == tag.id, visible_posts(viewer)))
    return keyset_page(db.session, stmt, TAG_ORDER, True, cursor, per_page,
                       key_of=lambda post: (post.last_activity_at, post.id))


def by_author(viewer: User | None, author: User, cursor: str | None, per_page: int) -> Page[Post]:
    stmt = select(Post).where(Post.author_id == author.id, visible_posts(viewer))
    return keyset_page(db.session, stmt, (Post.created_at, Post.id), True, cursor, per_page)


def tag_index(cursor: str | None, per_page: int) -> Page[Hashtag]:
    """Tags with visible posts, most used first."""
    stmt = select(Hashtag).where(Hashtag.post_count > 0)
    return keyset_page(db.session, stmt, (Hashtag.post_count, Hashtag.id), True, cursor, per_page)


def recent_replies_by(viewer: User | None, author: User, limit: int = 20) -> list[Reply]:
    """The member's latest replies that this viewer may see, on posts they may see."""
    stmt = (select(Reply).join(Post, Post.id == Reply.post_id)
            .where(Reply.author_id == author.id, Reply.deleted_at.is_(None), visible_replies(viewer),
                   visible_posts(viewer))
            .order_by(Reply.created_at.desc(), Reply.id.desc()).limit(limit)
            .options(contains_eager(Reply.post)))
    return list(db.session.scalars(stmt))


def hearts_received(author: User) -> int:
    """Hearts on the member's visible posts and replies."""
    on_posts = select(func.coalesce(func.sum(Post.heart_count), 0)).where(
        Post.author_id == author.id, public_posts(None)).scalar_subquery()
    on_replies = select(func.coalesce(func.sum(Reply.heart_count), 0)).where(
        Reply.author_id == author.id, public_reply_status()).scalar_subquery()
    return db.session.scalar(select(on_posts + on_replies))
