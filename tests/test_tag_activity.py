"""A tag's copy of each post's activity (post_hashtags.last_activity_at, which a tag's page is sorted by) never
drifts from the post's own, whichever path moves it: the database keeps it in step (migration f2fff0368e6b)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import or_, select, update

from forum.extensions import db
from forum.models import Post, Reply, post_hashtags, utcnow
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import item_for
from forum.services.moderation.undo import undo_action
from forum.services.posts import edit_post
from forum.services.privacy import delete_account
from forum.services.replies import delete_reply, recount_post
from forum.services.tag_admin import merge_tags
from tests.helpers import make_post, make_reply


def drifted() -> list[tuple]:
    """Every tag row whose activity is missing or differs from its post's."""
    return db.session.execute(
        select(post_hashtags.c.post_id, post_hashtags.c.hashtag_id, post_hashtags.c.last_activity_at,
               Post.last_activity_at)
        .join(Post, Post.id == post_hashtags.c.post_id)
        .where(or_(post_hashtags.c.last_activity_at.is_(None),
                   post_hashtags.c.last_activity_at != Post.last_activity_at))).all()


def tag_times(post: Post) -> set:
    return set(db.session.scalars(select(post_hashtags.c.last_activity_at).where(post_hashtags.c.post_id == post.id)))


@pytest.fixture
def tagged_post(member, other_member):
    post = make_post(member, title="Long night", body="Up again. #Sleep #Anxiety")
    db.session.commit()
    return post


def test_a_new_post_s_tags_carry_its_time(tagged_post):
    assert tag_times(tagged_post) == {tagged_post.last_activity_at}
    assert drifted() == []


def test_a_reply_moves_the_tags_with_the_post(tagged_post, other_member):
    before = tagged_post.last_activity_at
    reply = make_reply(other_member, tagged_post)
    db.session.commit()
    post = db.session.get(Post, tagged_post.id)
    assert post.last_activity_at == reply.created_at > before
    assert tag_times(post) == {reply.created_at} and drifted() == []


def test_a_deleted_reply_takes_the_tags_back(tagged_post, other_member):
    reply = make_reply(other_member, tagged_post)
    db.session.commit()
    delete_reply(db.session.get(Reply, reply.id))
    db.session.commit()
    assert tag_times(tagged_post) == {tagged_post.created_at} and drifted() == []


def test_a_reply_hidden_by_a_moderator_and_shown_again(tagged_post, other_member, moderator):
    reply = make_reply(other_member, tagged_post)
    db.session.commit()
    item = item_for(reply)
    db.session.flush()
    hidden = take_action(moderator, item, item.version, "hide", reason="off-topic")
    db.session.commit()
    assert tag_times(tagged_post) == {tagged_post.created_at} and drifted() == []
    undo_action(moderator, hidden)
    db.session.commit()
    assert tag_times(tagged_post) == {reply.created_at} and drifted() == []


def test_a_tag_added_by_an_edit_carries_the_post_s_time(tagged_post, other_member):
    make_reply(other_member, tagged_post)
    db.session.commit()
    edit_post(tagged_post, tagged_post.title, tagged_post.body + " #Recovery")
    db.session.commit()
    assert len(tag_times(tagged_post)) == 1 and len(tagged_post.hashtags) == 3
    assert drifted() == []


def test_merging_tags_moves_the_times_with_the_rows(member, other_member, moderator):
    older = make_post(member, title="One", body="Hard day. #Sleepless")
    newer = make_post(other_member, title="Two", body="Same here. #Insomnia")
    db.session.commit()
    merge_tags(moderator, "Sleepless", "Insomnia")
    db.session.commit()
    assert tag_times(older) == {older.last_activity_at} and tag_times(newer) == {newer.last_activity_at}
    assert drifted() == []


def test_a_member_leaving_takes_their_replies_activity_with_them(tagged_post, other_member):
    make_reply(other_member, tagged_post)
    db.session.commit()
    delete_account(db.session.get(type(other_member), other_member.id), keep_words_anonymously=False)
    db.session.commit()
    assert tag_times(tagged_post) == {tagged_post.created_at} and drifted() == []


def test_any_update_of_a_post_s_activity_reaches_its_tags(tagged_post):
    """Even one made around the services (a repair by hand, a script): the database itself keeps them in step."""
    later = utcnow() + timedelta(minutes=5)
    db.session.execute(update(Post).where(Post.id == tagged_post.id).values(last_activity_at=later))
    db.session.commit()
    assert tag_times(tagged_post) == {later} and drifted() == []
    recount_post(db.session.get(Post, tagged_post.id))
    db.session.commit()
    assert tag_times(tagged_post) == {tagged_post.created_at} and drifted() == []


def test_the_tag_page_lists_by_the_latest_activity(app, member, other_member):
    quiet = make_post(member, title="Quiet one", body="Just checking in. #Sleep")
    busy = make_post(member, title="Busy one", body="Anyone awake? #Sleep")
    make_reply(other_member, quiet, "I am, and I hear you.")
    db.session.commit()
    page = app.test_client().get("/tags/Sleep").get_data(as_text=True)
    assert page.index("Quiet one") < page.index("Busy one"), "the post answered last comes first"
    assert busy.id and drifted() == []

