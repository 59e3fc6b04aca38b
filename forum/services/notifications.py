"""In-app notifications: replies, @mentions, hearts, new posts in followed tags, and moderators' messages.

Rules every kind keeps: nothing is created for content that isn't visible, for a kind the recipient turned
off, or between two members when either has blocked the other; and the page shows nothing whose content
has since been hidden, held or removed, or whose sender has since been blocked. Related notifications
share a group key, so the page shows one line for "Sam and 4 others sent hearts". Functions here flush;
the view commits.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.markup import words_outside_code
from forum.models import (
    Hashtag,
    MemberNotice,
    Notification,
    NotificationKind,
    Post,
    PostStatus,
    Reply,
    TagFollow,
    User,
    utcnow,
)
from forum.models.user import username_key
from forum.services.accounts import member_ids_named
from forum.services.blocks import may_reach, reach_each_other
from forum.services.visibility import visible_posts, visible_replies

Kind = NotificationKind

#: Kinds a member may turn off. Moderators' messages always arrive: they say when something the member
#: wrote was hidden, held or removed, and how to ask for a second look.
OPTIONAL_KINDS = (Kind.REPLY, Kind.MENTION, Kind.HEART, Kind.TAG_POST)
#: More names than this in one text notify nobody beyond the first ones (a list of every member is noise).
MAX_MENTIONS = 20
#: Read notifications stay on the page this long, below the new ones.
KEEP_READ = timedelta(days=30)
#: Lines on the page; older ones wait for "mark all as read".
MAX_LINES = 50
#: A moderator's message's group key is this and the MemberNotice id.
NOTICE_KEY = "moderation:"

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


# --- Creating -----------------------------------------------------------------------------------------------


def notify_reply(reply: Reply) -> None:
    """Tell the post's author, and the author of the reply answered, about a new reply."""
    if not _is_public(reply):
        return
    post = reply.post
    rows: dict[int, dict] = {}
    if reply.parent_id is not None:
        parent = db.session.get(Reply, reply.parent_id)
        if parent is not None and parent.is_visible and not parent.is_deleted:
            rows[parent.author_id] = _row(parent.author_id, f"reply:reply:{parent.id}", post.id, reply.id)
    # The post's author hears once, even when the reply answers their own reply.
    rows.setdefault(post.author_id, _row(post.author_id, f"reply:post:{post.id}", post.id, reply.id))
    _deliver(Kind.REPLY, list(rows.values()), reply.author_id)


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


def notify_heart(member: User, target: Post | Reply) -> None:
    """Tell an author someone sent a heart, once per member and post or reply, however often it is re-sent."""
    if not _is_public(target):
        return
    is_post = isinstance(target, Post)
    group_key = f"heart:{'post' if is_post else 'reply'}:{target.id}"
    sent_before = db.session.scalar(select(exists().where(
        Notification.recipient_id == target.author_id, Notification.group_key == group_key,
        Notification.actor_id == member.id)))
    if sent_before:
        return
    post_id = target.id if is_post else target.post_id
    _deliver(Kind.HEART, [_row(target.author_id, group_key, post_id, None if is_post else target.id)], member.id)


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


def _deliver(kind: Kind, rows: list[dict], actor_id: int | None, authors: Iterable[int] = ()) -> list[int]:
    """Insert the rows meant for someone other than the actor who wants this kind, shares no block with the
    actor, and hasn't blocked the authors whose words they would be sent to. Return the recipients reached.
    """
    rows = [row for row in rows if row["recipient_id"] != actor_id]
    if not rows:
        return []
    recipient_ids = {row["recipient_id"] for row in rows}
    unwanted = _muting(kind, recipient_ids) | _walled_off(recipient_ids, actor_id, set(authors))
    rows = [row for row in rows if row["recipient_id"] not in unwanted]
    if rows:
        now = utcnow()
        db.session.execute(insert(Notification), [{"kind": kind.value, "actor_id": actor_id, "created_at": now,
                                                   "read_at": None, **row} for row in rows])
    return [row["recipient_id"] for row in rows]


def _muting(kind: Kind, member_ids: set[int]) -> set[int]:
    if kind not in OPTIONAL_KINDS:
        return set()
    found = db.session.execute(select(User.id, User.muted_notifications).where(User.id.in_(member_ids)))
    return {member_id for member_id, muted in found if kind.value in (muted or [])}


def _walled_off(member_ids: set[int], actor_id: int | None, authors: set[int]) -> set[int]:
    """Which of the members blocked the actor or the authors, or were blocked by the actor."""
    authors = authors - {actor_id, None} - member_ids
    reached = [may_reach(author_id, User.id) for author_id in authors]
    if actor_id is not None:  # never among the members: _deliver leaves the actor out
        reached.append(reach_each_other(actor_id, User.id))
    if not reached:
        return set()
    return set(db.session.scalars(select(User.id).where(User.id.in_(member_ids), not_(and_(*reached)))))


# --- Settings -----------------------------------------------------------------------------------------------


def wants(member: User, kind: Kind) -> bool:
    return kind not in OPTIONAL_KINDS or kind.value not in (member.muted_notifications or [])


def set_muted_kinds(member: User, muted: Iterable[Kind | str]) -> None:
    """Turn off these kinds (and on every other optional one); moderators' messages can't be turned off."""
    chosen = {Kind(kind) for kind in muted}
    # A new list, not an in-place change: the JSON column only notices assignment.
    member.muted_notifications = [kind.value for kind in OPTIONAL_KINDS if kind in chosen]


# --- Reading ------------------------------------------------------------------------------------------------


@dataclass
class NotificationLine:
    """One line on the page: a group of notifications sharing a key, newest first."""

    kind: str
    group_key: str
    unread: bool
    created_at: datetime
    #: The newest notification in the group (what "mark all as read" goes up to).
    newest_id: int
    #: Different senders in the group (for followed tags: different posts).
    count: int
    post_id: int | None
    reply_id: int | None
    post_title: str
    tag_name: str
    detail: dict
    names: list[str] = field(default_factory=list)

    @property
    def about(self) -> str:
        """What the notification is about: "post" or "reply" (the group key's middle part)."""
        if self.kind == Kind.MODERATION.value:
            return self.detail.get("about", "")
        return self.group_key.split(":")[1] if self.group_key.count(":") == 2 else "post"

    @property
    def who(self) -> str:
        """"Sam", "Sam and Alex", "Sam and 4 others"."""
        if not self.names:
            return "Someone"
        if self.count == 1:
            return self.names[0]
        if self.count == 2 and len(self.names) == 2:
            return f"{self.names[0]} and {self.names[1]}"
        others = self.count - 1
        return f"{self.names[0]} and {others} other{'s' if others != 1 else ''}"

    @property
    def text(self) -> str:
        title = f"“{self.post_title}”"
        if self.kind == Kind.REPLY.value:
            if self.about == "reply":
                return f"{self.who} answered your reply on {title}"
            return f"{self.who} replied to your post {title}"
        if self.kind == Kind.MENTION.value:
            where = f"a reply on {title}" if self.about == "reply" else title
            return f"{self.who} mentioned you in {where}"
        if self.kind == Kind.HEART.value:
            hearts = "a heart" if self.count == 1 else "hearts"
            what = f"your reply on {title}" if self.about == "reply" else f"your post {title}"
            return f"{self.who} sent {hearts} for {what}"
        if self.kind == Kind.TAG_POST.value:
            if self.count == 1:
                return f"A new post in #{self.tag_name}: {title}"
            return f"{self.count} new posts in #{self.tag_name}"
        about = f" about your {self.about}" if self.about else ""
        if self.detail.get("notice") == "auto_hidden":  # flags hid it; no moderator has looked yet
            return f"A note{about}: it's hidden for now while a moderator reviews it"
        return f"A moderator wrote to you{about}"


def _from_notifications() -> Select:
    return (select().select_from(Notification)
            .outerjoin(Post, Post.id == Notification.post_id)
            .outerjoin(Reply, Reply.id == Notification.reply_id))


def _shown_to(member: User) -> list[ColumnElement[bool]]:
    """Where-clauses for the member's notifications that may still be shown (used with _from_notifications).

    The content must be what the member may see (forum.services.visibility, which leaves out whom they
    blocked) and public too: a notification never points at hidden, held or removed words, even their own.
    """
    public = PostStatus.VISIBLE.value
    content_shown = and_(
        visible_posts(member), Post.status == public,
        or_(Notification.reply_id.is_(None),
            and_(visible_replies(member), Reply.status == public, Reply.deleted_at.is_(None))))
    return [Notification.recipient_id == member.id,
            or_(Notification.kind == Kind.MODERATION.value, content_shown),
            or_(Notification.actor_id.is_(None), reach_each_other(member.id, Notification.actor_id))]


def _unread(member: User) -> ColumnElement[bool]:
    """Unread, where a moderator's message counts as read once the member read it on /notices: one message,
    one unread signal, not one under "Messages" and another under "Notifications"."""
    notice_read = exists().where(MemberNotice.member_id == member.id, MemberNotice.read_at.is_not(None),
                                 Notification.group_key == literal(NOTICE_KEY) + cast(MemberNotice.id, String))
    return and_(Notification.read_at.is_(None), or_(Notification.kind != Kind.MODERATION.value, ~notice_read))


def unread_count(member: User) -> int:
    """How many unread lines the page shows: groups, not single notifications ("Sam and 4 others" is one)."""
    return db.session.scalar(unread_count_query(member))


def unread_count_query(member: User) -> Select:
    return (_from_notifications().add_columns(func.count(func.distinct(Notification.group_key)))
            .where(*_shown_to(member), _unread(member)))


def lines_for(member: User, now: datetime | None = None, limit: int = MAX_LINES) -> list[NotificationLine]:
    """The member's notifications as lines: unread ones first, then those read in the last KEEP_READ,
    newest first, each with its two newest senders' names; a fixed number of queries however many there are."""
    is_unread = _unread(member)
    unread = case((is_unread, 1), else_=0)
    # A group counts senders, except followed tags, which count posts ("3 new posts in #Anxiety").
    sender = case((Notification.kind == Kind.TAG_POST.value, Notification.post_id),
                  else_=func.coalesce(Notification.actor_id, 0))
    newest_first = (Notification.created_at.desc(), Notification.id.desc())
    each_sender = (_from_notifications().add_columns(
        Notification.id, Notification.group_key, Notification.created_at, unread.label("unread"),
        func.row_number().over(partition_by=(Notification.group_key, unread, sender),
                               order_by=newest_first).label("nth"))
        .where(*_shown_to(member),
               or_(is_unread, Notification.created_at >= (now or utcnow()) - KEEP_READ))
        .subquery())
    group = (each_sender.c.group_key, each_sender.c.unread)
    senders = (select(each_sender.c.id, each_sender.c.group_key, each_sender.c.unread,
                      func.row_number().over(partition_by=group, order_by=(each_sender.c.created_at.desc(),
                                                                           each_sender.c.id.desc())).label("place"),
                      func.count().over(partition_by=group).label("count"),
                      func.max(each_sender.c.created_at).over(partition_by=group).label("latest"))
               .where(each_sender.c.nth == 1).subquery())
    ranked = (select(senders, func.dense_rank().over(order_by=(senders.c.unread.desc(), senders.c.latest.desc(),
                                                               senders.c.group_key)).label("line"))
              .subquery())
    rows = db.session.execute(
        select(Notification, ranked.c.unread, ranked.c.count, ranked.c.line, Post.title, Hashtag.name)
        .join(ranked, ranked.c.id == Notification.id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .outerjoin(Hashtag, Hashtag.id == Notification.hashtag_id)
        .where(ranked.c.place <= 2, ranked.c.line <= limit)
        .order_by(ranked.c.line, ranked.c.place)
        .options(selectinload(Notification.actor)))
    lines: dict[int, NotificationLine] = {}
    for note, is_unread, count, line_no, title, tag_name in rows:
        line = lines.get(line_no)
        if line is None:
            line = lines[line_no] = NotificationLine(
                kind=note.kind, group_key=note.group_key, unread=bool(is_unread), created_at=note.created_at,
                newest_id=note.id, count=count, post_id=note.post_id, reply_id=note.reply_id,
                post_title=title or "", tag_name=tag_name or "", detail=note.detail or {})
        if note.actor is not None:
            line.names.append(note.actor.username)
    return list(lines.values())


def mark_read(member: User, up_to: int | None = None) -> int:
    """Mark the member's notifications read, up to the newest one they were shown; return how many changed.

    `up_to` keeps a notification that arrived while the page was open unread.
    """
    stmt = update(Notification).where(Notification.recipient_id == member.id, Notification.read_at.is_(None))
    if up_to is not None:
        stmt = stmt.where(Notification.id <= up_to)
    return db.session.execute(stmt.values(read_at=utcnow()), execution_options={"synchronize_session": False}).rowcount
