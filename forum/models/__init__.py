"""The data Kindred keeps: members, posts and replies, hashtags, hearts."""
from forum.models.heart import Heart
from forum.models.moderation import ItemStatus, ModerationItem, ModerationReason, Priority, ReasonKind
from forum.models.post import Post, PostStatus, Reply
from forum.models.tag import Hashtag, post_hashtags
from forum.models.user import Role, User
from forum.models.base import utcnow

__all__ = ["Hashtag", "Heart", "ItemStatus", "ModerationItem", "ModerationReason", "Priority", "ReasonKind", "Post", "PostStatus", "Reply", "Role", "User", "post_hashtags", "utcnow"]
