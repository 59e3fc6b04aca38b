"""The moderators' area: /moderation."""
