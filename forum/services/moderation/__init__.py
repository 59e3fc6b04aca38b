"""Moderation: the queue of items needing a moderator, the actions on them, and their audit trail."""
