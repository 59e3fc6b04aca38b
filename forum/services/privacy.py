"""A member leaving Kindred: taking their words with them, or leaving them anonymously (their copy: services.export)."""
from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select, update

from forum.extensions import db
from forum.models import (
    Heart,
    Post,
    Reply,
    User,
    WelfareCheck,
    post_hashtags,
    utcnow,
)
from forum.services import DomainError
from forum.services.erasure import (
    FORMER_MEMBER,
    empty_placeholder_reply,
    erase_member_from_moderation,
    forget_kept_copies,
    forget_unused_hashtags,
)
from forum.services.moderation.welfare import keep_welfare_checks_under
from forum.services.replies import recount_post
from forum.services.tags import shift_tag_counts
from forum.services.visibility import public_posts


def former_member() -> User:
    """The placeholder author for words left behind; nobody can sign in as it."""
    ghost = db.session.scalars(select(User).where(User.username_key == FORMER_MEMBER)).first()
    if ghost is None:
        ghost = User(username=FORMER_MEMBER, password=secrets.token_urlsafe(48))
        ghost.bio = "Words from members who have left Kindred."
        db.session.add(ghost)
        db.session.flush()
    return ghost


def delete_account(member: User, keep_words_anonymously: bool) -> None:
    """Delete the member's account. Their posts and replies go with them, or stay under "former-member".

    A removed reply that others answered stays as "[deleted]" (under the placeholder) so threads still read.
    """
    if member.username_key == FORMER_MEMBER:
        raise DomainError("This account can't be deleted.")
    ghost = former_member()
    touched_posts: set[int] = set()
    hearted = _hearted_targets(member)
    erase_member_from_moderation(member)
    their_tags: set[int] = set()
    if keep_words_anonymously:
        touched_posts.update(db.session.scalars(select(Reply.post_id).where(Reply.author_id == member.id)))
        db.session.execute(update(Post).where(Post.author_id == member.id).values(author_id=ghost.id))
        db.session.execute(update(Reply).where(Reply.author_id == member.id).values(author_id=ghost.id))
    else:
        _remove_replies(member, ghost, touched_posts)
        # Locked first, so a moderator hiding one of these posts meanwhile can't change what they count for.
        posts = db.session.scalars(select(Post).where(Post.author_id == member.id).with_for_update()).all()
        shift_tag_counts({tag_id: -count for tag_id, count in _visible_posts_per_tag(member)})
        their_tags.update(tag.id for post in posts for tag in post.hashtags)
        for post in posts:
            forget_kept_copies(post)
            # Others' replies under it go too: an open crisis on one of them leaves its writer a welfare check.
            keep_welfare_checks_under(post, leaving=member)
            db.session.delete(post)
        db.session.flush()
    db.session.execute(delete(Heart).where(Heart.user_id == member.id))
    # Checks about them go with them (ON DELETE CASCADE too): nothing kept says they were in crisis here.
    db.session.execute(delete(WelfareCheck).where(WelfareCheck.member_id == member.id))
    db.session.delete(member)
    db.session.flush()
    _recount_hearts(*hearted)
    forget_unused_hashtags(their_tags)
    for post in db.session.scalars(select(Post).where(Post.id.in_(touched_posts))):
        recount_post(post)


def _remove_replies(member: User, ghost: User, touched_posts: set[int]) -> None:
    for reply in db.session.scalars(select(Reply).where(Reply.author_id == member.id)).all():
        touched_posts.add(reply.post_id)
        answered = db.session.scalar(select(func.count()).where(Reply.parent_id == reply.id)) > 0
        if answered:
            reply.author_id = ghost.id
            reply.deleted_at = reply.deleted_at or utcnow()
            empty_placeholder_reply(reply)
        else:
            db.session.delete(reply)
    db.session.flush()


def _visible_posts_per_tag(member: User) -> list[tuple[int, int]]:
    """(tag id, how many of the member's visible posts carry it): what their posts count for."""
    return db.session.execute(
        select(post_hashtags.c.hashtag_id, func.count())
        .join(Post, Post.id == post_hashtags.c.post_id)
        .where(Post.author_id == member.id, public_posts(None))
        .group_by(post_hashtags.c.hashtag_id)).all()


def _hearted_targets(member: User) -> tuple[set[int], set[int]]:
    rows = db.session.execute(select(Heart.post_id, Heart.reply_id).where(Heart.user_id == member.id)).all()
    return {p for p, _ in rows if p}, {r for _, r in rows if r}


def _recount_hearts(post_ids: set[int], reply_ids: set[int]) -> None:
    """Set heart counts from the rows, for the posts and replies a departing member had hearted."""
    for model, column, ids in ((Post, Heart.post_id, post_ids), (Reply, Heart.reply_id, reply_ids)):
        if ids:
            count = select(func.count()).where(column == model.id).scalar_subquery()
            db.session.execute(update(model).where(model.id.in_(ids)).values(heart_count=count),
                               execution_options={"synchronize_session": False})


