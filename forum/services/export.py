"""A member's copy of what Kindred keeps about them: everything they wrote or chose, and nothing anyone else wrote.

The file is JSON, `"format": "kindred-export-1"`; sections only ever gain keys, so a reader of an older file
keeps working. Times are ISO 8601 in UTC; ids are the site's own (a post's address is /posts/<id>). Secrets
never appear: no password, recovery code, sign-in token or access token, nor their hashes.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    AccessToken,
    Block,
    Flag,
    Hashtag,
    Heart,
    MemberNotice,
    Notification,
    PastUsername,
    Post,
    Reply,
    Revision,
    SignIn,
    TagFollow,
    User,
    WelfareCheck,
    utcnow,
)

FORMAT = "kindred-export-1"


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_member(member: User) -> dict:
    """Everything the member wrote or chose here, and nothing anyone else wrote."""
    posts = db.session.scalars(select(Post).where(Post.author_id == member.id).order_by(Post.id)).all()
    replies = db.session.scalars(select(Reply).where(Reply.author_id == member.id, Reply.deleted_at.is_(None))
                                 .order_by(Reply.id)).all()
    versions = _earlier_versions(posts, replies)
    return {
        "format": FORMAT,
        "exported_at": when(utcnow()),
        "member": _account(member),
        "posts": [{"id": p.id, "title": p.title, "body": p.body, "created_at": when(p.created_at),
                   "edited_at": when(p.edited_at), "status": p.status, "content_warning": p.content_warning,
                   "moderation_note": p.moderation_note, "hashtags": [t.name for t in p.hashtags],
                   "earlier_versions": versions.get(("post", p.id), [])} for p in posts],
        "replies": [{"id": r.id, "post_id": r.post_id, "answers_reply_id": r.parent_id, "body": r.body,
                     "created_at": when(r.created_at), "edited_at": when(r.edited_at), "status": r.status,
                     "moderation_note": r.moderation_note, "earlier_versions": versions.get(("reply", r.id), [])}
                    for r in replies],
        "hearts_given": [{"post_id": h.post_id, "reply_id": h.reply_id, "at": when(h.created_at)}
                         for h in _mine(Heart, Heart.user_id, member, Heart.id)],
        "tags": [{"hashtag": f.hashtag.name, "mode": f.mode, "since": when(f.created_at)}
                 for f in _mine(TagFollow, TagFollow.user_id, member, TagFollow.created_at)],
        "blocked_members": [b.blocked.username for b in _mine(Block, Block.blocker_id, member, Block.created_at)],
        "flags_made": [{"post_id": f.post_id, "reply_id": f.reply_id, "reason": f.reason, "note": f.note,
                        "at": when(f.created_at)} for f in _mine(Flag, Flag.user_id, member, Flag.id)],
        "messages_from_moderators": [
            {"kind": n.kind, "body": n.body, "at": when(n.created_at), "post_id": n.post_id, "reply_id": n.reply_id,
             "read_at": when(n.read_at), "review_requested_at": when(n.review_requested_at),
             "your_review_request": n.review_note}
            for n in _mine(MemberNotice, MemberNotice.member_id, member, MemberNotice.id)],
        "notifications": _notifications(member),
        "sign_ins": [{"started_at": when(s.created_at), "expires_at": when(s.expires_at)}
                     for s in _mine(SignIn, SignIn.member_id, member, SignIn.id)],
        "access_tokens": [{"name": t.name, "hint": t.hint, "scope": t.scope, "created_at": when(t.created_at),
                           "last_used_at": when(t.last_used_at), "revoked_at": when(t.revoked_at)}
                          for t in _mine(AccessToken, AccessToken.user_id, member, AccessToken.id)],
        # Kept about them, not written by them, but theirs to know of: they deleted those words believing them gone.
        "welfare_checks": [{"about": c.kind, "crisis_categories": c.categories, "crisis_raised_at": when(c.raised_at),
                            "words_deleted_at": when(c.deleted_at), "moderators_checked_in_at": when(c.done_at)}
                           for c in _mine(WelfareCheck, WelfareCheck.member_id, member, WelfareCheck.id)],
    }


def _account(member: User) -> dict:
    past = _mine(PastUsername, PastUsername.member_id, member, PastUsername.id)
    return {"username": member.username, "joined_at": when(member.joined_at), "role": member.role,
            "bio": member.bio, "pronouns": member.pronouns, "country": member.country,
            "hide_activity": member.hide_activity, "content_warnings": member.content_warnings,
            "muted_notifications": member.muted_notifications,
            "username_changed_at": when(member.username_changed_at),
            "suspended_until": when(member.suspended_until),
            "has_recovery_code": member.recovery_code_hash is not None,
            "past_usernames": [{"username": p.username, "kept_until": when(p.kept_until)} for p in past]}


def _mine(model, owner_column, member: User, order_by) -> list:
    return db.session.scalars(select(model).where(owner_column == member.id).order_by(order_by)).all()


def _earlier_versions(posts: Iterable[Post], replies: Iterable[Reply]) -> dict[tuple[str, int], list[dict]]:
    """Each post's and reply's words before each edit, oldest first, keyed ("post" | "reply", id)."""
    found: dict[tuple[str, int], list[dict]] = {}
    post_ids, reply_ids = [p.id for p in posts], [r.id for r in replies]
    for revision in db.session.scalars(select(Revision).where(Revision.post_id.in_(post_ids)
                                                              | Revision.reply_id.in_(reply_ids))
                                       .order_by(Revision.replaced_at, Revision.id)):
        key = ("post", revision.post_id) if revision.post_id else ("reply", revision.reply_id)
        version = {"body": revision.body, "replaced_at": when(revision.replaced_at)}
        if revision.post_id:
            version = {"title": revision.title, **version}
        found.setdefault(key, []).append(version)
    return found


def _notifications(member: User) -> list[dict]:
    """What the member was told: its kind, what about and when; not who (that is someone else's to keep)."""
    rows = db.session.execute(
        select(Notification, Hashtag.name).outerjoin(Hashtag, Hashtag.id == Notification.hashtag_id)
        .where(Notification.recipient_id == member.id).order_by(Notification.id)).all()
    return [{"kind": n.kind, "post_id": n.post_id, "reply_id": n.reply_id, "hashtag": tag,
             "at": when(n.created_at), "read_at": when(n.read_at)} for n, tag in rows]
