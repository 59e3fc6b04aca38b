"""Following and muting hashtags: the "My tags" feed, muted tags left out of feeds, related tags."""
from __future__ import annotations

from sqlalchemy import ColumnElement, delete, func, insert, literal, select, true, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.hashtags import hashtag_key
from forum.models import Hashtag, Post, TagFollow, User, post_hashtags, utcnow
from forum.pagination import Page, keyset_page
from forum.services.visibility import known_tags, viewer_id, visible_posts

FOLLOW = "follow"
MUTE = "mute"
MODES = (FOLLOW, MUTE)

#: How many tags "Often shared with" and the empty "My tags" page offer.
RELATED_TAGS = 8
SUGGESTED_TAGS = 8
#: How many of a tag's newest posts "Often shared with" counts over.
RELATED_SAMPLE = 500


def set_tag_mode(member: User, tag: Hashtag, mode: str) -> bool:
    """Follow or mute a tag, replacing the other choice; return whether anything changed.

    A repeat is a no-op: the composite primary key keeps one row per member and tag, even when
    two requests race.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    try:
        with db.session.begin_nested():
            # Core, not session.add: a row already loaded in the session must not clash with a new object.
            db.session.execute(insert(TagFollow).values(user_id=member.id, hashtag_id=tag.id, mode=mode))
        return True
    except IntegrityError:  # they chose already: switch follow <-> mute, or leave it as it is
        result = db.session.execute(
            update(TagFollow)
            .where(TagFollow.user_id == member.id, TagFollow.hashtag_id == tag.id, TagFollow.mode != mode)
            .values(mode=mode, created_at=utcnow()),
            execution_options={"synchronize_session": False})
        return result.rowcount > 0


def clear_tag_mode(member: User, tag: Hashtag, mode: str) -> bool:
    """Stop following (or unmute) a tag; unfollowing a muted tag leaves the mute. Return whether it changed."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    result = db.session.execute(
        delete(TagFollow).where(TagFollow.user_id == member.id, TagFollow.hashtag_id == tag.id,
                                TagFollow.mode == mode),
        execution_options={"synchronize_session": False})
    return result.rowcount > 0


def tag_mode(viewer: User | None, tag: Hashtag) -> str | None:
    """"follow", "mute", or None when the viewer chose neither (or is not signed in)."""
    member_id = viewer_id(viewer)
    if member_id is None:
        return None
    return db.session.scalar(select(TagFollow.mode).where(TagFollow.user_id == member_id,
                                                          TagFollow.hashtag_id == tag.id))


def follower_count(tag: Hashtag) -> int:
    return db.session.scalar(_follower_count_query(tag))


def _follower_count_query(tag: Hashtag):
    return select(func.count()).select_from(TagFollow).where(TagFollow.hashtag_id == tag.id, TagFollow.mode == FOLLOW)


def tag_with_mode_and_followers(viewer: User | None, name: str) -> tuple[Hashtag, str | None, int] | None:
    """The tag of this name with the viewer's mode for it and its follower count, in one query (the tag page
    shows all three); None if there is no such tag."""
    member_id = viewer_id(viewer)
    mode = (select(TagFollow.mode).where(TagFollow.user_id == member_id, TagFollow.hashtag_id == Hashtag.id)
            .scalar_subquery() if member_id is not None else literal(None))
    followers = (select(func.count()).select_from(TagFollow)
                 .where(TagFollow.hashtag_id == Hashtag.id, TagFollow.mode == FOLLOW).scalar_subquery())
    found = db.session.execute(select(Hashtag, mode, followers).where(Hashtag.key == hashtag_key(name))).first()
    return None if found is None else (found[0], found[1], found[2])


def _tags_in_mode(member: User, mode: str, *where: ColumnElement[bool]) -> list[Hashtag]:
    return list(db.session.scalars(select(Hashtag).join(TagFollow, TagFollow.hashtag_id == Hashtag.id)
                                   .where(TagFollow.user_id == member.id, TagFollow.mode == mode, *where)
                                   .order_by(Hashtag.key)))


def followed_tags(member: User) -> list[Hashtag]:
    return _tags_in_mode(member, FOLLOW)


def followed_tags_shown_to(viewer: User | None, member: User) -> list[Hashtag]:
    """The member's followed tags as their profile lists them to the viewer: only tags the viewer may know
    exist, so a follow never spells out a tag whose every post is hidden or removed."""
    return _tags_in_mode(member, FOLLOW, known_tags(viewer))


def muted_tags(member: User) -> list[Hashtag]:
    return _tags_in_mode(member, MUTE)


def _posts_with_tags_in_mode(member_id: int, mode: str):
    """Ids of posts carrying a tag the member follows (or muted), as a subquery."""
    return (select(post_hashtags.c.post_id)
            .join(TagFollow, TagFollow.hashtag_id == post_hashtags.c.hashtag_id)
            .where(TagFollow.user_id == member_id, TagFollow.mode == mode))


def not_muted(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause leaving out posts that carry a tag the viewer muted (everything passes for visitors)."""
    member_id = viewer_id(viewer)
    if member_id is None:
        return true()
    return Post.id.not_in(_posts_with_tags_in_mode(member_id, MUTE))


def my_tags(viewer: User, cursor: str | None, per_page: int) -> Page[Post]:
    """Posts carrying any tag the member follows, newest activity first, each post once."""
    # IN, not a join: a post carrying three followed tags is still one row.
    stmt = select(Post).where(Post.id.in_(_posts_with_tags_in_mode(viewer.id, FOLLOW)), visible_posts(viewer),
                              not_muted(viewer))
    return keyset_page(db.session, stmt, (Post.last_activity_at, Post.id), True, cursor, per_page)


def suggested_tags(member: User, limit: int = SUGGESTED_TAGS) -> list[Hashtag]:
    """The most used tags the member hasn't followed or muted yet, to start a "My tags" page."""
    chosen = select(TagFollow.hashtag_id).where(TagFollow.user_id == member.id)
    return list(db.session.scalars(
        select(Hashtag).where(Hashtag.post_count > 0, Hashtag.merged_into_id.is_(None), Hashtag.id.not_in(chosen))
        .order_by(Hashtag.post_count.desc(), Hashtag.id).limit(limit)))


def related_tags(viewer: User | None, tag: Hashtag, limit: int = RELATED_TAGS,
                 sample: int = RELATED_SAMPLE) -> list[Hashtag]:
    """The tags most often carried together with this one on its newest `sample` posts the viewer may see.

    One query (for a member, after visible_posts' own small lookup).
    """
    # Only the newest posts: the cost stays flat however big the tag grows, and it says what the tag
    # goes with now. ix_post_hashtags_hashtag_post hands them over newest first.
    newest = (select(post_hashtags.c.post_id)
              .join(Post, Post.id == post_hashtags.c.post_id)
              .where(post_hashtags.c.hashtag_id == tag.id, visible_posts(viewer))
              .order_by(post_hashtags.c.post_id.desc())
              .limit(sample))
    stmt = (select(Hashtag)
            .join(post_hashtags, post_hashtags.c.hashtag_id == Hashtag.id)
            .where(post_hashtags.c.post_id.in_(newest), post_hashtags.c.hashtag_id != tag.id)
            .group_by(Hashtag.id)
            .order_by(func.count().desc(), Hashtag.key)
            .limit(limit))
    return list(db.session.scalars(stmt))
