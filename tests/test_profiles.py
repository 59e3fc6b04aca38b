"""Profiles: bio, pronouns, posts and replies, hearts received; activity can be kept private."""
from forum.extensions import db
from forum.models import PostStatus, Role, User
from forum.services import feeds
from forum.services.following import FOLLOW, set_tag_mode
from forum.services.hearts import set_heart
from forum.services.tags import find_hashtag
from tests.helpers import Visitor, make_member, make_post, make_reply


def test_profile_shows_bio_pronouns_posts_replies_and_hearts(client, member, other_member):
    member = db.session.get(User, member.id)
    member.bio, member.pronouns = "Tea, walks, slow days.", "she/her"
    post = make_post(member, title="My first post")
    reply = make_reply(member, make_post(other_member, title="Their post"), "Sending you strength")
    set_heart(other_member, post, True)
    set_heart(make_member("third_voice"), reply, True)
    db.session.commit()
    page = client.get("/u/river_stone").get_data(as_text=True)
    assert "Tea, walks, slow days." in page and "(she/her)" in page and "My first post" in page
    assert "On “Their post”" in page and "2 hearts received" in page


def test_hidden_activity_stays_private_except_to_the_member_and_moderators(app, client, signed_in, member):
    member = db.session.get(User, member.id)
    member.hide_activity = True
    make_post(member, title="Quiet post")
    assert "Quiet post" not in client.get("/u/river_stone").get_data(as_text=True)
    assert "keeps their activity private" in client.get("/u/river_stone").get_data(as_text=True)
    assert "Quiet post" in signed_in.get("/u/river_stone").get_data(as_text=True)
    moderator = Visitor(app.test_client())
    moderator.sign_in(make_member("kind_mod", Role.MODERATOR).username)
    assert "Quiet post" in moderator.get("/u/river_stone").get_data(as_text=True)


def test_hidden_activity_keeps_followed_tags_private_too(app, client, signed_in, member, other_member):
    make_post(other_member, title="Nights", body="Another long night. #PTSD")
    member = db.session.get(User, member.id)
    set_tag_mode(member, find_hashtag("PTSD"), FOLLOW)
    db.session.commit()
    assert "#PTSD" in client.get("/u/river_stone").get_data(as_text=True)
    member.hide_activity = True
    db.session.commit()
    assert "#PTSD" not in client.get("/u/river_stone").get_data(as_text=True)
    assert "#PTSD" in signed_in.get("/u/river_stone").get_data(as_text=True)
    moderator = Visitor(app.test_client())
    moderator.sign_in(make_member("kind_mod", Role.MODERATOR).username)
    assert "#PTSD" in moderator.get("/u/river_stone").get_data(as_text=True)


def test_moderators_see_a_members_hidden_replies_in_lists_and_members_do_not(moderator, member, other_member):
    post = make_post(other_member, title="Their post")
    reply = make_reply(member, post, "Held for review")
    reply.status = PostStatus.HIDDEN.value
    db.session.commit()
    assert [r.id for r in feeds.recent_replies_by(moderator, member)] == [reply.id]
    assert feeds.recent_replies_by(other_member, member) == []
