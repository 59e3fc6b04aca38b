"""Flagging posts and replies for the moderators."""
from forum.flags.views import bp

__all__ = ["bp"]
