"""The audit log as moderators read it: every action, newest first, named in words, with what it was on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import ModerationAction, Post, Reply

#: What the log calls each action: what happened, as a moderator would say it, never the internal key.
LOG_NAMES = {
    "approve": "Approved", "hide": "Hidden", "remove": "Removed", "lock": "Replies locked",
    "unlock": "Replies reopened", "content_warning": "Content warning added", "message": "Supportive message sent",
    "warn": "Author warned", "suspend": "Author suspended", "claim": "Claimed", "release": "Released",
    "undo": "Undone", "auto_hide": "Hidden automatically after several flags",
    "watched_word_add": "Watched word added", "watched_word_delete": "Watched word removed",
    "tag_merge": "Hashtags merged", "tag_rename": "Hashtag renamed",
    "judged_in_danger": "Judged: the writer was in danger", "judged_not_in_danger": "Judged: not in danger",
    "welfare_check_done": "Welfare check done (their crisis words were deleted)",
}
PAGE_SIZE = 50


def log_name(action: str) -> str:
    return LOG_NAMES.get(action, action.replace("_", " ").capitalize())


@dataclass(frozen=True)
class LogFilter:
    moderator_id: int | None = None
    member_id: int | None = None
    action: str = ""
    #: First and last day included (UTC midnights); the day after `until` must exist.
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None


@dataclass(frozen=True)
class Subject:
    """What an action was on, in words a moderator recognises."""

    post_id: int
    title: str
    is_reply: bool


def log_page(wanted: LogFilter, size: int = PAGE_SIZE) -> tuple[list[ModerationAction], bool]:
    """One page of the log, newest first, and whether older entries follow."""
    stmt = select(ModerationAction).options(selectinload(ModerationAction.moderator),
                                            selectinload(ModerationAction.member))
    if wanted.moderator_id is not None:
        stmt = stmt.where(ModerationAction.moderator_id == wanted.moderator_id)
    if wanted.member_id is not None:
        stmt = stmt.where(ModerationAction.member_id == wanted.member_id)
    if wanted.action:
        stmt = stmt.where(ModerationAction.action == wanted.action)
    if wanted.since is not None:
        stmt = stmt.where(ModerationAction.created_at >= wanted.since)
    if wanted.until is not None:
        stmt = stmt.where(ModerationAction.created_at < wanted.until + timedelta(days=1))
    if wanted.before_id:
        stmt = stmt.where(ModerationAction.id < wanted.before_id)
    entries = list(db.session.scalars(stmt.order_by(ModerationAction.id.desc()).limit(size + 1)))
    return entries[:size], len(entries) > size


def subjects_of(entries: list[ModerationAction]) -> dict[int, Subject]:
    """What each entry was on, by entry id: two queries for the whole page, whatever its length."""
    post_ids = {entry.post_id for entry in entries if entry.post_id}
    reply_ids = {entry.reply_id for entry in entries if entry.reply_id}
    reply_posts = dict(db.session.execute(select(Reply.id, Reply.post_id).where(Reply.id.in_(reply_ids))).all())
    wanted = post_ids | set(reply_posts.values())
    titles = dict(db.session.execute(select(Post.id, Post.title).where(Post.id.in_(wanted))).all()) if wanted else {}
    found: dict[int, Subject] = {}
    for entry in entries:
        if entry.reply_id in reply_posts:
            post_id = reply_posts[entry.reply_id]
            found[entry.id] = Subject(post_id, titles[post_id], is_reply=True)
        elif entry.post_id in titles:
            found[entry.id] = Subject(entry.post_id, titles[entry.post_id], is_reply=False)
    return found
