"""The data Kindred keeps: members, posts and replies, hashtags, hearts."""
from forum.models.account import PastUsername, SignIn
from forum.models.base import utcnow
from forum.models.heart import Heart
from forum.models.moderation import (
    FLAG_REASON_LABELS,
    Flag,
    FlagReason,
    ItemStatus,
    MemberNotice,
    ModerationAction,
    ModerationItem,
    ModerationReason,
    Priority,
    ReasonKind,
    Revision,
    WatchedAction,
    WatchedWord,
)
from forum.models.post import Post, PostStatus, Reply
from forum.models.social import Block, Notification, NotificationKind, TagFollow
from forum.models.tag import Hashtag, HashtagSpelling, post_hashtags
from forum.models.token import AccessToken, TokenScope
from forum.models.user import Role, User
from forum.models.welfare import WelfareCheck, WelfareKind

__all__ = [
    "AccessToken", "TokenScope",
    "Block", "Notification", "NotificationKind", "TagFollow", "FLAG_REASON_LABELS", "Flag", "FlagReason",
    "MemberNotice", "ModerationAction", "Revision", "WatchedAction", "WatchedWord", "Hashtag", "Heart", "ItemStatus",
    "ModerationItem", "ModerationReason", "Priority", "ReasonKind", "Post", "PostStatus", "Reply", "Role", "User",
    "post_hashtags", "HashtagSpelling", "utcnow", "PastUsername", "SignIn", "WelfareCheck", "WelfareKind",
]
