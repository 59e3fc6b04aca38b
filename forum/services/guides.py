"""What the forum's own records add to a treatment guide: the community pages of its tags."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from forum.extensions import db
from forum.hashtags import hashtag_key
from forum.models import Hashtag
from forum.services.visibility import known_tags


def community_tags(names: Iterable[str]) -> dict[str, Hashtag]:
    """The hashtags among names that have a page here (a visible post carries them), by hashtag key.

    The same for every reader: a tag known only to some (visibility.known_tags) is left to its own page.
    """
    keys = {hashtag_key(name) for name in names}
    if not keys:
        return {}
    return {tag.key: tag for tag in db.session.scalars(select(Hashtag).where(Hashtag.key.in_(keys),
                                                                             known_tags(None)))}


def display_spellings(names: Iterable[str]) -> dict[str, str]:
    """Each name's spelling as the community writes it (the tag's display name), by hashtag key; a name no
    visible post uses, or whose tag was merged into another, keeps the spelling it was given."""
    names = list(names)
    community = {key: tag.name for key, tag in community_tags(names).items() if tag.merged_into_id is None}
    return {hashtag_key(name): community.get(hashtag_key(name), name) for name in names}
