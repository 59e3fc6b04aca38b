"""Add what a busy forum accumulates to a database filled by bench/seed_large.py: notifications, an open
moderation queue, and one conversation of over a thousand replies.

    .venv/bin/python bench/seed_activity.py --database-url postgresql://postgres@127.0.0.1:5432/kindred_bench

seed_large.py fills posts, replies and hearts; the pages of a member with many notifications, of a moderator
with a long queue and of a very long conversation need these too. Rows go in with bulk inserts, as there:

- a notification for every reply (to the post's author, or the answered reply's) and every heart on a post,
  as forum.services.notifications.sending would have sent them; read an hour after they came, except the last
  three days' and every one of the member with the most posts (who never reads them: thousands unread);
- open moderation items on --flagged-posts posts and --flagged-replies replies, each with one to three flags
  (the flags and the items' reasons), and as many items resolved in the last weeks (the health page's figures);
- --long-thread replies on the busiest post (counts and activity times kept exact, as seed_large keeps them).

It runs once on a database (it stops if notifications are there already).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_large import BATCH_ROWS, database_url, describe, make_app  # noqa: E402
from sqlalchemy import func, insert, select, text, update  # noqa: E402

READ_AFTER = timedelta(hours=1)
UNREAD_DAYS = 3


def insert_rows(session, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH_ROWS):
        session.execute(insert(table), rows[i:i + BATCH_ROWS])


def heavy_member(session) -> int:
    """The member with the most visible posts: the one whose notifications pile up."""
    from forum.models import Post, User

    return session.scalar(select(Post.author_id).join(User, User.id == Post.author_id)
                          .where(User.role == "member", Post.status == "visible")
                          .group_by(Post.author_id).order_by(func.count().desc(), Post.author_id).limit(1))


def long_thread(session, rng: random.Random, wanted: int, now: datetime) -> tuple[int, int]:
    """Grow the busiest visible post's conversation to `wanted` replies; return (post id, replies added)."""
    from forum.models import Post, Reply, User

    post = session.execute(select(Post.id, Post.author_id, Post.reply_count, Post.last_activity_at)
                           .where(Post.status == "visible").order_by(Post.reply_count.desc(), Post.id)
                           .limit(1)).one()
    adding = max(0, wanted - post.reply_count)
    if not adding:
        return post.id, 0
    template = session.execute(select(Reply.body, Reply.body_html).limit(1)).one()
    members = session.scalars(select(User.id).where(User.role == "member", User.id != post.author_id)).all()
    top_level = session.scalars(select(Reply.id).where(Reply.post_id == post.id, Reply.parent_id.is_(None))).all()
    next_id = session.scalar(select(func.max(Reply.id))) + 1
    start, end = post.last_activity_at, now - timedelta(minutes=1)
    step = (end - start) / (adding + 1)
    rows = []
    for n in range(adding):
        parent = rng.choice(top_level) if top_level and rng.random() < 0.3 else None
        rows.append({"id": next_id + n, "post_id": post.id, "author_id": rng.choice(members), "parent_id": parent,
                     "body": template.body, "body_html": template.body_html, "status": "visible",
                     "created_at": start + step * (n + 1), "edited_at": None, "deleted_at": None,
                     "heart_count": 0})
        if parent is None:
            top_level.append(next_id + n)
    insert_rows(session, Reply.__table__, rows)
    session.execute(update(Post).where(Post.id == post.id).values(
        reply_count=Post.reply_count + adding, last_activity_at=rows[-1]["created_at"]))
    return post.id, adding


def notifications(session, heavy: int, now: datetime) -> int:
    """A notification for every reply and every heart on a post, as the services would have sent them."""
    from forum.models import Heart, Notification, Post, Reply

    parent = Reply.__table__.alias("parent")
    unread_since = now - timedelta(days=UNREAD_DAYS)

    def read_at(recipient: int, created: datetime) -> datetime | None:
        return None if recipient == heavy or created >= unread_since else created + READ_AFTER

    rows = []
    replies = session.execute(
        select(Reply.id, Reply.post_id, Reply.author_id, Reply.created_at, Post.author_id.label("post_author"),
               parent.c.id.label("parent_id"), parent.c.author_id.label("parent_author"))
        .join(Post, Post.id == Reply.post_id).outerjoin(parent, parent.c.id == Reply.parent_id)
        .where(Post.status == "visible", Reply.deleted_at.is_(None)))
    for reply in replies:
        recipients = {}
        if reply.parent_id is not None and reply.parent_author != reply.author_id:
            recipients[reply.parent_author] = f"reply:reply:{reply.parent_id}"
        if reply.post_author != reply.author_id:
            recipients.setdefault(reply.post_author, f"reply:post:{reply.post_id}")
        for recipient, key in recipients.items():
            rows.append({"recipient_id": recipient, "kind": "reply", "actor_id": reply.author_id,
                         "post_id": reply.post_id, "reply_id": None, "hashtag_id": None, "group_key": key,
                         "detail": {}, "created_at": reply.created_at,
                         "read_at": read_at(recipient, reply.created_at)})
    hearts = session.execute(select(Heart.user_id, Heart.post_id, Heart.created_at, Post.author_id)
                             .join(Post, Post.id == Heart.post_id).where(Post.status == "visible"))
    for heart in hearts:
        rows.append({"recipient_id": heart.author_id, "kind": "heart", "actor_id": heart.user_id,
                     "post_id": heart.post_id, "reply_id": None, "hashtag_id": None,
                     "group_key": f"heart:post:{heart.post_id}", "detail": {}, "created_at": heart.created_at,
                     "read_at": read_at(heart.author_id, heart.created_at)})
    rows.sort(key=lambda row: row["created_at"])
    insert_rows(session, Notification.__table__, rows)
    return len(rows)


def moderation(session, rng: random.Random, posts: int, replies: int, now: datetime) -> tuple[int, int, int]:
    """Open items with flags on `posts` posts and `replies` replies, and as many resolved ones; return
    (open items, resolved items, flags)."""
    from forum.models import Flag, ModerationItem, ModerationReason, Post, Reply, User
    from forum.models.moderation import FLAG_REASON_LABELS, FlagReason

    members = session.execute(select(User.id, User.username).where(User.role == "member")).all()
    moderator = session.scalar(select(User.id).where(User.role == "moderator").order_by(User.id).limit(1))
    post_ids = session.scalars(select(Post.id).where(Post.status == "visible")).all()
    reply_ids = session.scalars(select(Reply.id).where(Reply.deleted_at.is_(None))).all()
    chosen = ([("post_id", i) for i in rng.sample(post_ids, min(2 * posts, len(post_ids)))]
              + [("reply_id", i) for i in rng.sample(reply_ids, min(2 * replies, len(reply_ids)))])
    rng.shuffle(chosen)
    items, reasons, flags = [], [], []
    next_item = (session.scalar(select(func.max(ModerationItem.id))) or 0) + 1
    next_flag = (session.scalar(select(func.max(Flag.id))) or 0) + 1
    opened_count = 0
    for n, (column, target) in enumerate(chosen):
        is_open = n % 2 == 0
        opened = now - timedelta(hours=rng.uniform(0.1, 24 * 28))
        reason = FlagReason.AT_RISK if rng.random() < 0.05 else rng.choice(
            [FlagReason.HARASSMENT, FlagReason.SPAM, FlagReason.MEDICAL_ADVICE, FlagReason.OTHER])
        priority = 80 if reason is FlagReason.AT_RISK else 10
        acted = None if is_open else min(now, opened + timedelta(hours=rng.expovariate(1 / 6)))
        item_id = next_item + n
        items.append({"id": item_id, "post_id": target if column == "post_id" else None,
                      "reply_id": target if column == "reply_id" else None,
                      "status": "open" if is_open else "resolved", "priority": priority, "opened_at": opened,
                      "resolved_at": acted, "resolved_by_id": None if is_open else moderator,
                      "first_action_at": acted, "version": 0})
        opened_count += is_open
        for flagger_id, flagger_name in rng.sample(members, rng.randint(1, 3)):
            flag_id = next_flag + len(flags)
            created = opened + timedelta(minutes=len(flags) % 7)
            flags.append({"id": flag_id, "user_id": flagger_id, "post_id": None, "reply_id": None, column: target,
                          "reason": reason.value, "note": "", "created_at": created, "settled_at": acted})
            reasons.append({"item_id": item_id, "kind": "flag", "created_at": created, "detail": {
                "reason": reason.value, "label": FLAG_REASON_LABELS[reason], "note": "", "by": flagger_name,
                "flag_id": flag_id, "counts": True, "why_not_counted": ""}})
    insert_rows(session, ModerationItem.__table__, items)
    insert_rows(session, Flag.__table__, flags)
    insert_rows(session, ModerationReason.__table__, reasons)
    return opened_count, len(items) - opened_count, len(flags)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL, else sqlite bench/bench.sqlite3")
    parser.add_argument("--flagged-posts", type=int, default=3_000, help="open items on posts (as many resolved)")
    parser.add_argument("--flagged-replies", type=int, default=2_000, help="open items on replies (as many resolved)")
    parser.add_argument("--long-thread", type=int, default=1_500, help="replies the busiest post grows to")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    print(f"database: {describe(url)}", flush=True)
    app = make_app(url)
    rng = random.Random(args.seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    with app.app_context():
        from forum.extensions import db
        from forum.models import Notification

        session = db.session
        if session.scalar(select(func.count()).select_from(Notification)):
            print("notifications are there already: this database has its activity")
            return 0
        began = time.perf_counter()
        post_id, added = long_thread(session, rng, args.long_thread, now)
        print(f"  post {post_id}: {added:,} replies added ({time.perf_counter() - began:.1f}s)", flush=True)
        heavy = heavy_member(session)
        count = notifications(session, heavy, now)
        print(f"  {count:,} notifications; member {heavy} never reads theirs ({time.perf_counter() - began:.1f}s)",
              flush=True)
        opened, resolved, flags = moderation(session, rng, args.flagged_posts, args.flagged_replies, now)
        print(f"  {opened:,} open and {resolved:,} resolved moderation items, {flags:,} flags "
              f"({time.perf_counter() - began:.1f}s)", flush=True)
        if db.engine.dialect.name == "postgresql":
            for table in ("replies", "notifications", "moderation_items", "moderation_reasons", "flags"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
        session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        else:
            session.execute(text("ANALYZE"))
            session.commit()
        print(f"done in {time.perf_counter() - began:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
