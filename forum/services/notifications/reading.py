"""Reading notifications: the member's page of lines ("Sam and 4 others sent hearts"), the unread count, and
marking them read. What was sent is shown only while its content is public and its sender not blocked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Exists,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import Hashtag, MemberNotice, Notification, Post, Reply, User, utcnow
from forum.pagination import BadCursor, Page, decode_cursor, encode_cursor
from forum.services.blocks import reach_each_other
from forum.services.notifications import NOTICE_KEY, Kind
from forum.services.visibility import public_posts, public_replies

#: Read notifications stay on the page this long, below the new ones.
KEEP_READ = timedelta(days=30)
#: Lines on a page; older ones are on the next page (and wait there, unread, for "mark all as read").
MAX_LINES = 50
#: What a line's place is told by, in the page's order: (unread, latest, group_key), then when the first page
#: was shown: lines read since then keep the place they had as unread (see lines_page).
LINE_CURSOR_KINDS = (int, datetime, str, datetime)
#: A cursor from before the first page's time was kept: paged as before.
OLD_LINE_CURSOR_KINDS = (int, datetime, str)


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
    return [Notification.recipient_id == member.id, *_still_shown(member)]


def _still_shown(member: User) -> list[ColumnElement[bool]]:
    """_shown_to without naming the recipient: for notifications already chosen as the member's by id (a
    recipient clause there lets the planner read all of them again)."""
    content_shown = and_(public_posts(member), or_(Notification.reply_id.is_(None), public_replies(member)))
    return [or_(Notification.kind == Kind.MODERATION.value, content_shown),
            or_(Notification.actor_id.is_(None), reach_each_other(member.id, Notification.actor_id))]


def _unread(member: User, read_since: datetime | None = None) -> ColumnElement[bool]:
    """Unread, where a moderator's message counts as read once the member read it on /notices: one message,
    one unread signal, not one under "Messages" and another under "Notifications".

    With `read_since`, what was read at or after that moment still counts as unread (see lines_page)."""
    notice_read = _notice_read(member)
    not_read = Notification.read_at.is_(None)
    if read_since is not None:
        notice_read = notice_read.where(MemberNotice.read_at < read_since)
        not_read = or_(not_read, Notification.read_at >= read_since)
    return and_(not_read, or_(Notification.kind != Kind.MODERATION.value, ~notice_read))


def _notice_unread(member: User) -> ColumnElement[bool]:
    """_unread without `read_at IS NULL`, for notifications already chosen as not marked read."""
    return or_(Notification.kind != Kind.MODERATION.value, ~_notice_read(member))


def _notice_read(member: User) -> Exists:
    """A moderator's message behind this notification that the member already read on /notices."""
    return exists().where(MemberNotice.member_id == member.id, MemberNotice.read_at.is_not(None),
                  Notification.group_key == literal(NOTICE_KEY) + cast(MemberNotice.id, String))


def unread_count(member: User) -> int:
    """How many unread lines the page shows: groups, not single notifications ("Sam and 4 others" is one)."""
    return db.session.scalar(unread_count_query(member))


def unread_count_query(member: User) -> Select:
    return (_from_notifications().add_columns(func.count(func.distinct(Notification.group_key)))
            .where(*_shown_to(member), _unread(member)))


#: The nav's badge reads at most this many of the member's newest unread notifications: a member who left
#: thousands unread paid for counting every one on every page (89 ms at 11,000 on PostgreSQL). Below it the
#: badge is exact; past it, lines whose every notification is older are not counted (the page shows them).
BADGE_ROWS = 500


def _newest_unread(member: User, limit: int, not_after: datetime | None = None) -> Select:
    """Ids and group keys of the member's `limit` newest notifications not marked read (at or before
    `not_after`), from ix_notifications_unread_newest alone: what may be shown is decided after the limit, so the
    planner cannot choose to read them all first."""
    stmt = (select(Notification.id, Notification.group_key, Notification.created_at)
            .where(Notification.recipient_id == member.id, Notification.read_at.is_(None)))
    if not_after is not None:
        stmt = stmt.where(Notification.created_at <= not_after)
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)


def unread_badge_query(member: User) -> Select:
    """Unread lines for the nav's badge: unread_count's, over the newest BADGE_ROWS unread notifications."""
    newest = _newest_unread(member, BADGE_ROWS).subquery()
    return (_from_notifications().add_columns(func.count(func.distinct(Notification.group_key)))
            .join(newest, newest.c.id == Notification.id).where(*_still_shown(member), _notice_unread(member)))


def lines_page(member: User, cursor: str | None = None, per_page: int = MAX_LINES,
               now: datetime | None = None) -> Page[NotificationLine]:
    """A page of the member's lines, starting after `cursor` (a Page's next_cursor); raises BadCursor for a
    cursor not ours.

    Later pages are in the order of the first: the page marks the new lines it showed read, and read lines sort
    after unread ones, so those would come round again under "Earlier". A line read since the first page was
    shown keeps its place, and its "new" look, until the member opens the first page again."""
    after, read_since = None, None
    if cursor:
        try:
            *after, read_since = decode_cursor(cursor, LINE_CURSOR_KINDS)
        except BadCursor:
            after = list(decode_cursor(cursor, OLD_LINE_CURSOR_KINDS))
    first_shown = read_since or now or utcnow()
    lines = lines_for(member, now, per_page + 1, tuple(after) if after else None, read_since=read_since)
    if len(lines) <= per_page:
        return Page(lines, None)
    last = lines[per_page - 1]
    return Page(lines[:per_page], encode_cursor((int(last.unread), last.created_at, last.group_key, first_shown)))


#: The page looks for its unread lines among this many of the newest unread notifications per line: a
#: member who left 11,000 unread paid for ranking every one (207 ms on PostgreSQL). Only if the lines found
#: there could be outranked by one outside (too few lines, or the last as old as the oldest looked at) does
#: the page rank them all.
WALK_ROWS_PER_LINE = 10


def lines_for(member: User, now: datetime | None = None, limit: int = MAX_LINES,
              after: tuple[int, datetime, str] | None = None,
              read_since: datetime | None = None) -> list[NotificationLine]:
    """The member's notifications as lines: unread ones first, then those read in the last KEEP_READ,
    newest first, each with its two newest senders' names; a bounded number of queries however many there
    are. `after` is the (unread, latest, group_key) of the last line already shown; lines read at or after
    `read_since` count as unread (see lines_page)."""
    lines: list[NotificationLine] = []
    if after is None or after[0] == 1:
        # The walk over the newest unread reads `read_at IS NULL`; an Older page that keeps lines read since
        # its first page as unread ranks them all.
        lines = (_unread_lines(member, limit, after) if read_since is None
                 else _lines(member, [_unread(member, read_since)], limit, after, read_since))
    if len(lines) < limit:
        since = (now or utcnow()) - KEEP_READ
        lines += _lines(member, [~_unread(member, read_since), Notification.created_at >= since], limit - len(lines),
                        after if after is not None and after[0] == 0 else None, read_since)
    return lines


def _unread_lines(member: User, limit: int, after: tuple[int, datetime, str] | None) -> list[NotificationLine]:
    """The unread lines, ranked among the groups of the newest unread notifications when that is certain to
    give the same lines as ranking them all."""
    walk_rows = limit * WALK_ROWS_PER_LINE
    walked = db.session.execute(_newest_unread(member, walk_rows, after[1] if after else None)).all()
    if not walked:
        return []
    unread = [Notification.read_at.is_(None), _notice_unread(member)]
    keys = list(dict.fromkeys(row.group_key for row in walked))
    lines = _lines(member, [*unread, Notification.group_key.in_(keys)], limit, after)
    # A line left out has every notification at or before the oldest walked one.
    if len(walked) < walk_rows or (len(lines) == limit and lines[-1].created_at > walked[-1].created_at):
        return lines
    return _lines(member, unread, limit, after)


def _lines(member: User, scope: list[ColumnElement[bool]], limit: int,
           after: tuple[int, datetime, str] | None, read_since: datetime | None = None) -> list[NotificationLine]:
    """Lines of the member's shown notifications within `scope`, in the page's order, after `after`."""
    is_unread = _unread(member, read_since)
    unread = case((is_unread, 1), else_=0)
    # A group counts senders, except followed tags, which count posts ("3 new posts in #Anxiety").
    sender = case((Notification.kind == Kind.TAG_POST.value, Notification.post_id),
                  else_=func.coalesce(Notification.actor_id, 0))
    newest_first = (Notification.created_at.desc(), Notification.id.desc())
    each_sender = (_from_notifications().add_columns(
        Notification.id, Notification.group_key, Notification.created_at, unread.label("unread"),
        func.row_number().over(partition_by=(Notification.group_key, unread, sender),
                               order_by=newest_first).label("nth"))
        .where(*_shown_to(member), *scope)
        .subquery())
    group = (each_sender.c.group_key, each_sender.c.unread)
    senders = (select(each_sender.c.id, each_sender.c.group_key, each_sender.c.unread,
                      func.row_number().over(partition_by=group, order_by=(each_sender.c.created_at.desc(),
                                                                           each_sender.c.id.desc())).label("place"),
                      func.count().over(partition_by=group).label("count"),
                      func.max(each_sender.c.created_at).over(partition_by=group).label("latest"))
               .where(each_sender.c.nth == 1).subquery())
    ranked = select(senders, func.dense_rank().over(order_by=(senders.c.unread.desc(), senders.c.latest.desc(),
                                                              senders.c.group_key)).label("line"))
    if after is not None:
        was_unread, latest, group_key = after
        ranked = ranked.where(or_(senders.c.unread < was_unread, and_(senders.c.unread == was_unread, or_(
            senders.c.latest < latest, and_(senders.c.latest == latest, senders.c.group_key > group_key)))))
    ranked = ranked.subquery()
    # The sender's name in the same statement: a second one only when there were rows would make the page's
    # query count depend on whether it has read lines.
    actor = aliased(User)
    rows = db.session.execute(
        select(Notification, ranked.c.unread, ranked.c.count, ranked.c.line, Post.title, Hashtag.name,
               actor.username)
        .join(ranked, ranked.c.id == Notification.id)
        .outerjoin(Post, Post.id == Notification.post_id)
        .outerjoin(Hashtag, Hashtag.id == Notification.hashtag_id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .where(ranked.c.place <= 2, ranked.c.line <= limit)
        .order_by(ranked.c.line, ranked.c.place))
    lines: dict[int, NotificationLine] = {}
    for note, is_unread, count, line_no, title, tag_name, actor_name in rows:
        line = lines.get(line_no)
        if line is None:
            line = lines[line_no] = NotificationLine(
                kind=note.kind, group_key=note.group_key, unread=bool(is_unread), created_at=note.created_at,
                newest_id=note.id, count=count, post_id=note.post_id, reply_id=note.reply_id,
                post_title=title or "", tag_name=tag_name or "", detail=note.detail or {})
        if actor_name is not None:
            line.names.append(actor_name)
    return list(lines.values())


def mark_read(member: User, up_to: int | None = None, group_keys: list[str] | None = None) -> int:
    """Mark the member's notifications read, up to the newest one they were shown; return how many changed.

    `up_to` keeps a notification that arrived while the page was open unread; `group_keys`, the lines a page
    showed, keeps unread the older lines it didn't reach.
    """
    stmt = update(Notification).where(Notification.recipient_id == member.id, Notification.read_at.is_(None))
    if up_to is not None:
        stmt = stmt.where(Notification.id <= up_to)
    if group_keys is not None:
        stmt = stmt.where(Notification.group_key.in_(group_keys))
    return db.session.execute(stmt.values(read_at=utcnow()), execution_options={"synchronize_session": False}).rowcount
