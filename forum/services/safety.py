"""Crisis detection in the forum: assess what members write and make sure a moderator sees danger.

The author is never blocked or silently hidden: the post goes up, the author is shown help at once
(see forum.services.care), and a moderation item is opened so a person looks at it first.
"""
from __future__ import annotations

from sqlalchemy import select

from forum.crisis import Assessment, Level, assess
from forum.extensions import db
from forum.models import ItemStatus, ModerationItem, Post, Priority, ReasonKind, Reply
from forum.services.moderation.queue import add_reason

PRIORITY_FOR_LEVEL = {Level.CRISIS: Priority.CRISIS, Level.CONCERN: Priority.CONCERN}
REASON_FOR_LEVEL = {Level.CRISIS: ReasonKind.CRISIS, Level.CONCERN: ReasonKind.CONCERN}


def assessed_text(content: Post | Reply) -> str:
    """The text the detector reads: a post's title and body (spans count from the title), or a reply's body."""
    return f"{content.title}\n\n{content.body}" if isinstance(content, Post) else content.body


def assess_and_escalate(content: Post | Reply) -> Assessment:
    """Assess freshly written content, store what was found, and queue it for moderators if needed.

    On an edit, a moderator is only asked to look again when the danger is new: a higher level, or
    phrases that were not there before.
    """
    previous_rank = Level(content.crisis_level or "none").rank if content.id else 0
    previous_phrases = {m["phrase"].casefold() for m in (content.crisis_matches or [])}
    assessment = assess(assessed_text(content), reply=isinstance(content, Reply))
    found = assessment.to_dict()
    content.crisis_level = assessment.level.value
    content.crisis_categories = found["categories"]
    content.crisis_matches = found["matches"]
    new_phrases = {m["phrase"].casefold() for m in found["matches"]} - previous_phrases
    if reaches_moderators(assessment) and (assessment.level.rank > previous_rank or new_phrases):
        db.session.flush()  # the content needs its id before an item can point at it
        queue_for_moderators(content, assessment)
    return assessment


def reaches_moderators(assessment: Assessment) -> bool:
    """Whether a moderator should look: every crisis, whatever the lexicon found, and a post the model
    alone would have alarmed on had it been in the writer's own voice (someone else may be in danger).

    A help card the model alone asked for stays private: at the recall it is tuned for it fires on many
    ordinary posts of a mental-health forum, and a queue full of them would hide the posts in danger.
    """
    return (assessment.level is Level.CRISIS or assessment.lexicon_level is not Level.NONE
            or assessment.about_others)


def queue_for_moderators(content: Post | Reply, assessment: Assessment) -> ModerationItem:
    """Add the detector's finding to the content's moderation item, opening (or reopening) it."""
    return add_reason(content, REASON_FOR_LEVEL[assessment.level].value, assessment.to_dict(),
                      PRIORITY_FOR_LEVEL[assessment.level])


def open_item_ids() -> set[int]:
    return set(db.session.scalars(select(ModerationItem.id).where(ModerationItem.status == ItemStatus.OPEN.value)))


def content_to_rescan(model: type[Post] | type[Reply], since=None):
    """Ids of the posts or replies written (or edited) since a moment, oldest first."""
    stmt = select(model.id).order_by(model.id)
    if since is not None:
        stmt = stmt.where((model.created_at >= since) | (model.edited_at >= since))
    if model is Reply:
        stmt = stmt.where(Reply.deleted_at.is_(None))
    return list(db.session.scalars(stmt))
