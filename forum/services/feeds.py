"""The lists members read: latest, waiting for a reply, by hashtag, by author, the tag index."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import Hashtag, Post, Reply, User, post_hashtags, utcnow
from forum.pagination import Page, encode_cursor, keyset_page
from forum.services.following import not_muted
from forum.services.visibility import (
    public_posts,
    public_reply_status,
    visible_posts,
    visible_posts_apart,
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


def tagged(viewer: User | None, tag: Hashtag, cursor: str | None, per_page: int) -> Page[Post]:
    stmt = (select(Post).join(post_hashtags, post_hashtags.c.post_id == Post.id)
            .where(post_hashtags.c.hashtag_id == tag.id))
    return _visible_page(viewer, stmt, (Post.last_activity_at, Post.id), True, cursor, per_page)


def _visible_page(viewer: User | None, stmt, sort_columns: tuple, descending: bool, cursor: str | None,
                  per_page: int) -> Page[Post]:
    """keyset_page of the posts of `stmt` the viewer may see: a page of visible ones and a page of their own
    hidden ones, merged by the sort key (together they hold the first page of both, and the same next cursor).

    On a tag page SQLite answers "visible, or one of these of theirs" from the tag's rows and sorts them all
    (115 ms for #Depression at 100k posts); visible posts alone walk ix_posts_status_last_activity as for
    visitors, and the viewer's own few come by primary key.
    """
    public, own = visible_posts_apart(viewer)
    page = keyset_page(db.session, stmt.where(public), sort_columns, descending, cursor, per_page)
    if own is None:
        return page
    theirs = keyset_page(db.session, stmt.where(own), sort_columns, descending, cursor, per_page)
    if not theirs.items:
        return page

    def key_of(post: Post) -> tuple:
        return tuple(getattr(post, column.key) for column in sort_columns)

    rows = sorted(page.items + theirs.items, key=key_of, reverse=descending)
    more = len(rows) > per_page or page.next_cursor is not None or theirs.next_cursor is not None
    return Page(items=rows[:per_page], next_cursor=encode_cursor(key_of(rows[per_page - 1])) if more else None)


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
