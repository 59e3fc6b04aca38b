"""In-app notifications (filled in by the notifications work): replies, mentions, hearts, followed tags, moderation."""
from __future__ import annotations

from forum.models import MemberNotice, Post, Reply, User


def notify_reply(reply: Reply) -> None:
    """Tell the post's author, and the author of the reply answered, about a new reply."""


def notify_mentions(content: Post | Reply) -> None:
    """Tell each @mentioned member about a post or reply that names them."""


def notify_heart(member: User, target: Post | Reply) -> None:
    """Tell an author someone sent a heart."""


def notify_tag_followers(post: Post) -> None:
    """Tell members following the post's tags about a new post."""


def notify_moderation(notice: MemberNotice) -> None:
    """Tell a member the moderators acted on their content or wrote to them."""


def unread_count(member: User) -> int:
    return 0
