"""Replies: answering a post, or one level deeper, answering a reply."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import Post, PostStatus, Reply, User, WelfareKind, utcnow
from forum.services import Gone, NotAllowed
from forum.services.accounts import ensure_can_participate
from forum.services.blocks import can_reach
from forum.services.erasure import empty_placeholder_reply, forget_kept_copies
from forum.services.moderation.welfare import keep_welfare_check
from forum.services.notifications.sending import notify_mentions, reply_delivery
from forum.services.posts import keep_revision
from forum.services.safety import assess_and_escalate
from forum.services.tags import locked_status
from forum.services.text import ensure_something_shows, render_body
from forum.services.visibility import can_view_reply, public_replies
from forum.services.watched import apply_watched_words, refuse_blocked_words


def add_reply(author: User, post: Post, body: str, parent: Reply | None = None,
              submission_key: str | None = None) -> Reply:
    """Answer a post (or a reply on it); the post's counters and activity move with it."""
    ensure_can_participate(author)
    # The post's status and lock as they are now, held until the commit: its author deleting it or a moderator
    # hiding or closing it this moment either comes first (and the reply is refused) or waits for the reply.
    if locked_status(post) != PostStatus.VISIBLE.value:
        raise NotAllowed("This post isn't open for replies right now.")
    if post.replies_locked:
        raise NotAllowed("A moderator has closed this post to new replies. You can still send a heart.")
    ensure_something_shows(body)
    refuse_blocked_words(body)
    if parent is not None:
        if parent.post_id != post.id:
            raise NotAllowed("That reply belongs to another post.")
        if not can_view_reply(author, parent):
            raise NotAllowed("That reply isn't here any more.")
        # Threads nest one level: answering a nested reply joins its thread.
        if parent.parent_id is not None:
            parent = db.session.get(Reply, parent.parent_id)
    # Someone who was blocked can't reach the member who blocked them; the wording doesn't say why.
    if not can_reach(author.id, post.author_id) or (parent is not None and not can_reach(author.id, parent.author_id)):
        raise NotAllowed("You can't reply here.")
    # Everything the reply needs read first (the watched words came with refuse_blocked_words, who hears about
    # it comes here): from the first write on, SQLite lets no other writer in until the commit.
    delivery = reply_delivery(post, parent, author.id)
    now = utcnow()
    reply = Reply(post=post, post_id=post.id, author_id=author.id, parent_id=parent.id if parent else None,
                  body=body, body_html=render_body(body), status=PostStatus.VISIBLE.value,
                  created_at=now, heart_count=0, submission_key=submission_key)
    db.session.add(reply)
    with db.session.no_autoflush:  # nothing written yet, unless a watched word or the detector opens an item
        apply_watched_words(reply, author)
        assess_and_escalate(reply)
    db.session.flush()
    if reply.is_visible:
        changes = {"reply_count": Post.reply_count + 1, "last_activity_at": now}
        if author.id != post.author_id:
            changes["first_response_at"] = func.coalesce(Post.first_response_at, now)
        db.session.execute(update(Post).where(Post.id == post.id).values(**changes),
                           execution_options={"synchronize_session": False})
        db.session.expire(post, ["reply_count", "last_activity_at", "first_response_at"])
        delivery.send(reply_id=reply.id)
        notify_mentions(reply)
    return reply


def edit_reply(reply: Reply, body: str) -> Reply:
    if reply.is_deleted:
        raise NotAllowed("A deleted reply can't be edited.")
    ensure_can_participate(reply.author)
    ensure_something_shows(body)
    refuse_blocked_words(body)
    was_visible = reply.is_visible
    keep_revision(reply)
    reply.body = body
    reply.body_html = render_body(body)
    reply.edited_at = utcnow()
    apply_watched_words(reply, reply.author)
    assess_and_escalate(reply)
    if reply.is_visible != was_visible:
        # A held edit takes the reply out of what others see: the post's count, last activity and "needs a
        # reply" follow now, not when a moderator next acts on it.
        recount_post(reply.post)
    return reply


def delete_reply(reply: Reply) -> None:
    """Delete a reply; one that others answered stays as "[deleted]" so the thread still reads.

    Raises Gone when another request deleted it first (a double-clicked delete): the row is read under its lock,
    so the second waits for the first and then finds nothing to delete, and keeps no second welfare check.
    """
    locked_status(reply)
    if db.session.scalar(select(Reply.deleted_at).where(Reply.id == reply.id)) is not None:
        raise Gone(f"Reply {reply.id} was deleted meanwhile")
    post = reply.post
    parent_id = reply.parent_id
    has_answers = db.session.scalar(select(func.count()).where(Reply.parent_id == reply.id)) > 0
    keep_welfare_check(reply, WelfareKind.REPLY)  # before its item goes, either way
    if has_answers:
        reply.deleted_at = utcnow()
        empty_placeholder_reply(reply)
    else:
        forget_kept_copies(reply)
        db.session.delete(reply)
    db.session.flush()
    if parent_id is not None:
        _drop_emptied_placeholder(parent_id)
    recount_post(post)


def _drop_emptied_placeholder(reply_id: int) -> None:
    """Remove a "[deleted]" reply once its last answer is gone too."""
    parent = db.session.get(Reply, reply_id)
    if parent is not None and parent.is_deleted:
        if db.session.scalar(select(func.count()).where(Reply.parent_id == parent.id)) == 0:
            db.session.delete(parent)
            db.session.flush()


def recount_post(post: Post) -> None:
    """Recompute a post's reply count, last activity and first response from its live, visible replies."""
    live = select(Reply).where(Reply.post_id == post.id, public_replies(None)).subquery()
    count, last = db.session.execute(select(func.count(), func.max(live.c.created_at))).one()
    first_response = db.session.scalar(
        select(func.min(live.c.created_at)).where(live.c.author_id != post.author_id)
    )
    post.reply_count = count
    post.last_activity_at = _as_utc(last) or post.created_at
    post.first_response_at = _as_utc(first_response)
    db.session.flush()


def _as_utc(value: datetime | str | None) -> datetime | None:
    """Aggregates bypass the column type, so SQLite hands them back naive (or as text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
