"""Messages from moderators to a member, and the member's one request for a second review."""
from __future__ import annotations

from sqlalchemy import Select, func, select, update

from forum.extensions import db
from forum.models import MemberNotice, Post, Priority, ReasonKind, Reply, User, utcnow
from forum.services import DomainError
from forum.services.moderation.queue import add_reason
from forum.typed_text import normalise_newlines

#: Notices about content a member may ask a second moderator to look at again.
REVIEWABLE = {"hidden", "removed"}


def notices_for(member: User, limit: int = 100) -> list[MemberNotice]:
    return list(db.session.scalars(select(MemberNotice).where(MemberNotice.member_id == member.id)
                                   .order_by(MemberNotice.id.desc()).limit(limit)))


def unread_notices_for(member: User, limit: int = 20) -> list[MemberNotice]:
    """The moderators' messages the member hasn't opened yet, newest first."""
    return list(db.session.scalars(select(MemberNotice).where(MemberNotice.member_id == member.id,
                                                              MemberNotice.read_at.is_(None))
                                   .order_by(MemberNotice.id.desc()).limit(limit)))


def unread_count(member: User) -> int:
    return db.session.scalar(unread_count_query(member))


def unread_count_query(member: User) -> Select:
    return select(func.count()).select_from(MemberNotice).where(MemberNotice.member_id == member.id,
                                                                MemberNotice.read_at.is_(None))


def mark_all_read(member: User) -> None:
    db.session.execute(update(MemberNotice).where(MemberNotice.member_id == member.id,
                                                  MemberNotice.read_at.is_(None)).values(read_at=utcnow()))


def request_second_review(member: User, notice: MemberNotice, note: str) -> None:
    """Ask the moderators to look again at hidden or removed content; once per notice."""
    if notice.member_id != member.id or notice.kind not in REVIEWABLE:
        raise DomainError("This message can't be sent for a second review.")
    if notice.review_requested_at is not None:
        raise DomainError("You've already asked for a second review of this; a moderator will look at it.")
    content = db.session.get(Post, notice.post_id) if notice.post_id else db.session.get(Reply, notice.reply_id)
    if content is None:
        raise DomainError("That post or reply no longer exists.")
    notice.review_requested_at = utcnow()
    notice.review_note = normalise_newlines(note).strip()[:1000]  # the page's maxlength counts a line break once
    add_reason(content, ReasonKind.REVIEW_REQUEST.value, {"note": notice.review_note, "by": member.username,
                                                          "notice_id": notice.id}, Priority.ROUTINE)
