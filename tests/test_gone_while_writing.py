"""What a member answers or edits can go away while they write: deleted by its author, hidden, removed or closed
by a moderator. Nothing is sent then, but the words they typed come back on the page that says so."""
import html
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Reply
from forum.posts.views import PARENT_GONE
from tests.helpers import CSRF_INPUT, make_reply
from tests.test_kept_words import kept_form
from tests.test_moderation import act, queued_post

WORDS = "I read this at 3am and wanted you to know\nyou are not the only one awake."
SUBMISSION_KEY = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')
KEPT_REPLY = re.compile(r'<textarea id="kept-reply" readonly[^>]*>(.*?)</textarea>', re.S)


def open_reply_box(visitor, post_id: int, reply_to: int | None = None) -> dict[str, str]:
    """The reply box's hidden fields, as the page gave them when the member started writing."""
    page = visitor.get(f"/posts/{post_id}" + (f"?reply_to={reply_to}" if reply_to else "")).get_data(as_text=True)
    fields = {"csrf_token": CSRF_INPUT.search(page).group(1), "submission_key": SUBMISSION_KEY.search(page).group(1)}
    if reply_to:
        fields["parent_id"] = str(reply_to)
    return fields


def replies() -> int:
    return db.session.scalar(select(func.count()).select_from(Reply))


def send_reply(visitor, post_id: int, fields: dict[str, str]):
    return visitor.client.post(f"/posts/{post_id}/replies", data={**fields, "body": WORDS})


def test_a_reply_to_a_post_its_author_deleted_meanwhile_comes_back_on_the_page(signed_in, signed_in_other, member):
    post, _ = queued_post(member)
    fields = open_reply_box(signed_in_other, post.id)
    assert signed_in.post(f"/posts/{post.id}/delete").status_code == 302

    response = send_reply(signed_in_other, post.id, fields)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "That isn&#39;t here any more" in page and "deleted or taken down while you were writing" in page
    _, kept = kept_form(page)
    assert kept["body"] == WORDS
    assert "csrf_token" not in kept and "Send it again" not in page, "there is nowhere left to send it"


@pytest.mark.parametrize("action", ["hide", "remove"])
def test_a_reply_to_a_post_a_moderator_took_down_meanwhile_comes_back(mod_visitor, signed_in_other, member, action):
    post, item = queued_post(member)
    fields = open_reply_box(signed_in_other, post.id)
    assert act(mod_visitor, item, action, reason="Off topic here.").status_code == 302

    response = send_reply(signed_in_other, post.id, fields)
    assert response.status_code == 404
    _, kept = kept_form(response.get_data(as_text=True))
    assert kept["body"] == WORDS
    assert replies() == 0


def test_a_reply_to_a_post_locked_meanwhile_keeps_its_words_where_the_box_was(mod_visitor, signed_in_other, member):
    post, item = queued_post(member)
    fields = open_reply_box(signed_in_other, post.id)
    assert act(mod_visitor, item, "lock").status_code == 302

    response = send_reply(signed_in_other, post.id, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "closed this post to new replies while you were writing" in page
    assert html.unescape(KEPT_REPLY.search(page).group(1)) == WORDS
    assert 'name="body"' not in page, "the words are there to copy, not a box that can't be sent"
    assert replies() == 0


def test_the_authors_own_reply_to_their_post_hidden_meanwhile_comes_back(mod_visitor, signed_in, member):
    post, item = queued_post(member)
    fields = open_reply_box(signed_in, post.id)
    assert act(mod_visitor, item, "hide", reason="Needs a content warning first.").status_code == 302

    response = send_reply(signed_in, post.id, fields)  # the author still sees their hidden post
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "isn&#39;t open for replies right now" in page
    assert html.unescape(KEPT_REPLY.search(page).group(1)) == WORDS


def test_answering_a_reply_deleted_meanwhile_keeps_the_words_to_answer_the_post(signed_in, signed_in_other, member,
                                                                                 other_member):
    post, _ = queued_post(other_member)
    answered = make_reply(member, post, body="Does anyone else lie awake?")
    fields = open_reply_box(signed_in_other, post.id, reply_to=answered.id)
    assert signed_in.post(f"/replies/{answered.id}/delete").status_code == 302

    response = send_reply(signed_in_other, post.id, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert PARENT_GONE in html.unescape(page)
    assert 'name="parent_id"' not in page, "sent again, it answers the post"
    assert html.escape(WORDS) in page.split('name="body"', 1)[1].split("</textarea>", 1)[0]
    assert replies() == 0

    refilled = {"csrf_token": fields["csrf_token"], "submission_key": SUBMISSION_KEY.search(page).group(1),
                "body": WORDS}
    assert signed_in_other.client.post(f"/posts/{post.id}/replies", data=refilled).status_code == 302
    sent = db.session.scalars(select(Reply)).one()
    assert sent.body == WORDS and sent.parent_id is None


def test_editing_a_post_deleted_in_another_tab_gives_the_edit_back(signed_in, member):
    post, _ = queued_post(member)
    edit_page = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    based_on = re.search(r'name="based_on"[^>]*value="([^"]*)"', edit_page).group(1)
    assert signed_in.post(f"/posts/{post.id}/delete").status_code == 302  # the other tab

    edit = {"title": "Needs a look, said better", "body": "What I meant to say all along. #Anxiety",
            "based_on": based_on}
    response = signed_in.post(f"/posts/{post.id}/edit", edit)
    assert response.status_code == 404
    _, kept = kept_form(response.get_data(as_text=True))
    assert kept["title"] == edit["title"] and kept["body"] == edit["body"]
