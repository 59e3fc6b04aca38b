"""A tag whose every post is hidden, held or removed is not there for other readers: its spelling alone can
say who a removed post was about, so no page, API answer, filter or list names it. Its own author still
sees their waiting post's tag, moderators see every tag, and a member who followed or muted it can undo that."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Post, WatchedAction
from forum.services.following import FOLLOW, set_tag_mode
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import item_for
from forum.services.search import SearchFilters, search
from forum.services.tag_admin import merge_tags
from forum.services.tags import find_hashtag
from forum.services.watched import add_watched_word
from tests.api_support import ApiClient
from tests.helpers import Visitor, make_member, make_post

WORDS = "Thinking about #BrotherJakeMiller today."


def moderate(moderator, post, action: str) -> None:
    item = item_for(post)
    take_action(moderator, item, item.version, action, reason="names someone")
    db.session.commit()


def hidden_from_others(member, moderator, how: str) -> Post:
    """A post carrying #BrotherJakeMiller that nobody but its author and moderators may see."""
    if how == "held":
        add_watched_word(moderator, "missing", WatchedAction.REQUIRE_APPROVAL.value)
        db.session.commit()
    post = make_post(member, "Missing him", WORDS)
    if how != "held":
        moderate(moderator, post, how)
    assert post.status != "visible"
    return post


HOW = ["remove", "hide", "held"]


@pytest.mark.parametrize("how", HOW)
def test_a_tag_only_hidden_posts_carry_has_no_page_for_visitors_or_other_members(app, client, member, moderator,
                                                                                 how):
    hidden_from_others(member, moderator, how)
    other = Visitor(app.test_client())
    other.sign_in(make_member("third_reader").username)
    for reader in (client, other):
        response = reader.get("/tags/brotherjakemiller")
        assert response.status_code == 404 and "BrotherJakeMiller" not in response.get_data(as_text=True)


@pytest.mark.parametrize("how", HOW)
def test_the_api_answers_a_tag_only_hidden_posts_carry_as_an_unknown_tag(app, member, moderator, how):
    hidden_from_others(member, moderator, how)
    dark = ApiClient(app, "none").get("/tags/brotherjakemiller/posts")
    unknown = ApiClient(app, "none").get("/tags/nosuchtagatall/posts")
    assert dark.status_code == unknown.status_code == 404
    assert dark.get_json() == unknown.get_json() and "BrotherJakeMiller" not in dark.get_data(as_text=True)


def test_the_tag_page_goes_when_its_last_visible_post_is_removed(client, member, moderator):
    post = make_post(member, "Missing him", WORDS)
    assert client.get("/tags/brotherjakemiller").status_code == 200
    moderate(moderator, post, "remove")
    assert client.get("/tags/brotherjakemiller").status_code == 404
    moderate(moderator, db.session.get(Post, post.id), "approve")
    assert client.get("/tags/brotherjakemiller").status_code == 200


def test_a_tag_with_one_visible_post_stays_whatever_else_was_removed(client, member, other_member, moderator):
    moderate(moderator, make_post(member, "Missing him", WORDS), "remove")
    make_post(other_member, "Remembering", "A song for #BrotherJakeMiller.")
    assert client.get("/tags/brotherjakemiller").status_code == 200


def test_the_author_of_a_held_post_and_moderators_still_see_its_tag(app, signed_in, mod_visitor, member, moderator):
    hidden_from_others(member, moderator, "held")
    for reader in (signed_in, mod_visitor):
        response = reader.get("/tags/brotherjakemiller")
        assert response.status_code == 200 and "BrotherJakeMiller" in response.get_data(as_text=True)
    assert ApiClient(app, "read_token", member).get("/tags/brotherjakemiller/posts").status_code == 200
    assert ApiClient(app, "read_token", moderator).get("/tags/brotherjakemiller/posts").status_code == 200


def test_moderators_see_a_removed_posts_tag(mod_visitor, member, moderator):
    hidden_from_others(member, moderator, "remove")
    assert mod_visitor.get("/tags/brotherjakemiller").status_code == 200


def test_nobody_can_follow_or_mute_a_tag_they_may_not_know(signed_in_other, member, moderator):
    hidden_from_others(member, moderator, "remove")
    for action in ("follow", "mute", "unfollow", "unmute"):
        assert signed_in_other.post(f"/tags/brotherjakemiller/{action}").status_code == 404


def test_a_member_who_followed_a_tag_before_its_posts_went_can_still_unfollow_it(signed_in_other, other_member,
                                                                                   member, moderator):
    post = make_post(member, "Missing him", WORDS)
    set_tag_mode(other_member, find_hashtag("BrotherJakeMiller"), FOLLOW)
    db.session.commit()
    moderate(moderator, post, "remove")
    assert signed_in_other.get("/tags/brotherjakemiller").status_code == 200
    assert signed_in_other.post("/tags/brotherjakemiller/unfollow").status_code == 302
    assert signed_in_other.get("/tags/brotherjakemiller").status_code == 404


def test_a_profile_lists_no_followed_tag_the_reader_may_not_know(app, client, signed_in_other, other_member, member,
                                                                 moderator):
    post = make_post(member, "Missing him", WORDS)
    set_tag_mode(other_member, find_hashtag("BrotherJakeMiller"), FOLLOW)
    db.session.commit()
    assert "#BrotherJakeMiller" in client.get("/u/MapleAndTea").get_data(as_text=True)
    moderate(moderator, post, "remove")
    assert "#BrotherJakeMiller" not in client.get("/u/MapleAndTea").get_data(as_text=True)
    assert ApiClient(app, "none").get("/members/MapleAndTea").get_json()["member"]["followed_tags"] == []
    assert "#BrotherJakeMiller" in signed_in_other.get("/u/MapleAndTea").get_data(as_text=True)  # their own


@pytest.mark.parametrize("how", HOW)
def test_search_answers_a_filter_by_a_tag_only_hidden_posts_carry_as_an_unknown_tag(member, moderator, how):
    hidden_from_others(member, moderator, how)
    make_post(member, "Thinking today", "Thinking about the week.")
    dark = search(None, "thinking", SearchFilters(tag="brotherjakemiller"))
    unknown = search(None, "thinking", SearchFilters(tag="nosuchtagatall"))
    assert dark.results == []
    assert dark.notices == (unknown.notices[0].replace("nosuchtagatall", "brotherjakemiller"),)


def test_the_guides_filter_does_not_spell_out_a_tag_only_hidden_posts_carry(client, member, moderator):
    hidden_from_others(member, moderator, "remove")
    page = client.get("/guides?tag=brotherjakemiller").get_data(as_text=True)
    assert "BrotherJakeMiller" not in page and "brotherjakemiller" in page  # the reader's own spelling, echoed


def test_a_guide_links_no_community_page_that_only_hidden_posts_carry(client, member, moderator):
    post = make_post(member, "Day thirty", "A month in. #sobriety")
    assert 'href="/tags/sobriety"' in client.get("/guides/stepping-down-after-inpatient").get_data(as_text=True)
    moderate(moderator, post, "remove")
    assert 'href="/tags/sobriety"' not in client.get("/guides/stepping-down-after-inpatient").get_data(as_text=True)


def test_a_merged_tag_leads_nowhere_when_the_tag_it_became_has_only_hidden_posts(client, member, moderator):
    post = make_post(member, "Missing him", WORDS)
    make_post(member, "Old name", "Still #JakeM.")
    merge_tags(moderator, "JakeM", "BrotherJakeMiller")
    db.session.commit()
    assert client.get("/tags/jakem").status_code == 301
    moderate(moderator, db.session.get(Post, post.id), "remove")
    moderate(moderator, db.session.scalars(db.select(Post).where(Post.title == "Old name")).one(), "remove")
    response = client.get("/tags/jakem")
    assert response.status_code == 404 and "BrotherJakeMiller" not in response.get_data(as_text=True)
