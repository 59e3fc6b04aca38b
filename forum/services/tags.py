"""Hashtags: collect them from what a member wrote, find or create them, keep counts exact.

A tag's post_count is its number of visible posts. Every write moves it by what that write changed
(`tag_counts_changed`), with `post_count = post_count + delta` so concurrent writers add up instead of
overwriting each other; `recount_hashtags` counts from the rows, for merges and for repair.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from forum.extensions import db
from forum.hashtags import (
    MAX_HASHTAGS_PER_POST,
    hashtag_key,
    merge_hashtags,
    parse_tags_field,
    tags_field_problem,
)
from forum.markup import extract_hashtags
from forum.models import Hashtag, HashtagSpelling, Post, Reply, User, post_hashtags
from forum.services import DomainError, Gone
from forum.services.visibility import knows_tag, public_posts


def collect_hashtags(title: str, body: str, tags_field: str = "") -> list[str]:
    """Return the post's hashtags (title, then body, then the tags field), or explain what is wrong."""
    problem = tags_field_problem(tags_field or "")
    if problem:
        raise DomainError(problem, field="tags")
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
    # FOR KEY SHARE: a deletion forgetting an unused tag (forget_unused_hashtags) skips the tags this post now
    # holds, or, if it came first, is waited for and its tags are made again below; it never takes them from
    # under this post's links. It doesn't hold up other writers, which only change a tag's counts.
    found = {tag.key: tag for tag in db.session.scalars(
        select(Hashtag).where(Hashtag.key.in_(wanted)).with_for_update(read=True, key_share=True))}
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


def note_spellings(tags: Iterable[Hashtag], names: Iterable[str]) -> None:
    """Count a use of the spelling each tag was written with here (`names`, as the post wrote them), and let the
    display name follow the spelling the community writes most, unless moderators chose one.

    Call it for the tags a post gained: a post counts once for each tag, however often it is edited.
    """
    spelled = {hashtag_key(name): name for name in reversed(list(names))}  # the post's first spelling
    for tag in tags:
        spelling = spelled.get(tag.key)
        if spelling is None:
            continue  # reached through a merge: written as another tag
        used = (update(HashtagSpelling).where(HashtagSpelling.hashtag_id == tag.id,
                                              HashtagSpelling.spelling == spelling)
                .values(uses=HashtagSpelling.uses + 1))  # + 1 in the database: concurrent posts add up
        if not db.session.execute(used).rowcount:
            try:
                with db.session.begin_nested():
                    db.session.add(HashtagSpelling(hashtag_id=tag.id, spelling=spelling, uses=1))
            except IntegrityError:  # another post wrote it first, this very moment
                db.session.execute(used)
        # Writing the spelling already shown can't make another overtake it: no need to look.
        if spelling != tag.name and not tag.spelling_chosen:
            _follow_most_used_spelling(tag)


def _follow_most_used_spelling(tag: Hashtag) -> None:
    uses = dict(db.session.execute(select(HashtagSpelling.spelling, HashtagSpelling.uses)
                                   .where(HashtagSpelling.hashtag_id == tag.id)).all())
    shown = uses.get(tag.name, 0)
    most = max(uses, key=uses.__getitem__)
    if uses[most] > shown:  # a tie keeps the spelling readers know
        tag.name = most


def _follow_merges(tags: list[Hashtag]) -> list[Hashtag]:
    """Put the tag a merged one became in its place (merges never chain), without repeats."""
    result: list[Hashtag] = []
    for tag in tags:
        if tag.merged_into_id is not None:
            tag = db.session.get(Hashtag, tag.merged_into_id) or tag
        if tag not in result:
            result.append(tag)
    return result


def tag_counts_changed(before_visible: bool, before_tag_ids: Iterable[int], after_visible: bool,
                       after_tag_ids: Iterable[int]) -> None:
    """Move tag counts by what one post's change did: +1 where it now counts, -1 where it no longer does.

    A post counts for its tags only while visible, so a post becoming visible counts for all its tags, one
    hidden, held or deleted stops counting for all of them, and a visible post's edit moves only the tags
    it gained or lost.
    """
    before = set(before_tag_ids) if before_visible else set()
    after = set(after_tag_ids) if after_visible else set()
    shift_tag_counts({**{tag_id: 1 for tag_id in after - before}, **{tag_id: -1 for tag_id in before - after}})


def shift_tag_counts(deltas: Mapping[int, int]) -> None:
    """Add each delta to its tag's post_count, one UPDATE per distinct delta."""
    by_delta: dict[int, list[int]] = {}
    for tag_id, delta in deltas.items():
        if delta:
            by_delta.setdefault(delta, []).append(tag_id)
    for delta, ids in sorted(by_delta.items()):
        db.session.execute(
            update(Hashtag).where(Hashtag.id.in_(sorted(ids))).values(post_count=Hashtag.post_count + delta),
            execution_options={"synchronize_session": False},
        )


def locked_status(content: Post | Reply) -> str:
    """The stored status of a post or reply, read under a row lock that lasts until the transaction ends.

    Count changes are worked out from the status before a change; the lock makes a concurrent moderator,
    flag or author wait, so two of them can't both start from the same status and count its change twice.

    Every writer locks the content first, then its moderation item, and always in this one mode:
    FOR NO KEY UPDATE, which leaves alone the key-share locks that inserting a heart, flag or reply takes
    on the row through its foreign key. FOR UPDATE would wait for those, and two flaggers each holding
    one while asking for it deadlocked (issue 11).

    A post's `replies_locked` is read under the same lock: whether a reply may land depends on both, and a
    value loaded before the lock could miss a moderator closing the post that very moment.

    Raises Gone when another request deleted the content after this one read it (a double-clicked delete, a
    reply or a moderator's action racing the author's deletion): there is nothing left to change.
    """
    model = type(content)
    columns = (model.status, model.replies_locked) if model is Post else (model.status,)
    row = db.session.execute(select(*columns).where(model.id == content.id)
                             .with_for_update(key_share=True)).first()
    if row is None:
        raise Gone(f"{model.__name__} {content.id} was deleted meanwhile")
    for column, value in zip(columns, row, strict=True):
        set_committed_value(content, column.key, value)
    return row.status


def recount_hashtags(tag_ids: Iterable[int] | None = None) -> int:
    """Set tags' post_count (all tags' when no ids are given) to their exact number of visible posts.

    Returns how many tags had a different count. Writes keep counts exact incrementally; this is for
    moving posts between tags in bulk (merges) and for repairing counts (`flask --app forum tags recount`).
    """
    ids = None if tag_ids is None else sorted(set(tag_ids))
    if ids == []:
        return 0
    # One grouped pass over the links counts every tag at once; only the tags that are off get written.
    exact_stmt = (select(post_hashtags.c.hashtag_id, func.count())
                  .join(Post, Post.id == post_hashtags.c.post_id)
                  .where(public_posts(None)).group_by(post_hashtags.c.hashtag_id))
    stored_stmt = select(Hashtag.id, Hashtag.post_count)
    if ids is not None:
        exact_stmt = exact_stmt.where(post_hashtags.c.hashtag_id.in_(ids))
        stored_stmt = stored_stmt.where(Hashtag.id.in_(ids))
    exact = {tag_id: count for tag_id, count in db.session.execute(exact_stmt)}
    wrong = sorted(tag_id for tag_id, stored in db.session.execute(stored_stmt) if stored != exact.get(tag_id, 0))
    for tag_id in wrong:
        db.session.execute(update(Hashtag).where(Hashtag.id == tag_id).values(post_count=exact.get(tag_id, 0)),
                           execution_options={"synchronize_session": False})
    return len(wrong)


def find_hashtag(name: str) -> Hashtag | None:
    return db.session.scalars(select(Hashtag).where(Hashtag.key == hashtag_key(name))).first()


def known_hashtag(viewer: User | None, name: str) -> Hashtag | None:
    """The tag of this name, or the one moderators merged it into, if the viewer may know it exists
    (forum.services.visibility.known_tags); else None, as for a name nobody used."""
    tag = find_hashtag(name)
    if tag is not None and tag.merged_into_id is not None:
        tag = db.session.get(Hashtag, tag.merged_into_id) or tag
    return tag if tag is not None and knows_tag(viewer, tag) else None
