"""Nobody unanswered: how long posts usually wait for a first reply, and thanking everyone who replied."""
from __future__ import annotations

import statistics
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Heart, Post, Reply, User, post_hashtags, utcnow
from forum.services.blocks import may_reach
from forum.services.hearts import set_heart
from forum.services.visibility import public_posts, public_replies

#: How far back the usual-wait figure looks, and how many answered posts it reads at most.
WAIT_WINDOW_DAYS = 90
WAIT_SAMPLE = 2000


def usual_first_reply_wait(tag_ids: list[int], days: int = WAIT_WINDOW_DAYS) -> tuple[timedelta, int] | None:
    """The median time answered posts with any of these tags waited for their first reply, and how many
    posts that is; None without enough data (fewer than 3 posts) to say anything honest."""
    since = utcnow() - timedelta(days=days)
    stmt = (select(Post.created_at, Post.first_response_at)
            .where(Post.first_response_at.is_not(None), Post.created_at >= since, public_posts(None))
            .order_by(Post.created_at.desc()).limit(WAIT_SAMPLE))
    if tag_ids:
        stmt = stmt.where(Post.id.in_(select(post_hashtags.c.post_id).where(post_hashtags.c.hashtag_id.in_(tag_ids))))
    waits = [(answered - created).total_seconds() for created, answered in db.session.execute(stmt)]
    if len(waits) < 3:
        return None
    return timedelta(seconds=statistics.median(waits)), len(waits)


def unacknowledged_replies(post: Post) -> list[Reply]:
    """Replies from others the post's author has neither answered nor hearted yet, oldest first."""
    answered = select(Reply.parent_id).where(Reply.post_id == post.id, Reply.author_id == post.author_id,
                                             Reply.parent_id.is_not(None))
    hearted = select(Heart.reply_id).where(Heart.user_id == post.author_id, Heart.reply_id.is_not(None))
    # Only replies the author may see and heart: thanking everyone mustn't fail on one who can't be reached.
    return list(db.session.scalars(
        select(Reply).where(Reply.post_id == post.id, Reply.author_id != post.author_id,
                            public_replies(post.author), may_reach(post.author_id, Reply.author_id),
                            Reply.id.not_in(answered), Reply.id.not_in(hearted))
        .order_by(Reply.created_at, Reply.id)))


def thank_everyone(author: User, post: Post) -> int:
    """Heart every reply the author hasn't answered or hearted; ordinary hearts. Returns how many."""
    return sum(set_heart(author, reply, True) for reply in unacknowledged_replies(post))
