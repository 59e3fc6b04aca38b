"""Arrange a post's replies into one-level threads, a page of top-level replies at a time."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row, and_, case, func, null, or_, select
from sqlalchemy.orm import contains_eager

from forum.extensions import db
from forum.models import Hashtag, Post, Reply, User, post_hashtags
from forum.pagination import cursor_of_page_holding, decode_cursor, encode_cursor
from forum.services.visibility import viewer_id, visible_replies

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
    (_head_rows applies the same rule to rows already read; change both together.)
    """
    visible_here = and_(Reply.post_id == post.id, visible_replies(viewer))
    # correlate(None): the inner `replies` is its own table, not the outer query's row.
    seen_ids = select(Reply.id).where(visible_here).correlate(None)
    return select(Reply).where(visible_here, or_(Reply.parent_id.is_(None), Reply.parent_id.not_in(seen_ids)))


def thread_page(post: Post, viewer: User | None, cursor: str | None, per_page: int) -> ThreadPage:
    """The `per_page` threads after `cursor`, each with all its answers the viewer may see: two queries.

    The first reads what every reply the viewer may see signalled, with its place in the conversation (care
    answers the whole conversation, so a page needs them anyway); the threads, the page's place among the others
    and the cursors are worked out from those rows, by _heads' rule, and the second loads the page's replies.
    """
    signals = crisis_signals(post, viewer)
    heads = sorted(_head_rows(signals), key=_key)
    start = 0
    if cursor:
        after = decode_cursor(cursor, CURSOR_KINDS)
        start = bisect.bisect_right([_key(row) for row in heads], after)
    on_page = heads[start:start + per_page]
    page_ids = {head.id for head in on_page if head.parent_id is None}  # threads nest one level
    answers = sorted((row for row in signals if row.parent_id in page_ids), key=_key)
    loaded = {reply.id: reply for reply in db.session.scalars(
        # The visibility rule again: a reply hidden since the first query stays off the page.
        select(Reply).where(Reply.id.in_([row.id for row in (*on_page, *answers)]), visible_replies(viewer))
    )} if on_page else {}
    threads = {head.id: Thread(loaded[head.id]) for head in on_page if head.id in loaded}
    for row in answers:
        if row.parent_id in threads and row.id in loaded:
            threads[row.parent_id].answers.append(loaded[row.id])
    next_cursor = encode_cursor(_key(on_page[-1])) if start + per_page < len(heads) else None
    if start == 0 and next_cursor is None:
        return ThreadPage(list(threads.values()), None)  # the whole conversation fits on one page
    previous_start = max(start - per_page, 0)
    return ThreadPage(
        list(threads.values()), next_cursor, has_previous=start > 0,
        previous_cursor=encode_cursor(_key(heads[previous_start - 1])) if previous_start > 0 else None,
        number=-(-start // per_page) + 1, count=max(-(-len(heads) // per_page), 1), signals=signals,
    )


#: What a conversation cursor holds: a thread's first reply's time and id.
CURSOR_KINDS = (datetime, int)


def _key(row: Row) -> tuple:
    return row.created_at, row.id


def _head_rows(signals: list[Row]) -> list[Row]:
    """_heads' rule on rows already read: top-level replies, and answers whose parent isn't among them."""
    seen = {row.id for row in signals}
    return [row for row in signals if row.parent_id is None or row.parent_id not in seen]


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
    return cursor_of_page_holding(db.session, _heads(reply.post, viewer), ORDER, False, (head.created_at, head.id),
                                  per_page)


def cursor_for_new_reply(post: Post, viewer: User | None, parent: Reply | None, per_page: int) -> str | None:
    """The cursor of the page a reply the viewer is about to write will be on, asked before it is written (so
    the write that follows holds the database briefly): its thread's page when it answers `parent`, else the
    page after the last thread, where a new thread goes (it sorts last: newest, with the highest id).

    For a new thread: with t threads now it becomes row t (from 0), on the page starting at s = t - t % per_page,
    whose cursor is row s - 1: t % per_page rows back from the last thread (row t - 1). One query, the count
    inside its OFFSET.
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

    Care on the page answers the whole conversation, not just the page of it on screen. The categories and
    matched phrases come only with the viewer's own replies (None on the others'): help for the viewer is chosen
    from their own words (care.care_for_author: which lines, and whether the card may say it heard pain),
    everyone else's count by level alone, and decoding every reply's categories was a fifth of the page on a
    conversation of 3,000 replies.
    """
    member_id = viewer_id(viewer)

    def viewers_own(column):
        return case((Reply.author_id == member_id, column), else_=null()) if member_id is not None else null()

    return list(db.session.execute(
        select(Reply.id, Reply.parent_id, Reply.author_id, Reply.crisis_level,
               viewers_own(Reply.crisis_categories).label("crisis_categories"),
               viewers_own(Reply.crisis_matches).label("crisis_matches"), Reply.deleted_at, Reply.created_at)
        .where(Reply.post_id == post.id, visible_replies(viewer))
    ))
