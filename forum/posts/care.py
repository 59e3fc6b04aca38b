"""Who on a post's page should see help, and which: the author in distress, or worried readers."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from forum.help.care import Care, care_for, strongest
from forum.models import Post, Reply, User
from forum.services.visibility import viewer_id

#: What care needs of a reply: author_id, crisis_level, crisis_categories and deleted_at (a Reply or a row of them).
Signal = Any
#: The levels at which an author is shown help and others are asked to reply gently.
DISTRESS_LEVELS = ("crisis", "concern")


def _everything(post: Post, replies: Iterable[Signal]) -> Iterator[Post | Signal]:
    yield post
    yield from replies


def _is_live(content: Post | Signal) -> bool:
    return getattr(content, "deleted_at", None) is None


def signals_distress(content: Post | Signal) -> bool:
    """Whether these live words signalled crisis or distress, so their author is shown help."""
    return content.crisis_level in DISTRESS_LEVELS and _is_live(content)


def care_for_author(post: Post, replies: Iterable[Signal], viewer: User | None, country: str) -> Care | None:
    """Help for the viewer if their own post or replies here signalled crisis or distress."""
    if viewer is None or not viewer.is_authenticated:
        return None
    findings = [(c.crisis_level, c.crisis_categories) for c in _everything(post, replies)
                if c.author_id == viewer.id and _is_live(c)]
    return care_for(*strongest(findings), country)


def someone_else_in_crisis(post: Post, replies: Iterable[Signal], viewer: User | None) -> bool:
    """Whether a signed-in reader should get the care note: another member's words here signalled crisis.

    Never for visitors who aren't signed in: what the detector thought of someone's words is about their
    health, and a page anyone can fetch must not carry it. The note itself never says a detector fired.
    """
    if viewer is None or not viewer.is_authenticated:
        return False
    member_id = viewer_id(viewer)
    return any(c.crisis_level == "crisis" and c.author_id != member_id and _is_live(c)
               for c in _everything(post, replies))


def replies_need_gentleness(post: Post, replies: Iterable[Signal], viewer: User | None) -> bool:
    """Whether someone else here signalled crisis or distress, so the viewer sees guidance beside the box.

    Not the viewer's own words: advice on answering someone in crisis is no help to the person in it.
    """
    member_id = viewer_id(viewer)
    return any(c.author_id != member_id and signals_distress(c) for c in _everything(post, replies))


def own_reply_in_distress(replies: Iterable[Reply], viewer: User | None) -> Reply | None:
    """The viewer's newest reply among these that signalled crisis or distress: where their help came from."""
    member_id = viewer_id(viewer)
    own = [r for r in replies if r.author_id == member_id and member_id is not None and signals_distress(r)]
    return max(own, key=lambda r: (r.created_at, r.id), default=None)
