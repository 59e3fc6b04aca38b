"""Nobody unanswered: the usual wait for a first reply, thanking everyone, and content warnings."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Block, Heart, Post, User, utcnow
from forum.services.acknowledgement import unacknowledged_replies, usual_first_reply_wait
from forum.services.blocks import block
from forum.services.hearts import set_heart
from forum.timewords import about_how_long
from tests.helpers import make_member, make_post, make_reply


def answered_post(author, replier, tag_body, waited: timedelta):
    post = make_post(author, title="q", body=tag_body)
    make_reply(replier, post)
    post = db.session.get(Post, post.id)
    post.created_at = utcnow() - timedelta(days=1)
    post.first_response_at = post.created_at + waited
    db.session.commit()
    return post


def test_usual_wait_is_the_median_of_real_first_replies(app, member, other_member):
    waits = [timedelta(minutes=m) for m in (10, 30, 50, 240, 600)]
    for wait in waits:
        answered_post(member, other_member, "#Anxiety tonight", wait)
    answered_post(member, other_member, "#Cooking", timedelta(minutes=1))
    tag_ids = [t.id for t in db.session.scalars(select(Post).order_by(Post.id)).first().hashtags]
    median, count = usual_first_reply_wait(tag_ids)
    assert (median, count) == (timedelta(minutes=50), 5)


def test_usual_wait_says_nothing_without_enough_data(app, member, other_member):
    answered_post(member, other_member, "#Rare", timedelta(minutes=5))
    tag_ids = [t.id for t in db.session.scalars(select(Post).order_by(Post.id)).first().hashtags]
    assert usual_first_reply_wait(tag_ids) is None


@pytest.mark.parametrize("wait,words", [(timedelta(minutes=1), "about 1 minute"),
                                        (timedelta(minutes=50), "about 50 minutes"),
                                        (timedelta(hours=3), "about 3 hours"), (timedelta(days=3), "about 3 days")])
def test_waits_are_described_plainly(wait, words):
    assert about_how_long(wait) == words


def test_author_of_an_unanswered_post_sees_the_usual_wait(signed_in, member, other_member):
    for minutes in (20, 40, 60):
        answered_post(other_member, make_member(f"helper_{minutes}"), "#Anxiety", timedelta(minutes=minutes))
    response = signed_in.post("/posts/new", {"title": "Panic again", "body": "Rough one. #Anxiety"})
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "usually get a first reply within about 40 minutes" in page


def test_thank_everyone_hearts_each_unanswered_reply_once(signed_in, member, other_member):
    post = make_post(member)
    third = make_member("third_voice")
    first = make_reply(other_member, post, "one")
    second = make_reply(third, post, "two")
    answered = make_reply(make_member("fourth_voice"), post, "three")
    make_reply(member, post, "thank you!", parent=answered)
    already = make_reply(make_member("fifth_voice"), post, "four")
    set_heart(member, already, True)
    db.session.commit()
    assert {r.id for r in unacknowledged_replies(post)} == {first.id, second.id}
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "2 replies you haven" in page
    assert signed_in.post(f"/posts/{post.id}/thank").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Heart)) == 3
    signed_in.post(f"/posts/{post.id}/thank")
    assert db.session.scalar(select(func.count()).select_from(Heart)) == 3, "a second thank-you adds nothing"


def test_only_the_author_can_thank_everyone(signed_in_other, member):
    post = make_post(member)
    assert signed_in_other.post(f"/posts/{post.id}/thank").status_code == 403


def test_author_content_warning_folds_the_post_without_javascript(signed_in, client):
    response = signed_in.post("/posts/new", {"title": "Hard memories", "body": "What happened back then. #PTSD",
                                             "content_warning": "abuse"})
    url = response.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert '<details class="content-warning">' in page and "Content warning: abuse" in page
    feed = client.get("/").get_data(as_text=True)
    assert "Content warning: abuse" in feed and "What happened back then" not in feed


def test_readers_who_choose_open_see_warned_posts_unfolded(signed_in, signed_in_other, other_member):
    signed_in.post("/posts/new", {"title": "Hard memories", "body": "Words. #PTSD", "content_warning": "abuse"})
    reader = db.session.get(User, other_member.id)
    reader.content_warnings = "open"
    db.session.commit()
    post = db.session.scalars(select(Post)).one()
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)
    assert '<details class="content-warning" open>' in page


def test_thank_everyone_passes_over_a_replier_who_blocked_the_author(signed_in, member, other_member):
    post = make_post(member)
    make_reply(other_member, post, "one")
    reachable = make_reply(make_member("third_voice"), post, "two")
    db.session.add(Block(blocker_id=other_member.id, blocked_id=member.id))
    db.session.commit()
    assert [r.id for r in unacknowledged_replies(post)] == [reachable.id]
    assert signed_in.post(f"/posts/{post.id}/thank").status_code == 302
    assert db.session.scalars(select(Heart.reply_id)).all() == [reachable.id]


def test_replies_from_members_the_author_blocked_wait_for_no_thanks(member, other_member):
    post = make_post(member)
    make_reply(other_member, post, "one")
    reachable = make_reply(make_member("third_voice"), post, "two")
    block(member, other_member)
    db.session.commit()
    assert [r.id for r in unacknowledged_replies(post)] == [reachable.id]
