"""Arrange a post's replies into one-level threads, a page of top-level replies at a time."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import Hashtag, Post, Reply, User, post_hashtags
from forum.pagination import Page, cursor_at, encode_cursor, keyset_page, rows_through
from forum.services.visibility import visible_replies

#: Conversation order; the id breaks ties between replies sent in the same instant.
ORDER = (Reply.created_at, Reply.id)


@dataclass
class Thread:
    reply: Reply
    answers: list[Reply] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadPage:
    """One page of a post's threads and where it sits among the others."""
    threads: list[Thread]
    next_cursor: str | None
    #: Whether a page comes before this one; `previous_cursor` is None when that page is the first.
    has_previous: bool = False
    previous_cursor: str | None = None
    number: int = 1
    count: int = 1
    #: What every reply the viewer may see on the post signalled (crisis_signals), when the conversation runs
    #: over several pages: counting its threads needed them anyway. None when this page is all of it.
    signals: list[Row] | None = None

    @property
    def is_whole_conversation(self) -> bool:
        return not self.has_previous and self.next_cursor is None

    def replies(self) -> list[Reply]:
        return [reply for thread in self.threads for reply in (thread.reply, *thread.answers)]


def _heads(post: Post, viewer: User | None):
    """The replies that start a thread for this viewer: top-level ones, and answers whose parent they can't see.

    An answer to a hidden reply stands on its own rather than being lost, as it did before replies were paged.
    """
    visible_here = and_(Reply.post_id == post.id, visible_replies(viewer))
    # correlate(None): the inner `replies` is its own table, not the outer query's row.
    seen_ids = select(Reply.id).where(visible_here).correlate(None)
    return select(Reply).where(visible_here, or_(Reply.parent_id.is_(None), Reply.parent_id.not_in(seen_ids)))


def thread_page(post: Post, viewer: User | None, cursor: str | None, per_page: int) -> ThreadPage:
    """The `per_page` threads after `cursor`, each with all its answers the viewer may see."""
    heads = _heads(post, viewer)
    page: Page[Reply] = keyset_page(db.session, heads, ORDER, False, cursor, per_page)
    threads = [Thread(reply) for reply in page.items]
    parents = {t.reply.id: t for t in threads if t.reply.parent_id is None}
    if parents:
        for answer in db.session.scalars(select(Reply).where(Reply.parent_id.in_(parents), visible_replies(viewer))
                                         .order_by(*ORDER)):
            parents[answer.parent_id].answers.append(answer)
    if not cursor and page.next_cursor is None:
        return ThreadPage(threads, None)  # the whole conversation fits on one page: no counting needed
    start = rows_through(db.session, heads, ORDER, False, cursor) if cursor else 0
    # The page count comes from the signals the page needs anyway: one query for both, not a count of its own.
    signals = crisis_signals(post, viewer)
    total = _count_threads(signals)
    return ThreadPage(
        threads, page.next_cursor, has_previous=start > 0,
        previous_cursor=cursor_at(db.session, heads, ORDER, False, max(start - per_page, 0)),
        number=-(-start // per_page) + 1, count=max(-(-total // per_page), 1), signals=signals,
    )


def _count_threads(signals: list[Row]) -> int:
    """How many threads these replies make: _heads' rule (top-level, or answering a reply not among them)."""
    seen = {row.id for row in signals}
    return sum(1 for row in signals if row.parent_id is None or row.parent_id not in seen)


def load_post_with_hashtags(post_id: int) -> Post | None:
    """The post with its hashtags, in one query: a post's page always shows them (their default loading
    would ask a second time). Chained left joins, each on an index: the eager loader's nested join made
    SQLite read every row of post_hashtags (tests/test_query_plans.py)."""
    return db.session.scalars(
        select(Post).outerjoin(post_hashtags, post_hashtags.c.post_id == Post.id)
        .outerjoin(Hashtag, Hashtag.id == post_hashtags.c.hashtag_id)
        .options(contains_eager(Post.hashtags)).where(Post.id == post_id).order_by(Hashtag.name)
    ).unique().first()


def visible_reply(post: Post, viewer: User | None, reply_id: int) -> Reply | None:
    """The post's reply with this id if the viewer may see it on the page (the page's own rule), else None."""
    return db.session.scalar(select(Reply).where(Reply.id == reply_id, Reply.post_id == post.id,
                                                 visible_replies(viewer)))


def cursor_for(reply: Reply, viewer: User | None, per_page: int) -> str | None:
    """The cursor of the page holding this reply's thread (None: the first page), as the pager would reach it."""
    head = reply
    if reply.parent_id is not None:
        head = visible_reply(reply.post, viewer, reply.parent_id) or reply
    heads = _heads(reply.post, viewer)
    index = rows_through(db.session, heads, ORDER, False, encode_cursor((head.created_at, head.id))) - 1
    return cursor_at(db.session, heads, ORDER, False, index - index % per_page)


def cursor_for_new_reply(post: Post, viewer: User | None, parent: Reply | None, per_page: int) -> str | None:
    """The cursor of the page a reply the viewer is about to write will be on, asked before it is written (so
    the write that follows holds the database briefly): its thread's page when it answers `parent`, else the
    page after the last thread, where a new thread goes (it sorts last: newest, with the highest id).

    For a new thread: with t threads now it becomes row t (0-based), on the page starting at t - t % per_page,
    whose cursor is that many rows back from the last thread: one query, the count inside its OFFSET.
    """
    if parent is not None:
        return cursor_for(parent, viewer, per_page)
    heads = _heads(post, viewer)
    count = heads.with_only_columns(func.count()).order_by(None).scalar_subquery()
    key = db.session.execute(heads.with_only_columns(*ORDER).order_by(*(column.desc() for column in ORDER))
                             .offset(count % per_page).limit(1)).first()
    return encode_cursor(tuple(key)) if key is not None else None


def crisis_signals(post: Post, viewer: User | None) -> list[Row]:
    """What every reply the viewer may see on this post signalled, without loading their words.

    Care on the page answers the whole conversation, not just the page of it on screen.
    """
    return list(db.session.execute(
        select(Reply.id, Reply.parent_id, Reply.author_id, Reply.crisis_level, Reply.crisis_categories,
               Reply.deleted_at)
        .where(Reply.post_id == post.id, visible_replies(viewer))
    ))
