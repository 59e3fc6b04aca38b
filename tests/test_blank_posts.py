"""Titles, posts and replies that would show nothing are refused with the usual words, on every way in; optional
fields that would show nothing are simply empty."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Flag, Post, Reply
from forum.services import DomainError
from forum.services.posts import create_post, edit_post
from forum.services.replies import add_reply, edit_reply
from tests.api_support import ApiClient
from tests.helpers import make_post, make_reply
from tests.test_moderation import act, queued_post

TITLE_NEEDED = "Give your post a title"
WORDS_NEEDED = "Write a few words"
INVISIBLE_BODIES = ["\u200b", "\u2800", "&#8203;", "&nbsp;", "[]()", "\u3164\n\n\u200d"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("title,body,messages", [
    ("\u200b\u200b", "\u200b", [TITLE_NEEDED, WORDS_NEEDED]),
    ("\u3164", "\u2800", [TITLE_NEEDED, WORDS_NEEDED]),
    ("A real title", "&nbsp;", [WORDS_NEEDED]),
    ("\u115f\u1160\uffa0", "Real words here.", [TITLE_NEEDED]),
])
def test_a_post_that_shows_nothing_is_refused_and_keeps_what_was_typed(signed_in, title, body, messages):
    response = signed_in.post("/posts/new", {"title": title, "body": body, "tags": "hope"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert all(message in page for message in messages)
    assert (TITLE_NEEDED in page) == (TITLE_NEEDED in messages)
    assert "Real words here." in page or body != "Real words here."
    assert count(Post) == 0


@pytest.mark.parametrize("body", INVISIBLE_BODIES)
def test_a_blank_reply_is_refused_and_the_post_still_needs_a_reply(signed_in_other, member, body):
    post = make_post(member, title="Anyone around tonight")
    assert "Anyone around tonight" in signed_in_other.get("/needs-reply").get_data(as_text=True)
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": body})
    assert response.status_code == 422 and WORDS_NEEDED in response.get_data(as_text=True)
    assert count(Reply) == 0
    db.session.refresh(post)
    assert post.first_response_at is None
    assert "Anyone around tonight" in signed_in_other.get("/needs-reply").get_data(as_text=True)


def test_a_reply_with_words_still_answers_the_post(signed_in_other, member):
    post = make_post(member, title="Anyone around tonight")
    assert signed_in_other.post(f"/posts/{post.id}/replies", {"body": "\u200bI'm here."}).status_code == 302
    assert "Anyone around tonight" not in signed_in_other.get("/needs-reply").get_data(as_text=True)


def test_editing_a_post_to_nothing_visible_is_refused_and_keeps_the_old_words(signed_in, member):
    post = make_post(member, title="Before", body="Words that stay.")
    response = signed_in.post(f"/posts/{post.id}/edit", {"title": "\u200b", "body": "[]()"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and TITLE_NEEDED in page and WORDS_NEEDED in page
    db.session.refresh(post)
    assert (post.title, post.body) == ("Before", "Words that stay.")


def test_editing_a_reply_to_nothing_visible_is_refused(signed_in_other, member, other_member):
    reply = make_reply(other_member, make_post(member), "First words.")
    response = signed_in_other.post(f"/replies/{reply.id}/edit", {"body": "&#8203;"})
    assert response.status_code == 422 and WORDS_NEEDED in response.get_data(as_text=True)
    db.session.refresh(reply)
    assert reply.body == "First words."


def test_the_api_refuses_a_blank_post_and_reply_field_by_field(app, member, other_member):
    api = ApiClient(app, "write_token", member)
    response = api.post("/posts", json={"title": "\u3164", "body": "\u2800"})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert TITLE_NEEDED in fields["title"][0] and WORDS_NEEDED in fields["body"][0]
    post = make_post(other_member)
    response = api.post(f"/posts/{post.id}/replies", json={"body": "&nbsp;"})
    assert response.status_code == 422 and WORDS_NEEDED in response.get_json()["error"]["fields"]["body"][0]
    assert count(Reply) == 0 and count(Post) == 1


def test_the_services_refuse_what_would_show_nothing_whatever_calls_them(member, other_member):
    """The last word, for ways in that bypass the forms (the demo seed, the CLI, code yet to be written)."""
    with pytest.raises(DomainError, match=TITLE_NEEDED):
        create_post(member, "\u200b", "Words.")
    with pytest.raises(DomainError, match=WORDS_NEEDED):
        create_post(member, "Title", "[]()")
    post = make_post(member)
    with pytest.raises(DomainError, match=WORDS_NEEDED):
        add_reply(other_member, post, "\u2800")
    with pytest.raises(DomainError, match=TITLE_NEEDED):
        edit_post(post, "\u3164", "Words.")
    reply = make_reply(other_member, post)
    with pytest.raises(DomainError, match=WORDS_NEEDED):
        edit_reply(reply, "&nbsp;")


def test_a_content_warning_that_shows_nothing_folds_nothing(signed_in):
    response = signed_in.post("/posts/new", {"title": "Rough night", "body": "Words.", "content_warning": "\u200b"})
    assert response.status_code == 302
    assert db.session.scalars(select(Post)).one().content_warning == ""


def test_a_bio_and_pronouns_that_show_nothing_are_empty(signed_in, member):
    response = signed_in.post("/settings", {"country": "", "bio": "\u3164\u200b", "pronouns": "\u2800"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.bio, member.pronouns) == ("", "")


def test_a_flag_note_that_shows_nothing_is_no_note(signed_in_other, member):
    post = make_post(member)
    response = signed_in_other.post(f"/posts/{post.id}/flag", {"reason": "other", "note": "\u200b"})
    assert response.status_code == 422
    assert "tell the moderators in a few words" in response.get_data(as_text=True)
    assert count(Flag) == 0


def test_a_moderators_reason_that_shows_nothing_is_no_reason(mod_visitor, member):
    post, item = queued_post(member)
    response = act(mod_visitor, item, "hide", reason="\u200b\u3164")
    assert response.status_code == 422 and "Please give a reason" in response.get_data(as_text=True)
    db.session.refresh(post)
    assert post.status == "visible"
