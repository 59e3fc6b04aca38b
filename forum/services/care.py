"""Which help to put in front of a member, from what the crisis detector found, and who on a post's page
should see it: the author in distress, or worried readers."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from forum.crisis import Assessment, assess
from forum.crisis.hotlines import Hotline, hotlines_for
from forum.models import Post, Reply, User
from forum.services.visibility import viewer_id

#: How many lines lead the panel; a long list overwhelms someone in crisis, so the rest wait one tap away.
LEAD_LINES = {"crisis": 2, "concern": 1}
LEVEL_RANK = {"none": 0, "concern": 1, "crisis": 2}


@dataclass(frozen=True)
class Care:
    level: str
    categories: tuple[str, ...]
    lead: tuple[Hotline, ...]
    more: tuple[Hotline, ...]
    #: Only the learned model heard distress, in no phrase the lexicon knows: most such cards are on posts
    #: that are not distress ("My mum made soup and I ate way too much"), so the card offers help without
    #: saying it heard pain.
    tentative: bool = False

    @property
    def is_crisis(self) -> bool:
        return self.level == "crisis"


def strongest(findings: Iterable[tuple[str, Iterable[str]]]) -> tuple[str, tuple[str, ...]]:
    """Combine (level, categories) findings into the highest level and every category, in order."""
    level, categories = "none", []
    for found_level, found_categories in findings:
        if LEVEL_RANK.get(found_level, 0) > LEVEL_RANK[level]:
            level = found_level
        categories.extend(c for c in found_categories if c not in categories)
    return level, tuple(categories)


def care_for(level: str, categories: Iterable[str], country: str, tentative: bool = False) -> Care | None:
    """The hotlines for a crisis or concern, the best-fitting first; None when nothing was found.

    ``tentative``: only the model heard it (see Care.tentative); a crisis is never tentative.
    """
    if level not in LEAD_LINES:
        return None
    categories = tuple(categories)
    lines = hotlines_for(categories, country)
    lead = LEAD_LINES[level]
    return Care(level=level, categories=categories, lead=tuple(lines[:lead]), more=tuple(lines[lead:]),
                tentative=tentative and level == "concern")


def care_for_assessment(assessment: Assessment, country: str) -> Care | None:
    """The help for what the detector found in words not (yet) stored: a draft, or a form sent back."""
    return care_for(assessment.level.value, [c.value for c in assessment.categories], country,
                    tentative=not assessment.matches)


def care_for_unsent(texts: Iterable[str], country: str, *, reply: bool = False) -> Care | None:
    """Help for words a form refused and showed again (a post's title and body, or a reply's body).

    The words were never stored, so nothing is kept or queued for moderators; but their writer was already
    shown this help while typing, and a missing title must not take it away.
    """
    text = "\n\n".join(t or "" for t in texts).strip()  # as the composer's live check joins them
    return care_for_assessment(assess(text, reply=reply), country) if text else None


#: What care needs of a reply: author_id, crisis_level, crisis_categories, crisis_matches and deleted_at (a Reply
#: or a row of them, forum.services.threads.crisis_signals).
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
    member_id = viewer_id(viewer)  # once: `viewer` is often current_user, a proxy that looks itself up on every use
    if member_id is None:
        return None
    mine = [c for c in _everything(post, replies) if c.author_id == member_id and _is_live(c)]
    level, categories = strongest((c.crisis_level, c.crisis_categories) for c in mine)
    # Tentative when nothing of theirs here matched a phrase (posts, replies and signal rows all carry their
    # matches), so a page of replies, a long conversation and the API give the same card for the same words.
    tentative = all(not signals_distress(c) or not c.crisis_matches for c in mine)
    return care_for(level, categories, country, tentative)


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

    Not about the viewer's own words, and never for a viewer whose own words here signalled crisis, even when
    a replier's words of comfort also read as distress: advice on answering someone in crisis is no help to
    the person in it.
    """
    member_id = viewer_id(viewer)
    everything = list(_everything(post, replies))
    if member_id is not None and any(c.author_id == member_id and c.crisis_level == "crisis" and _is_live(c)
                                     for c in everything):
        return False
    return any(c.author_id != member_id and signals_distress(c) for c in everything)


def own_reply_in_distress(replies: Iterable[Reply], viewer: User | None) -> Reply | None:
    """The viewer's newest reply among these that signalled crisis or distress: where their help came from."""
    member_id = viewer_id(viewer)
    own = [r for r in replies if r.author_id == member_id and member_id is not None and signals_distress(r)]
    return max(own, key=lambda r: (r.created_at, r.id), default=None)
