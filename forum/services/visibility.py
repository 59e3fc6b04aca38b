"""The one answer to "what may this viewer see?", used by every list, page and API."""
from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from forum.models import Post, PostStatus, Reply, User


def _viewer_id(viewer: User | None) -> int | None:
    return viewer.id if viewer is not None and viewer.is_authenticated else None


def is_moderator(viewer: User | None) -> bool:
    return viewer is not None and viewer.is_authenticated and viewer.is_moderator


def visible_posts(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for posts this viewer may see in lists: visible ones, plus their own."""
    viewer_id = _viewer_id(viewer)
    own = Post.author_id == viewer_id if viewer_id is not None else false()
    return or_(Post.status == PostStatus.VISIBLE.value, own)


def visible_replies(viewer: User | None) -> ColumnElement[bool]:
    """Where-clause for replies this viewer may see: visible ones, their own, all for moderators."""
    if is_moderator(viewer):
        return true()
    viewer_id = _viewer_id(viewer)
    own = Reply.author_id == viewer_id if viewer_id is not None else false()
    return or_(Reply.status == PostStatus.VISIBLE.value, own)


def can_view_post(viewer: User | None, post: Post) -> bool:
    """Whether the viewer may open this post's page (moderators may open any)."""
    return post.is_visible or is_moderator(viewer) or post.author_id == _viewer_id(viewer)


def can_change(viewer: User | None, content: Post | Reply) -> bool:
    """Whether the viewer may edit or delete this post or reply: only its author."""
    return content.author_id == _viewer_id(viewer)


def can_view_reply(viewer: User | None, reply: Reply) -> bool:
    """Whether the viewer may see this reply: its post must be visible to them too."""
    if not can_view_post(viewer, reply.post):
        return False
    return reply.is_visible or is_moderator(viewer) or reply.author_id == _viewer_id(viewer)
