"""In-app notifications: replies, @mentions, hearts, new posts in followed tags, and moderators' messages.

Rules every kind keeps: nothing is created for content that isn't visible, for a kind the recipient turned
off, or between two members when either has blocked the other (sending.py); and the page shows nothing whose
content has since been hidden, held or removed, or whose sender has since been blocked (reading.py). Related
notifications share a group key, so the page shows one line for "Sam and 4 others sent hearts". Functions
flush; the view commits. Here: what both halves share, and the member's choice of kinds.
"""
from __future__ import annotations

from collections.abc import Iterable

from forum.models import NotificationKind, User

Kind = NotificationKind

#: Kinds a member may turn off. Moderators' messages always arrive: they say when something the member
#: wrote was hidden, held or removed, and how to ask for a second look.
OPTIONAL_KINDS = (Kind.REPLY, Kind.MENTION, Kind.HEART, Kind.TAG_POST)
#: A moderator's message's group key is this and the MemberNotice id.
NOTICE_KEY = "moderation:"


def wants(member: User, kind: Kind) -> bool:
    return kind not in OPTIONAL_KINDS or kind.value not in (member.muted_notifications or [])


def set_muted_kinds(member: User, muted: Iterable[Kind | str]) -> None:
    """Turn off these kinds (and on every other optional one); moderators' messages can't be turned off."""
    chosen = {Kind(kind) for kind in muted}
    # A new list, not an in-place change: the JSON column only notices assignment.
    member.muted_notifications = [kind.value for kind in OPTIONAL_KINDS if kind in chosen]
