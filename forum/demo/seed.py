"""Load the demo community (content.toml) through the same services members use."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Notification, Post, Reply, Role, User, utcnow
from forum.services.accounts import find_member, register_member
from forum.services.hearts import set_heart
from forum.services.posts import create_post
from forum.services.replies import add_reply, recount_post

CONTENT = Path(__file__).with_name("content.toml")
#: Every demo member signs in with this; the demo is for trying the forum, not for real accounts.
DEMO_PASSWORD = "kindred-demo"


@dataclass
class SeedReport:
    members_created: int = 0
    posts_created: int = 0
    replies_created: int = 0
    hearts_given: int = 0
    members: list[tuple[str, str]] | None = None


def seed_demo(now: datetime | None = None, content_path: Path = CONTENT) -> SeedReport:
    """Create the demo members, posts, replies and hearts that don't exist yet; flush, don't commit."""
    content = tomllib.loads(content_path.read_text(encoding="utf-8"))
    now = now or utcnow()
    report = SeedReport(members=[])
    members = {}
    for entry in content["members"]:
        member = find_member(entry["username"])
        if member is None:
            member = register_member(entry["username"], DEMO_PASSWORD, Role(entry.get("role", "member")))
            member.joined_at = now - timedelta(days=entry.get("joined_days_ago", 30))
            member.bio = entry.get("bio", "")
            report.members_created += 1
        members[entry["username"]] = member
        report.members.append((member.username, member.role))
    db.session.flush()
    last_notification_before = db.session.scalar(select(func.max(Notification.id))) or 0
    for entry in content["posts"]:
        author = members[entry["author"]]
        exists = db.session.scalar(select(Post.id).where(Post.author_id == author.id,
                                                         Post.title == entry["title"].strip()))
        if exists is None:
            _seed_post(entry, author, members, now, report)
    db.session.flush()
    _backdate_notifications(last_notification_before, now)
    return report


#: Demo notifications older than this are already read, as they would be for a member who visits now and then.
DEMO_UNREAD_DAYS = 3


def _backdate_notifications(after_id: int, now: datetime) -> None:
    """Give the notifications the demo's own activity raised the time of what they announce.

    The services stamp them with the moment of seeding, so a fresh install would greet every demo member
    with dozens of unread lines all "just now"; this makes the demo read like a living community instead.
    """
    for notification in db.session.scalars(select(Notification).where(Notification.id > after_id)):
        source = db.session.get(Reply, notification.reply_id) if notification.reply_id else None
        source = source or (db.session.get(Post, notification.post_id) if notification.post_id else None)
        if source is None:
            continue
        notification.created_at = source.created_at
        if now - source.created_at > timedelta(days=DEMO_UNREAD_DAYS):
            notification.read_at = source.created_at


def _seed_post(entry: dict, author: User, members: dict, now: datetime, report: SeedReport) -> None:
    posted_at = now - timedelta(days=entry["days_ago"])
    post = create_post(author, entry["title"], entry["body"], entry.get("tags", ""))
    post.created_at = post.last_activity_at = posted_at
    report.posts_created += 1
    report.hearts_given += _give_hearts(post, entry.get("hearts", []), members)
    replies_by_key = {}
    for reply_entry in entry.get("replies", []):
        parent = replies_by_key.get(reply_entry.get("reply_to"))
        reply = add_reply(members[reply_entry["author"]], post, reply_entry["body"], parent)
        reply.created_at = posted_at + timedelta(hours=reply_entry["hours_after"])
        if "key" in reply_entry:
            replies_by_key[reply_entry["key"]] = reply
        report.replies_created += 1
        report.hearts_given += _give_hearts(reply, reply_entry.get("hearts", []), members)
    db.session.flush()
    recount_post(post)  # activity and first-response times follow the back-dated replies


def _give_hearts(target, usernames: list[str], members: dict) -> int:
    return sum(set_heart(members[name], target, True) for name in usernames)
