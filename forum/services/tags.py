"""Hashtags: collect them from what a member wrote, find or create them, keep counts exact."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.hashtags import (MAX_HASHTAGS_PER_POST, extract_hashtags, hashtag_key, invalid_tags_in_field,
                             merge_hashtags, parse_tags_field)
from forum.models import Hashtag, Post, PostStatus, post_hashtags
from forum.services import DomainError


def collect_hashtags(title: str, body: str, tags_field: str = "") -> list[str]:
    """Return the post's hashtags (title, then body, then the tags field), or explain what is wrong."""
    invalid = invalid_tags_in_field(tags_field or "")
    if invalid:
        shown = ", ".join(f"“{tag}”" for tag in invalid[:5])
        raise DomainError(
            f"These aren't hashtags we can use: {shown}. A hashtag starts with a letter, then letters, "
            "digits or _ (2 to 50 characters).",
            field="tags",
        )
    names = merge_hashtags(extract_hashtags(title, limit=None), extract_hashtags(body, limit=None),
                           parse_tags_field(tags_field or ""), limit=None)
    if len(names) > MAX_HASHTAGS_PER_POST:
        raise DomainError(
            f"A post can carry at most {MAX_HASHTAGS_PER_POST} hashtags; this one has {len(names)}. "
            "Your text is still here: remove a few tags and post again.",
            field="body",
        )
    return names


def hashtags_named(names: Iterable[str]) -> list[Hashtag]:
    """Find the hashtags with these names (case-insensitively), creating the missing ones."""
    wanted = {hashtag_key(name): name for name in reversed(list(names))}  # first spelling wins
    if not wanted:
        return []
    found = {tag.key: tag for tag in db.session.scalars(select(Hashtag).where(Hashtag.key.in_(wanted)))}
    for key, name in wanted.items():
        if key in found:
            continue
        try:
            # Another request may create the same new tag at this moment; the unique key decides.
            with db.session.begin_nested():
                tag = Hashtag(key=key, name=name, post_count=0)
                db.session.add(tag)
        except IntegrityError:
            tag = db.session.scalars(select(Hashtag).where(Hashtag.key == key)).one()
        found[key] = tag
    return _follow_merges([found[hashtag_key(name)] for name in names])


def _follow_merges(tags: list[Hashtag]) -> list[Hashtag]:
    """Put the tag a merged one became in its place (merges never chain), without repeats."""
    result: list[Hashtag] = []
    for tag in tags:
        if tag.merged_into_id is not None:
            tag = db.session.get(Hashtag, tag.merged_into_id) or tag
        if tag not in result:
            result.append(tag)
    return result


def recount_hashtags(tag_ids: Iterable[int]) -> None:
    """Set each tag's post_count to its exact number of visible posts."""
    ids = sorted(set(tag_ids))
    if not ids:
        return
    visible_posts_with_tag = (
        select(func.count())
        .select_from(post_hashtags.join(Post, Post.id == post_hashtags.c.post_id))
        .where(post_hashtags.c.hashtag_id == Hashtag.id, Post.status == PostStatus.VISIBLE.value)
        .scalar_subquery()
    )
    db.session.execute(
        update(Hashtag).where(Hashtag.id.in_(ids)).values(post_count=visible_posts_with_tag),
        execution_options={"synchronize_session": False},
    )


def find_hashtag(name: str) -> Hashtag | None:
    return db.session.scalars(select(Hashtag).where(Hashtag.key == hashtag_key(name))).first()
