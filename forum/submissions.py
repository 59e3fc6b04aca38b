"""A form submitted twice makes one post or reply: the form's key finds what its first submit made.

The database decides (a unique index on author and key), so two submits racing each other make one row too.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import flash, redirect, session
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Post, Reply

Content = TypeVar("Content", Post, Reply)
Answer = TypeVar("Answer")

#: Where the landing page learns which submit went through, so the browser can let go of that draft.
SUBMITTED = "submitted"


@dataclass
class Landing:
    """Where a member goes after writing, and what they are told there."""

    url: str
    flashes: list[tuple[str, str]] = field(default_factory=list)


def earlier_submit(model: type[Content], author_id: int, key: str | None) -> Content | None:
    if key is None:
        return None
    return db.session.scalar(select(model).where(model.author_id == author_id, model.submission_key == key))


def create_once(model: type[Content], author_id: int, key: str | None, create: Callable[[str | None], Content],
                landing: Callable[[Content], Landing]):
    """Create content with `create` and commit it, once per form; a resubmit lands where the first one did.

    DomainError from `create` propagates, with the session as `create` left it.
    """
    landed, _ = save_once(model, author_id, key, create, landing)
    return _answer(landed, key)


def save_once(model: type[Content], author_id: int, key: str | None, create: Callable[[str | None], Content],
              answer: Callable[[Content], Answer]) -> tuple[Answer, bool]:
    """Create content with `create` and commit it, once per key; return `answer(content)` and whether this
    call made it (False: an earlier submit with the same key had, and the answer is about that one).

    The answer is worked out before the commit: nothing after it touches the database, so a member whose
    words are saved is never answered with an error (and never tempted to send them again).
    DomainError from `create` propagates, with the session as `create` left it.
    """
    earlier = earlier_submit(model, author_id, key)
    if earlier is not None:
        return answer(earlier), False
    try:
        # The key goes in with the row (set afterwards, it was an UPDATE of its own), so a submit with the same
        # key that got here first shows up at any flush inside `create`, at the one below, or at the commit.
        content = create(key)
        db.session.flush()
        answered = answer(content)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = earlier_submit(model, author_id, key)
        if earlier is None:
            raise
        return answer(earlier), False
    return answered, True


def _answer(landed: Landing, key: str | None):
    for message, category in landed.flashes:
        flash(message, category)
    if key is not None:
        session[SUBMITTED] = key
    return redirect(landed.url)
