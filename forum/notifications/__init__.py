"""Notifications: what happened to the words a member shared, and their settings."""
from forum.notifications.views import bp

__all__ = ["bp"]
