"""Deleting means gone: what a member deletes leaves no copy behind in the database.

A post's or reply's words are copied in a few places beside the row itself: earlier versions kept on
edit (revisions), the crisis detector's matched phrases (on the row and in its moderation reasons),
flag notes quoting it, and hashtags that only it used. A deleted row takes most of these with it
through ON DELETE CASCADE; a reply kept as a "[deleted]" placeholder (others answered it) must be
emptied here. A departing member's flag notes and their names (the present one and those given up lately) inside
moderation reasons go too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import (
    Flag,
    Hashtag,
    MemberNotice,
    ModerationAction,
    ModerationItem,
    ModerationReason,
    PastUsername,
    Post,
    Reply,
    Revision,
    User,
    post_hashtags,
    utcnow,
)
from forum.models.user import username_key

#: Stands in as the author of words a departed member left behind, or that others' replies still answer,
#: and for their name inside moderation reasons and the audit log.
FORMER_MEMBER = "former-member"


def empty_placeholder_reply(reply: Reply) -> None:
    """Strip a reply kept as "[deleted]" of every copy of its words; only its place in the thread remains."""
    reply.body = reply.body_html = ""
    reply.crisis_level, reply.crisis_categories, reply.crisis_matches = "none", [], []
    reply.content_warning = reply.moderation_note = ""
    db.session.execute(delete(Revision).where(Revision.reply_id == reply.id))
    db.session.execute(delete(Flag).where(Flag.reply_id == reply.id))
    # The item's reasons quote the words (matched phrases, flag notes); the audit log keeps its entries.
    db.session.execute(delete(ModerationItem).where(ModerationItem.reply_id == reply.id))
    forget_kept_copies(reply)
    db.session.flush()


def forget_kept_copies(content: Post | Reply) -> None:
    """Clear the author's words that rows outliving this content keep: called before the content goes.

    A second-review request speaks of the words: the notices stay with the member (they explain what
    moderators did) but lose their note, and their link to the content when it is deleted. A moderator's
    content warning logs the one it replaced, which on a post the author wrote: the log entry stays, the
    author's warning goes (undo is refused once the content is deleted, so nothing needs it).
    """
    is_post = isinstance(content, Post)
    column = MemberNotice.post_id if is_post else MemberNotice.reply_id
    db.session.execute(update(MemberNotice).where(column == content.id).values(review_note=""),
                       execution_options={"synchronize_session": False})
    logged_on = ModerationAction.post_id if is_post else ModerationAction.reply_id
    for record in db.session.scalars(select(ModerationAction).where(
            logged_on == content.id, ModerationAction.action == "content_warning")):
        before = (record.detail or {}).get("before") or {}
        if before.get("content_warning"):
            record.detail = {**record.detail, "before": {**before, "content_warning": ""}}


def forget_unused_hashtags(tag_ids: Iterable[int]) -> None:
    """Delete the given hashtags that no post carries any more, unless moderators merged something with them.

    A hashtag can say as much as a post ("#MyDadsName"): when the last post using it goes, so does the tag.
    """
    ids = set(tag_ids)
    if not ids:
        return
    # Only the tags no other request holds: a post being written with one has it locked (hashtags_named), and
    # waiting for it deadlocked with that post's count update. Locked here first, a tag is looked at again
    # below, in a statement that sees what was committed meanwhile.
    ids = set(db.session.scalars(select(Hashtag.id).where(Hashtag.id.in_(ids)).order_by(Hashtag.id)
                                 .with_for_update(skip_locked=True)))
    if not ids:
        return
    merged_here = aliased(Hashtag)
    db.session.execute(
        delete(Hashtag).where(
            Hashtag.id.in_(ids), Hashtag.merged_into_id.is_(None),
            ~exists().where(post_hashtags.c.hashtag_id == Hashtag.id),
            ~exists().where(merged_here.merged_into_id == Hashtag.id)),
        execution_options={"synchronize_session": False})
    db.session.flush()


def erase_member_from_moderation(member: User) -> None:
    """Remove a departing member's flag notes and name from what moderators keep.

    Their flags go with the account (ON DELETE CASCADE); the reasons those flags added to the queue copied
    the note and the name, and moderators' reasons in the audit log may name them.
    """
    their_flags = select(Flag.id, Flag.post_id, Flag.reply_id).where(Flag.user_id == member.id).subquery()
    flag_ids = set(db.session.scalars(select(their_flags.c.id)))
    flagged_items = select(ModerationItem.id).where(or_(
        ModerationItem.post_id.in_(select(their_flags.c.post_id)),
        ModerationItem.reply_id.in_(select(their_flags.c.reply_id))))
    # The names they gave up lately too, which moderators may have written while they were the member's: only
    # while still kept for them (forum.services.usernames), as an older one may be someone else's by now.
    names = [member.username, *db.session.scalars(select(PastUsername.username).where(
        PastUsername.member_id == member.id, PastUsername.kept_until > utcnow()))]
    keys = {username_key(name) for name in names}
    name = re.compile(rf"(?<![A-Za-z0-9_-])(?:{'|'.join(map(re.escape, names))})(?![A-Za-z0-9_-])", re.IGNORECASE)
    for reason in db.session.scalars(select(ModerationReason).where(ModerationReason.kind == "flag",
                                                                    ModerationReason.item_id.in_(flagged_items))):
        detail = dict(reason.detail or {})
        if detail.get("flag_id") in flag_ids or (detail.get("by") or "").casefold() in keys:
            detail.update(by=FORMER_MEMBER, note="")
            reason.detail = detail
    for record in db.session.scalars(select(ModerationAction).where(or_(*(ModerationAction.reason.ilike(
            f"%{_like_escaped(each)}%", escape="\\") for each in names)))):
        record.reason = name.sub(FORMER_MEMBER, record.reason)
    db.session.execute(update(Flag).where(Flag.user_id == member.id).values(note=""))
    db.session.flush()


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
