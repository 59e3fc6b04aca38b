"""Moderators' publishing rules: watched words and the new-member hold (filled in by the moderation work)."""
from __future__ import annotations

from forum.models import Post, Reply, User


def refuse_blocked_words(*texts: str) -> None:
    """Raise DomainError naming what to change if the text holds a watched word set to block."""


def apply_watched_words(content: Post | Reply, author: User) -> None:
    """Apply require-approval, flag and content-warning words, and the new-member hold, to new content."""
