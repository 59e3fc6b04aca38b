"""Sending notifications: who hears about a new reply, @mention, heart, post in a followed tag or moderators'
message, and who doesn't (the kinds they turned off, blocks either way, content nobody else may see)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, exists, insert, not_, select

from forum.extensions import db
from forum.markup import words_outside_code
from forum.models import MemberNotice, Notification, Post, Reply, TagFollow, User, utcnow
from forum.models.user import username_key
from forum.services.accounts import member_ids_named
from forum.services.blocks import may_reach, reach_each_other
from forum.services.notifications import NOTICE_KEY, OPTIONAL_KINDS, Kind

#: More names than this in one text notify nobody beyond the first ones (a list of every member is noise).
MAX_MENTIONS = 20

# "@name" where a username can start: not inside a word, an address (sam@example.org) or a URL path.
_MENTION_RE = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_-]{3,30})(?![\w-])")


def mentioned_keys(text: str) -> list[str]:
    """Return the username keys @mentioned in Markdown text, first mention first, outside code."""
    keys: list[str] = []
    # Read from the parse the page is rendered from, a run of text at a time: a name in code is not a mention.
    for words in words_outside_code(text):
        for match in _MENTION_RE.finditer(words):
            key = username_key(match.group(1))
            if key not in keys:
                keys.append(key)
                if len(keys) == MAX_MENTIONS:
                    return keys
    return keys


def notify_reply(reply: Reply) -> None:
    """Tell the post's author, and the author of the reply answered, about a new reply."""
    if not _is_public(reply):
        return
    parent = db.session.get(Reply, reply.parent_id) if reply.parent_id is not None else None
    reply_delivery(reply.post, parent, reply.author_id).send(reply_id=reply.id)


def reply_delivery(post: Post, parent: Reply | None, author_id: int) -> Delivery:
    """Who hears about a reply by `author_id` to the post (answering `parent`, a thread's first reply, if any):
    asked before the reply is written, so the write that follows holds the database briefly."""
    rows: dict[int, dict] = {}
    if parent is not None and parent.is_visible and not parent.is_deleted:
        rows[parent.author_id] = _row(parent.author_id, f"reply:reply:{parent.id}", post.id, None)
    # The post's author hears once, even when the reply answers their own reply.
    rows.setdefault(post.author_id, _row(post.author_id, f"reply:post:{post.id}", post.id, None))
    return _checked(Kind.REPLY, list(rows.values()), author_id)


def notify_mentions(content: Post | Reply) -> None:
    """Tell each @mentioned member about a post or reply that names them."""
    if not _is_public(content):
        return
    is_post = isinstance(content, Post)
    keys = mentioned_keys(f"{content.title}\n\n{content.body}" if is_post else content.body)
    if not keys:
        return
    named = member_ids_named(keys)  # a name given up lately still reaches its member
    post_id = content.id if is_post else content.post_id
    reply_id = None if is_post else content.id
    if reply_id is not None:  # "Sam replied to your post" already says it
        named -= set(db.session.scalars(select(Notification.recipient_id).where(Notification.reply_id == reply_id)))
    group_key = f"mention:post:{post_id}" if is_post else f"mention:reply:{reply_id}"
    author_of_post = content.author_id if is_post else content.post.author_id
    reached = _deliver(Kind.MENTION, [_row(member_id, group_key, post_id, reply_id) for member_id in named],
                       content.author_id, authors=[author_of_post])
    if is_post and reached:  # being named is the news; "a new post in #Anxiety" would repeat it
        db.session.execute(delete(Notification).where(Notification.kind == Kind.TAG_POST.value,
                                                      Notification.post_id == post_id,
                                                      Notification.recipient_id.in_(reached)))


def heart_delivery(member: User, target: Post | Reply) -> Delivery | None:
    """The notification telling an author `member` sent a heart, once per member and post or reply however often
    it is re-sent (None: content nobody else may see); asked before the heart is written, sent only if it was new."""
    if not _is_public(target):
        return None
    is_post = isinstance(target, Post)
    group_key = f"heart:{'post' if is_post else 'reply'}:{target.id}"
    post_id = target.id if is_post else target.post_id
    sent_before = exists().where(Notification.recipient_id == User.id, Notification.group_key == group_key,
                                 Notification.actor_id == member.id)
    return _checked(Kind.HEART, [_row(target.author_id, group_key, post_id, None if is_post else target.id)],
                    member.id, unless=sent_before)


def notify_tag_followers(post: Post) -> None:
    """Tell members following the post's tags about a new post: once each, under the first tag they follow."""
    if not post.is_visible or not post.hashtags:
        return
    order = {tag.id: place for place, tag in enumerate(post.hashtags)}
    choices: dict[int, list[tuple[str, int]]] = {}
    for member_id, tag_id, mode in db.session.execute(
            select(TagFollow.user_id, TagFollow.hashtag_id, TagFollow.mode)
            .where(TagFollow.hashtag_id.in_(order), TagFollow.user_id != post.author_id)):
        choices.setdefault(member_id, []).append((mode, tag_id))
    rows = []
    for member_id, chosen in choices.items():
        if any(mode == "mute" for mode, _ in chosen):  # a muted tag keeps the post out of their feeds too
            continue
        tag_id = min((tag_id for _, tag_id in chosen), key=order.__getitem__)
        rows.append(_row(member_id, f"tag_post:{tag_id}", post.id, None, hashtag_id=tag_id))
    _deliver(Kind.TAG_POST, rows, post.author_id)


def notify_moderation(notice: MemberNotice) -> None:
    """Tell a member the moderators acted on their content or wrote to them; the words stay on /notices.

    When held content is approved, the notifications it was held back from go out now.
    """
    about = "post" if notice.post_id else "reply" if notice.reply_id else ""
    _deliver(Kind.MODERATION, [_row(notice.member_id, f"{NOTICE_KEY}{notice.id}", None, None,
                                    detail={"about": about, "notice": notice.kind})], None)
    if notice.kind == "approved":
        content = db.session.get(Post, notice.post_id) if notice.post_id else db.session.get(Reply, notice.reply_id)
        if content is not None and not _announced(content):
            if isinstance(content, Post):
                notify_tag_followers(content)
            else:
                notify_reply(content)
            notify_mentions(content)


def _is_public(content: Post | Reply) -> bool:
    if isinstance(content, Reply):
        return content.is_visible and not content.is_deleted and content.post.is_visible
    return content.is_visible


def _announced(content: Post | Reply) -> bool:
    """Whether this post or reply already notified people (approved, undone and approved again)."""
    if isinstance(content, Reply):
        where = [Notification.reply_id == content.id, Notification.kind.in_([Kind.REPLY.value, Kind.MENTION.value])]
    else:
        where = [Notification.post_id == content.id, Notification.reply_id.is_(None),
                 Notification.kind.in_([Kind.TAG_POST.value, Kind.MENTION.value])]
    return db.session.scalar(select(exists().where(*where)))


def _row(recipient_id: int, group_key: str, post_id: int | None, reply_id: int | None, *,
         hashtag_id: int | None = None, detail: dict | None = None) -> dict:
    return {"recipient_id": recipient_id, "group_key": group_key, "post_id": post_id, "reply_id": reply_id,
            "hashtag_id": hashtag_id, "detail": detail or {}}


@dataclass
class Delivery:
    """Notifications worked out and checked against the recipients' choices and blocks, not yet stored."""

    kind: Kind
    rows: list[dict]
    actor_id: int | None

    def send(self, **ids: int) -> list[int]:
        """Store them, with `ids` (e.g. the reply's, once it has one) filled in; return the recipients reached."""
        if self.rows:
            now = utcnow()
            db.session.execute(insert(Notification), [
                {"kind": self.kind.value, "actor_id": self.actor_id, "created_at": now, "read_at": None, **row, **ids}
                for row in self.rows])
        return [row["recipient_id"] for row in self.rows]


def _deliver(kind: Kind, rows: list[dict], actor_id: int | None, authors: Iterable[int] = ()) -> list[int]:
    """Insert the rows meant for someone other than the actor who wants this kind, shares no block with the
    actor, and hasn't blocked the authors whose words they would be sent to. Return the recipients reached.
    """
    return _checked(kind, rows, actor_id, authors).send()


def _checked(kind: Kind, rows: list[dict], actor_id: int | None, authors: Iterable[int] = (),
             unless: ColumnElement[bool] | None = None) -> Delivery:
    """The rows _deliver would insert, minus those whose recipient (`User`) meets `unless`: one query at most."""
    rows = [row for row in rows if row["recipient_id"] != actor_id]
    recipient_ids = {row["recipient_id"] for row in rows}
    if not rows:
        return Delivery(kind, [], actor_id)
    columns = []
    if kind in OPTIONAL_KINDS:
        columns.append(User.muted_notifications)
    walled = _walled_off(recipient_ids, actor_id, set(authors))
    if walled is not None:
        columns.append(walled)
    if unless is not None:
        columns.append(unless)
    if columns:
        unwanted = set()
        for member_id, *facts in db.session.execute(select(User.id, *columns).where(User.id.in_(recipient_ids))):
            muted = facts.pop(0) if kind in OPTIONAL_KINDS else []
            if kind.value in (muted or []) or any(facts):
                unwanted.add(member_id)
        rows = [row for row in rows if row["recipient_id"] not in unwanted]
    return Delivery(kind, rows, actor_id)


def _walled_off(member_ids: set[int], actor_id: int | None, authors: set[int]) -> ColumnElement[bool] | None:
    """Whether a member (`User`) blocked the actor or the authors, or was blocked by the actor; None: no one to ask."""
    authors = authors - {actor_id, None} - member_ids
    reached = [may_reach(author_id, User.id) for author_id in authors]
    if actor_id is not None:  # never among the members: _deliver leaves the actor out
        reached.append(reach_each_other(actor_id, User.id))
    return not_(and_(*reached)) if reached else None
