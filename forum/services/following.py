"""Following and muting hashtags (filled in by the following work)."""
from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Hashtag, TagFollow, User


def followed_tags(member: User) -> list[Hashtag]:
    return list(db.session.scalars(select(Hashtag).join(TagFollow, TagFollow.hashtag_id == Hashtag.id)
                                   .where(TagFollow.user_id == member.id, TagFollow.mode == "follow")
                                   .order_by(Hashtag.name)))
