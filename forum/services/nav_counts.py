"""The counts every page's navigation shows, asked of the database in one statement.

Each count was its own query (needs a reply, unread notifications, unread messages, and for moderators the
open queue), so a signed-in page paid three or four round trips for its badges before its own content.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from forum.extensions import db
from forum.models import User
from forum.services import feeds, notices
from forum.services.moderation.queue import open_counts_query
from forum.services.notifications.reading import unread_count_query
from forum.services.visibility import is_moderator, viewer_id


@dataclass(frozen=True)
class NavCounts:
    needs_reply: int = 0
    unread_notifications: int = 0
    unread_notices: int = 0
    open_items: int = 0
    crisis_items: int = 0


def nav_counts(viewer: User | None) -> NavCounts:
    """What this viewer's navigation shows: visitors see the needs-a-reply badge only, moderators the queue too."""
    columns = {"needs_reply": feeds.needs_reply_count_query(viewer).scalar_subquery()}
    if viewer_id(viewer) is not None:
        columns["unread_notifications"] = unread_count_query(viewer).scalar_subquery()
        columns["unread_notices"] = notices.unread_count_query(viewer).scalar_subquery()
    if is_moderator(viewer):
        queue = open_counts_query().subquery()
        total, crisis = queue.c
        columns["open_items"] = select(total).scalar_subquery()
        columns["crisis_items"] = select(crisis).scalar_subquery()
    row = db.session.execute(select(*(column.label(name) for name, column in columns.items()))).one()
    return NavCounts(**{name: int(value or 0) for name, value in row._mapping.items()})
