"""How many SQL statements each page costs, and that the shortcuts taken to keep it low never show stale data.

Budgets are what the pages cost now: a change that adds a query to a page must say why here. Issue 14 asks
for at most 6 on every page: met, for a member with a post awaiting approval on a tag page (it comes with the
page's other posts) and on every page of a conversation over several pages too.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Post
from forum.services.visibility import visible_posts
from tests.helpers import Visitor, count_queries, make_member, make_post, make_reply

#: page -> (visitor, member, moderator) budgets.
BUDGETS = {
    "/": (3, 4, 4),
    "/needs-reply": (2, 3, 3),
    "/tags": (2, 3, 3),
    # The member here has a post waiting for approval: it comes in the same query as the page's other posts
    # (forum.services.feeds.tagged walks the tag's activity index either way).
    "/tags/Depression": (5, 6, 6),
    "post": (4, 6, 6),
}


@pytest.fixture
def community(app, member, other_member, moderator):
    """Posts with tags, replies, hearts and a pending post of the member's own, so no list is trivially empty."""
    for number in range(6):
        post = make_post(other_member, title=f"Week {number}", body=f"Still here, day {number}. #Depression #Sleep")
        make_reply(member, post, "Same here, one step at a time.")
        make_reply(moderator, post, "Thank you for writing this.")
    own = make_post(member, title="Mine", body="Trying again tonight. #Depression")
    own.status = "pending"
    db.session.commit()
    return post


def _statements(client, path: str) -> int:
    client.get(path)  # warm: first requests compile templates and may load lazily
    with count_queries(db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_pages_stay_within_their_query_budget(app, community, member, moderator, page):
    path = f"/posts/{community.id}" if page == "post" else page
    viewers = [app.test_client()]
    for who in (member, moderator):
        signed = Visitor(app.test_client())
        signed.sign_in(who.username)
        viewers.append(signed.client)
    counts = tuple(_statements(client, path) for client in viewers)
    budgets = BUDGETS[page]
    assert all(count <= budget for count, budget in zip(counts, budgets, strict=True)), (page, counts, budgets)


def test_every_page_of_a_long_conversation_costs_six_queries_and_counts_its_threads(app, member, other_member):
    app.config["REPLIES_PER_PAGE"] = 3
    post = make_post(other_member, title="Long night", body="Anyone else up? #Sleep")
    heads = [make_reply(member, post, f"Still up, {number}.") for number in range(6)]
    make_reply(other_member, post, "Thank you for answering.", parent=heads[0])  # an answer: no thread of its own
    hidden = make_reply(other_member, post, "Hidden by a moderator.")
    orphan = make_reply(member, post, "Answering the hidden one.", parent=hidden)  # stands on its own for others
    hidden.status = "hidden"
    db.session.commit()
    signed = Visitor(app.test_client())
    signed.sign_in(member.username)
    assert _statements(signed.client, f"/posts/{post.id}") <= 6
    page = signed.get(f"/posts/{post.id}").get_data(as_text=True)
    later = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert _statements(signed.client, later) <= 6
    assert "page 1 of 3" in page  # 6 threads and the orphaned answer: 7 threads, 3 a page
    assert orphan.body not in page


def test_the_members_own_blocks_come_with_them_and_are_never_stale(app, member, other_member):
    """has_blocked answers from the blocks loaded with the member, until the session writes."""
    from sqlalchemy import delete

    from forum.models import Block
    from forum.services.blocks import block, has_blocked
    from forum.services.sign_ins import member_signed_in_with, start_sign_in

    token = start_sign_in(member, timedelta(hours=1))
    db.session.commit()
    loaded = member_signed_in_with(token)
    member_id, other_id = loaded.id, other_member.id
    with count_queries(db.engine) as statements:
        assert not has_blocked(member_id, other_id)
    assert statements == [], "answered from what came with the member"
    block(loaded, other_member)
    assert has_blocked(loaded.id, other_member.id)
    member_signed_in_with(token)
    assert has_blocked(loaded.id, other_member.id)
    db.session.execute(delete(Block).where(Block.blocker_id == loaded.id))
    assert not has_blocked(loaded.id, other_member.id)


def _listed(viewer) -> set[int]:
    return set(db.session.scalars(select(Post.id).where(visible_posts(viewer))))


def test_a_post_hidden_in_this_session_is_still_listed_for_its_author_and_for_no_one_else(app, member):
    """The viewer's own hidden post ids are remembered within a transaction: a write must forget them."""
    other = make_member("SaltMarsh")
    post = make_post(member)
    assert post.id in _listed(member)  # remembered now: the member has no hidden posts
    post.status = "hidden"
    db.session.flush()
    assert post.id in _listed(member)
    assert post.id not in _listed(other)
    db.session.execute(update(Post).where(Post.id == post.id).values(status="visible"))
    db.session.execute(update(Post).where(Post.id == post.id).values(status="pending"))
    assert post.id in _listed(member)
    db.session.commit()
    assert post.id in _listed(member) and post.id not in _listed(other)


def test_the_nav_badges_count_what_their_pages_list(app, member, other_member):
    make_post(other_member, title="Nobody has answered", body="A long night. #Anxiety")
    answered = make_post(other_member, title="Answered", body="Better today. #Anxiety")
    make_reply(member, answered)
    signed = Visitor(app.test_client())
    signed.sign_in(other_member.username)
    page = signed.get("/").get_data(as_text=True)
    assert 'aria-label="1 waiting"' in page
    assert 'aria-label="1 unread"' in page  # member's reply to other_member's post


def test_the_needs_a_reply_badge_stops_counting_where_nobody_reads_on(app, other_member, monkeypatch):
    """At a million posts tens of thousands wait; the badge counts up to NEEDS_REPLY_COUNTED and says "99+"."""
    monkeypatch.setattr("forum.services.feeds.NEEDS_REPLY_COUNTED", 3)
    for number in range(5):
        make_post(other_member, title=f"Anyone up? {number}", body="Can't sleep again. #Sleep")
    page = app.test_client().get("/").get_data(as_text=True)
    assert 'aria-label="2+ waiting"' in page and "2+ people are waiting for a first reply" in page
    listed = app.test_client().get("/needs-reply").get_data(as_text=True)
    assert all(f"Anyone up? {number}" in listed for number in range(5))  # the page itself lists them all
