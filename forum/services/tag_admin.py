"""Tidying hashtags: merging a tag into another, and choosing a tag's display spelling.

A merged tag keeps its row, emptied and pointing at the tag it became (Hashtag.merged_into_id): posts
keep the links they were rendered with (/tags/<spelling as written>), and that page sends readers on.
"""
from __future__ import annotations

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.hashtags import hashtag_error, hashtag_key
from forum.models import Hashtag, ModerationAction, TagFollow, User, post_hashtags, utcnow
from forum.services import DomainError
from forum.services.tags import find_hashtag, recount_hashtags

LIST_LIMIT = 100


def tags_for_tidying(query: str = "", limit: int = LIST_LIMIT) -> list[tuple[Hashtag, str | None]]:
    """Tags whose key starts with the query, most used first, each with the name it was merged into."""
    target = aliased(Hashtag)
    stmt = (select(Hashtag, target.name).outerjoin(target, Hashtag.merged_into_id == target.id)
            .order_by(Hashtag.post_count.desc(), Hashtag.key).limit(limit))
    key = hashtag_key(query.strip())
    if key:
        stmt = stmt.where(Hashtag.key.startswith(key, autoescape=True))
    return [(tag, merged_into) for tag, merged_into in db.session.execute(stmt)]


def merge_tags(moderator: User, source_name: str, target_name: str) -> ModerationAction:
    """Move every post (and follower) of one tag to another, leaving the old name leading to the new one."""
    source = _existing(source_name, "source")
    target = _existing(target_name, "target")
    if source.merged_into_id is not None:
        merged_into = db.session.get(Hashtag, source.merged_into_id)
        raise DomainError(f"#{source.name} was already merged into #{merged_into.name if merged_into else '?'}.",
                          field="source")
    target = _final(target)
    if target.id == source.id:
        raise DomainError("Those are the same tag: choose two different ones.", field="target")

    carrying = select(post_hashtags.c.post_id).where(post_hashtags.c.hashtag_id == source.id)
    post_ids = sorted(db.session.scalars(carrying))
    already = set(db.session.scalars(select(post_hashtags.c.post_id).where(
        post_hashtags.c.hashtag_id == target.id, post_hashtags.c.post_id.in_(carrying))))
    # A post carrying both keeps one row: the composite key of post_hashtags allows nothing else.
    db.session.execute(insert(post_hashtags).from_select(
        ["post_id", "hashtag_id"],
        select(post_hashtags.c.post_id, literal(target.id)).where(
            post_hashtags.c.hashtag_id == source.id,
            post_hashtags.c.post_id.not_in(select(post_hashtags.c.post_id)
                                           .where(post_hashtags.c.hashtag_id == target.id)))))
    db.session.execute(delete(post_hashtags).where(post_hashtags.c.hashtag_id == source.id))
    _move_follows(source, target)
    # Tags merged into the source earlier now lead straight to the target, one redirect instead of a chain.
    db.session.execute(update(Hashtag).where(Hashtag.merged_into_id == source.id)
                       .values(merged_into_id=target.id), execution_options={"synchronize_session": False})
    source.merged_into_id = target.id
    db.session.flush()
    recount_hashtags([source.id, target.id])
    _expire_tag_lists()
    return _log(moderator, "tag_merge", {
        "from": source.name, "into": target.name, "from_id": source.id, "into_id": target.id,
        "posts": len(post_ids),
        # What an undo would need: the posts that carried the tag, and which already carried the target.
        "post_ids": post_ids, "already_in_target": sorted(already),
    })


def rename_tag(moderator: User, name: str, spelling: str) -> ModerationAction:
    """Change how a tag is written (capitals, width), never which tag it is."""
    tag = _existing(name, "tag")
    spelling = (spelling or "").strip().lstrip("#")
    problem = hashtag_error(spelling) if spelling else "please write the new spelling"
    if problem:
        raise DomainError(f"“{spelling}” can't be a hashtag: {problem}.", field="spelling")
    if hashtag_key(spelling) != tag.key:
        raise DomainError(
            f"“{spelling}” is a different tag from #{tag.name}: a new spelling may change only capitals or "
            "character width. To bring two tags together, merge them.", field="spelling")
    if tag.merged_into_id is not None:
        raise DomainError(f"#{tag.name} was merged into another tag; rename that one instead.", field="tag")
    if spelling == tag.name:
        raise DomainError(f"#{tag.name} is already written that way.", field="spelling")
    before = tag.name
    tag.name = spelling
    tag.spelling_chosen = True  # from now on it stays, whatever spelling members write most
    db.session.flush()
    posts = db.session.scalar(select(func.count()).select_from(post_hashtags)
                              .where(post_hashtags.c.hashtag_id == tag.id))
    _expire_tag_lists()
    return _log(moderator, "tag_rename", {"from": before, "to": spelling, "tag_id": tag.id, "posts": posts})


def _existing(name: str, field: str) -> Hashtag:
    tag = find_hashtag((name or "").strip().lstrip("#"))
    if tag is None:
        raise DomainError(f"There's no tag called #{(name or '').strip().lstrip('#')}.", field=field)
    return tag


def _final(tag: Hashtag) -> Hashtag:
    """The tag a (possibly merged) tag leads to now."""
    seen = {tag.id}
    while tag.merged_into_id is not None:
        following = db.session.get(Hashtag, tag.merged_into_id)
        if following is None or following.id in seen:
            break
        seen.add(following.id)
        tag = following
    return tag


def _move_follows(source: Hashtag, target: Hashtag) -> None:
    """Members following (or muting) the source now do the same for the target, unless they chose already."""
    chose_target = select(TagFollow.user_id).where(TagFollow.hashtag_id == target.id)
    db.session.execute(update(TagFollow).where(TagFollow.hashtag_id == source.id,
                                               TagFollow.user_id.not_in(chose_target))
                       .values(hashtag_id=target.id), execution_options={"synchronize_session": False})
    db.session.execute(delete(TagFollow).where(TagFollow.hashtag_id == source.id),
                       execution_options={"synchronize_session": False})


def _expire_tag_lists() -> None:
    """Bulk statements bypass the session: reload posts' tag lists and follows when next read."""
    db.session.expire_all()


def _log(moderator: User, action: str, detail: dict) -> ModerationAction:
    record = ModerationAction(moderator_id=moderator.id, action=action, reason="", detail=detail,
                              created_at=utcnow())
    db.session.add(record)
    db.session.flush()
    return record
