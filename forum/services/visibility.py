"""The one answer to "what may this viewer see?", used by every list, page and API."""
from __future__ import annotations

from sqlalchemy import ColumnElement, String, and_, cast, exists, func, not_, or_, select, true

from forum.extensions import db
from forum.models import Hashtag, Post, PostStatus, Reply, TagFollow, User, post_hashtags
from forum.services.blocks import blocked_by, has_blocked
from forum.services.remembered import remembered


def viewer_id(viewer: User | None) -> int | None:
    """The signed-in member's id, or None for a visitor (Flask-Login's anonymous user) or no one."""
    return viewer.id if viewer is not None and viewer.is_authenticated else None


def is_moderator(viewer: User | None) -> bool:
    return viewer is not None and viewer.is_authenticated and viewer.is_moderator


def visible_posts(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for posts this viewer may see in lists: visible ones, plus their own, minus blocked members'.

    For a member this runs one small query first, for their own posts that aren't visible.
    """
    public = public_posts(viewer)
    member_id = viewer_id(viewer)
    own_ids = [] if member_id is None else _own_non_visible_post_ids(member_id)
    if not own_ids:
        # Visitors and most members: the plain equality, so feeds walk the indexes that lead with status in
        # order. "Visible OR theirs" would make both databases read and sort every post.
        return public
    # "Not (hidden from everyone else)", not the equivalent OR: SQLite answers an OR from two indexes and sorts
    # every visible post, while this gives it nothing to look up, so it walks ix_posts_last_activity in order
    # and stops after a page. PostgreSQL rewrites it as the OR and picks that index itself.
    hidden_from_others = and_(Post.status != PostStatus.VISIBLE.value, Post.id.not_in(own_ids))
    return and_(not_(hidden_from_others), _not_blocked(viewer))


def public_posts(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for the posts everyone may see, minus those of members the viewer blocked.

    Unlike visible_posts it asks the database nothing first, so a count can sit inside another statement
    (forum.services.nav_counts). public_posts(None) is the bare status rule, for counts that belong to no
    viewer (a tag's post count, a member's hearts).
    """
    visible = Post.status == PostStatus.VISIBLE.value
    return visible if viewer_id(viewer) is None else and_(visible, _not_blocked(viewer))


def _not_blocked(viewer: User) -> ColumnElement[bool]:
    return Post.author_id.not_in(blocked_by(viewer.id))


def _own_non_visible_post_ids(member_id: int) -> list[int]:
    """The viewer's pending, hidden or removed posts: few, and found through ix_posts_author_id.

    A page asks several times (its list, related tags, the nav); the answer is kept in the session until it
    next writes, commits or rolls back (_forget_own_ids), so a post the member just held or hid is never missed.
    """
    kept = remembered(_OWN_IDS)
    if member_id not in kept:
        kept[member_id] = list(db.session.scalars(select(Post.id).where(
            Post.author_id == member_id, Post.status != PostStatus.VISIBLE.value)))
    return kept[member_id]


_OWN_IDS = "kindred.own_non_visible_post_ids"


def own_hidden_post_ids_column():
    """A column for a query that loads the viewer (see forum.services.sign_ins): the ids of their own posts
    nobody else sees, joined by commas, so every list the member opens needn't ask for them again."""
    return (select(func.aggregate_strings(cast(Post.id, String), ","))
            .where(Post.author_id == User.id, Post.status != PostStatus.VISIBLE.value)
            .scalar_subquery())


def remember_own_hidden_post_ids(member: User, joined: str | None) -> None:
    """Keep what own_hidden_post_ids_column() found for _own_non_visible_post_ids (until the session writes)."""
    remembered(_OWN_IDS)[member.id] = [int(post_id) for post_id in joined.split(",")] if joined else []


def visible_replies(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for replies this viewer may see: visible ones, their own, all for moderators."""
    member_id = viewer_id(viewer)
    if member_id is None:
        return Reply.status == PostStatus.VISIBLE.value
    not_blocked = Reply.author_id.not_in(blocked_by(member_id))
    if is_moderator(viewer):
        return not_blocked
    return and_(or_(Reply.status == PostStatus.VISIBLE.value, Reply.author_id == member_id), not_blocked)


def public_reply_status() -> ColumnElement[bool]:
    """Where-clause for replies whose status lets everyone see them, deleted or not: a deleted reply kept for
    the replies under it still counts the hearts it was given (hearts_received)."""
    return Reply.status == PostStatus.VISIBLE.value


def public_replies(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for the replies everyone may see (visible, not deleted), minus those of members the viewer
    blocked: what an author may thank, whoever they are (visible_replies shows moderators hidden ones too)."""
    public = and_(public_reply_status(), Reply.deleted_at.is_(None))
    member_id = viewer_id(viewer)
    return public if member_id is None else and_(public, Reply.author_id.not_in(blocked_by(member_id)))


def shows_activity(viewer: User | None, member: User) -> bool:
    """Whether the viewer may see the member's posts, replies and followed tags on their profile: always,
    unless the member keeps their activity private; they and moderators still see it."""
    return not member.hide_activity or viewer_id(viewer) == member.id or is_moderator(viewer)


def known_tags(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for the hashtags this viewer may know exist, by name: those carrying a visible post
    (post_count counts exactly those), those on the viewer's own posts nobody else sees yet, and those they
    follow or muted (they met the tag to choose it, and must be able to undo it). Moderators know them all.

    A tag whose every post is hidden, held or removed is otherwise unknown, since its spelling alone can say
    who a removed post was about. The tag's own row answers for visitors; a member adds two index lookups.
    """
    if is_moderator(viewer):
        return true()
    public = Hashtag.post_count > 0
    member_id = viewer_id(viewer)
    if member_id is None:
        return public
    chosen = select(TagFollow.hashtag_id).where(TagFollow.user_id == member_id)
    clauses = [public, Hashtag.id.in_(chosen)]
    own_ids = _own_non_visible_post_ids(member_id)
    if own_ids:
        clauses.append(Hashtag.id.in_(select(post_hashtags.c.hashtag_id).where(post_hashtags.c.post_id.in_(own_ids))))
    return or_(*clauses)


def knows_tag(viewer: User | None, tag: Hashtag) -> bool:
    """Whether the viewer may know this tag exists (known_tags, for one tag already loaded).

    Asks the database nothing for a tag with visible posts, the tag pages' usual case.
    """
    if tag.post_count > 0 or is_moderator(viewer):
        return True
    if viewer_id(viewer) is None:
        return False
    return bool(db.session.scalar(select(exists().where(Hashtag.id == tag.id, known_tags(viewer)))))


def can_view_post(viewer: User | None, post: Post) -> bool:
    """Whether the viewer may open this post's page (moderators may open any; nobody sees whom they blocked)."""
    member_id = viewer_id(viewer)
    if member_id is not None and post.author_id != member_id and has_blocked(member_id, post.author_id):
        return False
    return post.is_visible or is_moderator(viewer) or post.author_id == member_id


def can_change(viewer: User | None, content: Post | Reply) -> bool:
    """Whether the viewer may edit or delete this post or reply: only its author."""
    return content.author_id == viewer_id(viewer)


def can_view_reply(viewer: User | None, reply: Reply) -> bool:
    """Whether the viewer may see this reply: its post must be visible to them too."""
    if not can_view_post(viewer, reply.post):
        return False
    return reply.is_visible or is_moderator(viewer) or reply.author_id == viewer_id(viewer)
