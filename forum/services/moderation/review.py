"""What a moderator reads before deciding on an item: the thread around it and its author's history.

Moderators see everything (hidden, pending and removed words too): they are the ones who decide on them.
Every list is bounded, so an item on a 5,000-reply thread or by a prolific member reads as fast as any.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModerationAction, ModerationItem, Post, Reply, User
from forum.services.moderation.actions import content_of
from forum.services.visibility import visible_replies

THREAD_REPLIES = 20
RECENT_POSTS = 5
PAST_ACTIONS = 20


@dataclass(frozen=True)
class Thread:
    """The post an item belongs to and its latest replies, oldest of them first."""

    post: Post
    replies: list[Reply]
    reply_total: int
    #: Replies by someone other than the post's author that everyone can see: someone has answered.
    answered_by_others: int


@dataclass(frozen=True)
class AuthorHistory:
    member: User
    post_total: int
    reply_total: int
    recent_posts: list[Post]
    #: Earlier moderator actions concerning this member, on other items, newest first.
    past_actions: list[ModerationAction]


def thread_of(item: ModerationItem, limit: int = THREAD_REPLIES) -> Thread:
    """The thread around the item's content: its post and that post's latest replies."""
    content = content_of(item)
    post = content if isinstance(content, Post) else content.post
    replies = list(db.session.scalars(
        select(Reply).where(Reply.post_id == post.id).order_by(Reply.created_at.desc(), Reply.id.desc()).limit(limit)))
    replies.reverse()
    total, by_others = db.session.execute(
        select(func.count(), func.count().filter(Reply.author_id != post.author_id, visible_replies(None),
                                                 Reply.deleted_at.is_(None)))
        .where(Reply.post_id == post.id)).one()
    return Thread(post=post, replies=replies, reply_total=total, answered_by_others=by_others)


def author_history(item: ModerationItem, limit: int = PAST_ACTIONS) -> AuthorHistory:
    """The author's account age, how much they write, their latest posts and what moderators did before."""
    content = content_of(item)
    author_id = content.author_id
    post_total = db.session.scalar(select(func.count()).where(Post.author_id == author_id))
    reply_total = db.session.scalar(select(func.count()).where(Reply.author_id == author_id))
    recent = list(db.session.scalars(select(Post).where(Post.author_id == author_id)
                                     .order_by(Post.created_at.desc(), Post.id.desc()).limit(RECENT_POSTS)))
    past = list(db.session.scalars(
        select(ModerationAction).where(ModerationAction.member_id == author_id,
                                       ModerationAction.item_id.is_distinct_from(item.id))
        .order_by(ModerationAction.id.desc()).limit(limit)))
    return AuthorHistory(member=content.author, post_total=post_total, reply_total=reply_total,
                         recent_posts=recent, past_actions=past)
