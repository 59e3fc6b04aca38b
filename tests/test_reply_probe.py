"""A hidden reply's existence can't be probed through `reply_to` or `parent_id`: it answers like no reply."""
import html

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Reply
from forum.posts.views import PARENT_GONE
from tests.helpers import Visitor, make_member, make_post, make_reply

ANSWERING = "You're answering a reply."


@pytest.fixture
def thread(member, other_member):
    post = make_post(other_member, title="Anyone awake?", body="Long night.")
    hidden = make_reply(member, post, body="Words a moderator hid.")
    hidden.status = "hidden"
    shown = make_reply(member, post, body="Words everyone can read.")
    db.session.commit()
    return post, hidden, shown


@pytest.fixture
def reader(app):
    visitor = Visitor(app.test_client())
    visitor.sign_in(make_member("curious_reader").username)
    return visitor


def replies() -> int:
    return db.session.scalar(select(func.count()).select_from(Reply))


def test_answering_a_hidden_reply_is_the_same_answer_as_answering_none(reader, thread):
    post, hidden, shown = thread
    before = replies()
    answers = []
    for parent_id in (hidden.id, 999_999):
        response = reader.post(f"/posts/{post.id}/replies", {"body": "Hello?", "parent_id": str(parent_id)})
        page = response.get_data(as_text=True)
        # The words stay in the box, to answer the post; nothing says which of the two was asked about.
        answers.append((response.status_code, PARENT_GONE in html.unescape(page), 'name="parent_id"' in page))
    assert answers == [(409, True, False)] * 2
    assert replies() == before
    assert reader.post(f"/posts/{post.id}/replies", {"body": "Hello!", "parent_id": str(shown.id)}).status_code == 302


def test_reply_to_a_hidden_reply_leaves_no_trace_in_the_form(reader, thread):
    post, hidden, shown = thread
    hidden_page = reader.get(f"/posts/{post.id}?reply_to={hidden.id}").get_data(as_text=True)
    assert ANSWERING not in hidden_page and 'name="parent_id"' not in hidden_page
    assert ANSWERING in reader.get(f"/posts/{post.id}?reply_to={shown.id}").get_data(as_text=True)


def test_the_author_of_a_hidden_reply_can_still_answer_in_its_thread(signed_in, thread):
    post, hidden, _ = thread
    assert ANSWERING in signed_in.get(f"/posts/{post.id}?reply_to={hidden.id}").get_data(as_text=True)

