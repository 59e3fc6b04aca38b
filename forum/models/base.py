"""Small pieces every model shares."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

#: Every table with a numeric id ends its `__table_args__` with this. Without AUTOINCREMENT, SQLite hands the
#: highest id out again once its row is deleted: a deleted member's id went to the next member to register (and
#: with it their old sign-ins), a deleted post's to the next post (and with it old links and notifications).
#: PostgreSQL's sequences never reuse an id, and it ignores this option.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite has no time zones and hands back naive datetimes; without this, comparing a loaded
    value with `utcnow()` would fail on SQLite and pass on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use forum.models.utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value
