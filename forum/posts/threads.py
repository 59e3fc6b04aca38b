"""Arrange a post's replies into one-level threads for the page."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Reply, User
from forum.services.visibility import visible_replies


@dataclass
class Thread:
    reply: Reply
    answers: list[Reply] = field(default_factory=list)


def threads_for(post: Post, viewer: User | None) -> list[Thread]:
    """The post's replies the viewer may see, answers grouped under the reply they answer."""
    replies = db.session.scalars(
        select(Reply).where(Reply.post_id == post.id, visible_replies(viewer))
        .order_by(Reply.created_at, Reply.id)
    ).all()
    threads: dict[int, Thread] = {}
    orphans: list[Thread] = []
    for reply in replies:
        if reply.parent_id is None:
            threads[reply.id] = Thread(reply)
        elif reply.parent_id in threads:
            threads[reply.parent_id].answers.append(reply)
        else:  # its parent is hidden from this viewer: show it on its own rather than lose it
            orphans.append(Thread(reply))
    return sorted([*threads.values(), *orphans], key=lambda t: (t.reply.created_at, t.reply.id))
