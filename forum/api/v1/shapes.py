"""What the API answers: posts, replies, tags, members, notifications and help, as plain JSON-ready dicts.

Each shape here has its schema in forum.api.v1.openapi; a test holds every response to it.
"""
from __future__ import annotations

from datetime import datetime

from flask import render_template, url_for

from forum.crisis.hotlines import Hotline
from forum.models import Hashtag, Post, Reply, User
from forum.pagination import Page
from forum.services.care import Care
from forum.services.notifications.reading import NotificationLine
from forum.services.threads import ThreadPage


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def author(member: User) -> dict:
    return {"username": member.username, "url": url_for("people.profile", username=member.username)}


def post_summary(post: Post) -> dict:
    """A post as lists show it: its opening words, not its whole body."""
    return {
        "id": post.id, "title": post.title, "excerpt": post.excerpt, "author": author(post.author),
        "tags": [tag.name for tag in post.hashtags], "status": post.status,
        "content_warning": post.content_warning or None,
        "created_at": when(post.created_at), "edited_at": when(post.edited_at),
        "last_activity_at": when(post.last_activity_at), "reply_count": post.reply_count,
        "heart_count": post.heart_count, "awaiting_first_reply": post.first_response_at is None,
        "replies_locked": post.replies_locked, "url": url_for("posts.show", post_id=post.id),
    }


def post_in_full(post: Post, hearted: bool | None) -> dict:
    """A post with its words, as Markdown and as the sanitised HTML the site shows."""
    return {**post_summary(post), "body": post.body, "body_html": post.body_html, "hearted": hearted}


def reply(reply_: Reply, hearted_ids: set[int] | None) -> dict:
    """A reply; one its author deleted after others answered it keeps its place without its words."""
    return {
        "id": reply_.id, "post_id": reply_.post_id, "parent_id": reply_.parent_id,
        "author": None if reply_.is_deleted else author(reply_.author),
        "body": reply_.body, "body_html": reply_.body_html, "status": reply_.status,
        "deleted": reply_.is_deleted, "created_at": when(reply_.created_at), "edited_at": when(reply_.edited_at),
        "heart_count": reply_.heart_count,
        "hearted": None if hearted_ids is None else reply_.id in hearted_ids,
        "url": url_for("posts.reply_link", post_id=reply_.post_id, reply_id=reply_.id),
    }


def threads(page: ThreadPage, hearted_ids: set[int] | None) -> list[dict]:
    return [{**reply(thread.reply, hearted_ids), "answers": [reply(answer, hearted_ids) for answer in thread.answers]}
            for thread in page.threads]


def post_list(page: Page[Post]) -> dict:
    return {"posts": [post_summary(post) for post in page.items], "next_cursor": page.next_cursor}


def tag(hashtag: Hashtag) -> dict:
    return {"name": hashtag.name, "post_count": hashtag.post_count,
            "url": url_for("tags.show", name=hashtag.name)}


def hotline(line: Hotline) -> dict:
    return {"name": line.name, "country": line.country, "phone": line.phone or None, "sms": line.sms or None,
            "chat_url": line.chat_url or None, "url": line.url or None, "hours": line.hours,
            "languages": list(line.languages)}


def care(found: Care | None) -> dict | None:
    """The help the site shows an author whose words signalled crisis or distress: the lines that fit, the
    site's own card as HTML (what the page shows), and the help page one link away."""
    if found is None:
        return None
    return {"level": found.level, "categories": list(found.categories), "tentative": found.tentative,
            "lines": [hotline(line) for line in found.lead], "more_lines": [hotline(line) for line in found.more],
            "card_html": render_template("_partials/care_panel.html", care=found, care_context="published",
                                         help_anchor="help-for-you"),
            "help_url": url_for("help.index")}


def notification(line: NotificationLine) -> dict:
    return {"id": line.newest_id, "kind": line.kind, "text": line.text, "unread": line.unread,
            "count": line.count, "from": list(line.names), "created_at": when(line.created_at),
            "post_id": line.post_id, "reply_id": line.reply_id}


def member(found: User, *, activity_shown: bool, hearts_received: int, followed_tags: list[str]) -> dict:
    return {"username": found.username, "pronouns": found.pronouns or None, "bio": found.bio or None,
            "joined_at": when(found.joined_at), "hearts_received": hearts_received,
            "activity_shown": activity_shown, "followed_tags": followed_tags,
            "url": url_for("people.profile", username=found.username)}
