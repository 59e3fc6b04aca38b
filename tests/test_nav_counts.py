"""The nav's badges come from one statement built once per kind of viewer (forum.services.nav_counts).

Built once, it holds the member's id and the needs-a-reply cut-off as bound parameters; that is only right
while every rule inside it depends on the viewer through their id and role alone. So each viewer of a small
community (a visitor, members who block, mute, are blocked, have notifications and a moderator's message,
and a moderator) is compared with the same statement built afresh for them, and the badges are checked
against what each should see.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Notification, Role, utcnow
from forum.services.blocks import block
from forum.services.following import set_tag_mode
from forum.services.hearts import set_heart
from forum.services.nav_counts import NavCounts, nav_counts, nav_counts_query
from forum.services.notifications import reading
from forum.services.tags import hashtags_named
from tests.helpers import count_queries, make_member, make_post, make_reply


def _fresh(viewer) -> NavCounts:
    row = db.session.execute(nav_counts_query(viewer)).one()
    return NavCounts(**{name: int(value or 0) for name, value in row._mapping.items()})


@pytest.fixture()
def community(app):
    writer = make_member("willow_writes")
    blocker = make_member("quiet_fern")
    muter = make_member("tidewatcher")
    blocked = make_member("loud_jay")
    moderator = make_member("steady_mod", Role.MODERATOR)
    make_post(writer, title="Hard night", body="Could use some company. #Anxiety")
    make_post(writer, title="Small win", body="Went outside today. #Recovery")
    make_post(blocked, title="Anyone up?", body="Can't sleep again. #Insomnia")
    make_post(blocked, title="A crisis", body="I want to die.")  # opens a moderation item
    answered = make_post(muter, title="Thank you all", body="Feeling a bit better. #Recovery")
    make_reply(writer, answered)
    block(blocker, blocked)
    set_tag_mode(muter, hashtags_named(["Anxiety"])[0], "mute")
    set_heart(blocked, answered, True)   # muter gets a notification from the blocked member
    set_heart(writer, answered, True)    # and one from the writer
    db.session.commit()
    return {"writer": writer, "blocker": blocker, "muter": muter, "blocked": blocked, "moderator": moderator}


def test_the_statement_built_once_counts_what_a_fresh_one_does_for_every_viewer(community):
    for viewer in [None, *community.values()]:
        assert nav_counts(viewer) == _fresh(viewer), getattr(viewer, "username", "a visitor")


def test_each_viewer_sees_their_own_badges(community):
    everyone = nav_counts(None).needs_reply
    assert nav_counts(community["blocker"]).needs_reply == everyone - 2  # the blocked member's two waiting posts
    assert nav_counts(community["muter"]).needs_reply == everyone - 1    # the post under the muted tag
    assert nav_counts(community["muter"]).unread_notifications == 2      # the reply; one line for both hearts
    assert nav_counts(community["writer"]).unread_notifications == 0
    moderator = nav_counts(community["moderator"])
    assert moderator.open_items >= 1 and moderator.crisis_items >= 1
    assert nav_counts(community["writer"]).open_items == 0               # members never see the queue


def test_a_block_made_after_the_statement_was_built_counts_at_once(community):
    nav_counts(community["writer"])  # built and used
    block(community["writer"], community["blocked"])
    db.session.commit()
    assert nav_counts(community["writer"]).needs_reply == nav_counts(None).needs_reply - 2


def test_the_needs_reply_cut_off_is_today_s_not_the_day_it_was_built(community, monkeypatch):
    before = nav_counts(community["writer"]).needs_reply
    later = utcnow() + timedelta(days=30)
    monkeypatch.setattr("forum.services.feeds.utcnow", lambda: later)
    assert before > 0 and nav_counts(community["writer"]).needs_reply == 0  # everything is too old to wait now


def test_the_badges_cost_one_statement(community):
    moderator = community["moderator"]
    db.session.refresh(moderator)
    with count_queries(db.engine) as statements:
        nav_counts(moderator)
    assert len(statements) == 1


def _unread_lines(member, post, lines: int) -> None:
    """`lines` unread notification lines for `member`, one notification each, newest last."""
    start = utcnow() - timedelta(hours=1)
    db.session.add_all(Notification(recipient_id=member.id, kind="reply", actor_id=post.author_id, post_id=post.id,
                                    group_key=f"reply:post:{post.id}:{n}", created_at=start + timedelta(seconds=n))
                       for n in range(lines))
    db.session.commit()


def test_a_hundred_unread_lines_show_as_99_plus(member, signed_in):
    _unread_lines(member, make_post(make_member("chatty_wren"), title="Busy day", body="So many of you."), 120)
    page = signed_in.client.get("/").get_data(as_text=True)
    assert 'aria-label="99+ unread"' in page
    assert "120" not in page


def test_the_notifications_badge_reads_only_the_newest_unread(community, monkeypatch):
    """A member who left thousands unread doesn't pay for counting each one on every page."""
    monkeypatch.setattr(reading, "BADGE_ROWS", 3)
    reader = community["writer"]
    _unread_lines(reader, make_post(community["muter"], title="Busy day", body="So many of you."), 5)
    assert reading.unread_count(reader) == 5
    assert db.session.scalar(reading.unread_badge_query(reader)) == 3
