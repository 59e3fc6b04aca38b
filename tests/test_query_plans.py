"""No page reads every post, reply, heart or hashtag link: the plan of each query the busiest pages run uses an index.

At a million posts a full scan is the difference between 5 ms and seconds, and the test data here is small
enough that a database would happily scan it: so PostgreSQL is told to avoid sequential scans wherever it
has any other way (enable_seqscan off), and SQLite's plan, which doesn't weigh table sizes the same way, is
read as it is. A plan that still reads the whole table has no index to use.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from forum.extensions import db
from forum.models import Heart, Reply
from tests.helpers import Visitor, make_post, make_reply

PAGES = ["/", "/needs-reply", "/tags/Depression", "post", "/search?q=night"]
#: The tables that grow with the forum (an alias such as post_hashtags_1 counts as its table).
GROWING = r"(posts|replies|post_hashtags|hearts)(_\d+)?\b"
SQLITE_FULL_SCAN = re.compile(rf"^SCAN {GROWING}(?!.*\bUSING\b)")
POSTGRES_FULL_SCAN = re.compile(rf"Seq Scan on {GROWING}")


@pytest.fixture
def thread(app, member, other_member):
    post = make_post(other_member, title="Sleepless again", body="Third night in a row. #Depression #Sleep")
    for _ in range(3):
        make_reply(member, post, "I'm up too. You're not alone in this.")
    make_post(member, title="Small win", body="Made it to group today. #Recovery")
    return post


@contextmanager
def _reads():
    """The SELECT (and WITH) statements sent inside the block, with their parameters."""
    seen: list[tuple[str, object]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)


def _statements(client, path: str) -> list[tuple[str, object]]:
    with _reads() as seen:
        assert client.get(path).status_code == 200, path
    return seen


def _full_scans(statement: str, parameters) -> list[str]:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            return [row[-1] for row in rows if SQLITE_FULL_SCAN.match(row[-1])]
        connection.exec_driver_sql("SET enable_seqscan = off")
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
        connection.rollback()
        return [row[0] for row in rows if POSTGRES_FULL_SCAN.search(row[0])]


@pytest.mark.parametrize("viewer", ["visitor", "member"])
@pytest.mark.parametrize("page", PAGES)
def test_busy_pages_read_posts_and_replies_through_indexes(app, thread, member, page, viewer):
    client = app.test_client()
    if viewer == "member":
        Visitor(client).sign_in(member.username)
    path = f"/posts/{thread.id}" if page == "post" else page
    statements = _statements(client, path)
    assert statements, "the page ran no query at all: the listener saw nothing"
    scans = {statement: found for statement, parameters in statements
             if (found := _full_scans(statement, parameters))}
    assert not scans, scans


def _plan(statement: str, parameters) -> list[str]:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
        # The test data is tiny, where sorting a handful of rows costs nothing; at scale the LIMIT makes walking
        # the index in order the cheap plan. Told to avoid sorts and scans, PostgreSQL shows that it can.
        connection.exec_driver_sql("SET enable_seqscan = off")
        connection.exec_driver_sql("SET enable_sort = off")
        rows = [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]
        connection.rollback()
        return rows


@pytest.mark.parametrize("viewer", ["visitor", "member", "member with a post waiting"])
def test_a_tag_page_walks_the_tags_activity_index_in_order(app, thread, member, viewer):
    """However big the tag or the forum, a tag's page reads its newest-active posts from
    ix_post_hashtags_hashtag_activity in order and stops after a page: no sort of the tag's rows, no walk of
    every post. The member's own waiting post comes in the same query."""
    if viewer == "member with a post waiting":
        own = make_post(member, title="Mine, waiting", body="Not sure about this. #Depression")
        own.status = "pending"
        db.session.commit()
    client = app.test_client()
    if viewer != "visitor":
        Visitor(client).sign_in(member.username)
    feeds = [(statement, parameters) for statement, parameters in _statements(client, "/tags/Depression")
             if "ORDER BY post_hashtags.last_activity_at DESC" in statement]
    assert len(feeds) == 1, "one query for the page's posts"
    plan = "\n".join(_plan(*feeds[0]))
    assert "ix_post_hashtags_hashtag_activity" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_heart_on_a_reply_reads_through_indexes(app, thread, member, other_member):
    """The reply comes with its post in one query (forum.web_helpers): joined so that neither table is scanned
    (an outer join to the post and its author once made SQLite read every post: 750 ms at 100k posts)."""
    reply = make_reply(other_member, thread, "Same here. Sending you calm.")
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    with _reads() as seen:
        assert visitor.post(f"/replies/{reply.id}/heart", {"hearted": "1"}).status_code == 302
    scans = {statement: found for statement, parameters in seen if (found := _full_scans(statement, parameters))}
    assert seen and not scans, scans


def test_a_post_page_looks_up_the_members_hearts_by_member_and_target(app, thread, member, other_member):
    """Which of the page's post and replies the member hearted is found through the (member, post) and
    (member, reply) unique indexes, never by reading every heart the member has given (a long-time member's
    thousands, on every post page they open)."""
    # A long-time member: hundreds of hearts elsewhere, and the statistics saying so.  With eight hearts in
    # all, PostgreSQL sometimes chose to read them all by member and filter (cheaper on so few), so the
    # plan depended on whether the table had been analysed yet.
    elsewhere = make_post(other_member, title="Elsewhere", body="Another evening.")
    replies = [Reply(post_id=elsewhere.id, author_id=other_member.id, body="Here too.", body_html="<p>Here too.</p>")
               for _ in range(300)]
    db.session.add_all(replies)
    db.session.flush()
    db.session.add_all(Heart(user_id=member.id, reply_id=reply.id) for reply in replies)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE hearts")
            connection.commit()
    Visitor(client := app.test_client()).sign_in(member.username)
    hearts = [(statement, parameters) for statement, parameters in _statements(client, f"/posts/{thread.id}")
              if re.search(r"FROM hearts\b", statement) and "hearts.user_id" in statement]
    assert len(hearts) == 1, "one query for the member's hearts on the page"
    plan = "\n".join(_plan(*hearts[0]))
    if db.engine.dialect.name == "sqlite":
        assert "(user_id=? AND post_id=?)" in plan and "(user_id=? AND reply_id=?)" in plan, plan
    else:
        # Through the target: (member, post) or (member, reply), or the page's replies' own hearts filtered by
        # member (bounded by the page); never an index walk by member alone.
        conditions = re.findall(r"Index Cond: (.*)", plan)
        assert conditions and all(re.search(r"(post|reply)_id", found) for found in conditions), plan
