"""Replies, one level of nesting, and what they do to their post."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Reply
from tests.helpers import make_member, make_post, make_reply


def test_reply_appears_under_the_post(signed_in_other, member):
    post = make_post(member)
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "You're not alone in this. 💛"})
    reply = db.session.scalars(select(Reply)).one()
    assert response.headers["Location"] == f"/posts/{post.id}#reply-{reply.id}"
    assert "You're not alone in this. 💛" in signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)


def test_first_reply_from_someone_else_answers_the_post(app, member, other_member):
    post = make_post(member)
    make_reply(member, post, "Adding a little more context.")
    db.session.refresh(post)
    assert post.reply_count == 1 and post.first_response_at is None
    reply = make_reply(other_member, post)
    db.session.refresh(post)
    assert post.reply_count == 2 and post.first_response_at == reply.created_at
    assert post.last_activity_at == reply.created_at


def test_answer_to_a_reply_nests_under_it(signed_in_other, member, other_member):
    post = make_post(member)
    first = make_reply(member, post, "Thank you for reading.")
    signed_in_other.post(f"/posts/{post.id}/replies", {"body": "Any time.", "parent_id": str(first.id)})
    answer = db.session.scalars(select(Reply).where(Reply.parent_id == first.id)).one()
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)
    assert page.index(f'id="reply-{first.id}"') < page.index('class="answers"') < page.index(f'id="reply-{answer.id}"')


def test_nesting_stops_at_one_level(app, member, other_member):
    post = make_post(member)
    top = make_reply(other_member, post)
    nested = make_reply(member, post, "Thank you.", parent=top)
    deeper = make_reply(other_member, post, "Glad to be here.", parent=nested)
    assert nested.parent_id == top.id and deeper.parent_id == top.id


def test_answering_a_reply_of_another_post_is_refused(signed_in_other, member):
    post = make_post(member, title="one")
    elsewhere = make_post(member, title="two")
    stray = make_reply(member, elsewhere)
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "hi", "parent_id": str(stray.id)})
    assert response.status_code == 409 and 'name="parent_id"' not in response.get_data(as_text=True)
    assert db.session.scalars(select(Reply).where(Reply.post_id == post.id)).all() == []


@pytest.mark.parametrize("body,message", [("", "Write a few words"), ("y" * 10_001, "Replies can be up to 10,000")])
def test_invalid_reply_keeps_the_text(signed_in_other, member, body, message):
    post = make_post(member)
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": body})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and body[:100] in page
    assert db.session.scalars(select(Reply)).all() == []


def test_author_edits_their_reply(signed_in_other, member, other_member):
    post = make_post(member)
    reply = make_reply(other_member, post, "first words")
    assert signed_in_other.post(f"/replies/{reply.id}/edit", {"body": "kinder words"}).status_code == 302
    db.session.refresh(reply)
    assert reply.body == "kinder words" and "kinder words" in reply.body_html and reply.edited_at


@pytest.mark.parametrize("path", ["/replies/{id}/edit", "/replies/{id}/delete"])
def test_others_cannot_change_a_reply(signed_in, member, other_member, path):
    post = make_post(member)
    reply = make_reply(other_member, post)
    assert signed_in.post(path.format(id=reply.id), {"body": "changed"}).status_code == 403
    db.session.refresh(reply)
    assert reply.body == "I hear you. Sending strength."


def test_deleting_a_reply_nobody_answered_removes_it(signed_in_other, member, other_member):
    post = make_post(member)
    reply = make_reply(other_member, post)
    assert signed_in_other.post(f"/replies/{reply.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Reply)).all() == []
    post = db.session.get(Post, post.id)
    assert post.reply_count == 0 and post.first_response_at is None and post.last_activity_at == post.created_at


def test_deleting_an_answered_reply_leaves_a_deleted_marker(signed_in_other, member, other_member):
    post = make_post(member)
    reply = make_reply(other_member, post, "words I want gone")
    make_reply(member, post, "thank you", parent=reply)
    signed_in_other.post(f"/replies/{reply.id}/delete")
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "[deleted]" in page and "words I want gone" not in page and "thank you" in page
    db.session.expire_all()
    assert db.session.get(Post, post.id).reply_count == 1


def test_marker_goes_when_its_last_answer_goes(app, member, other_member):
    from forum.services.replies import delete_reply
    post = make_post(member)
    reply = make_reply(other_member, post)
    answer = make_reply(member, post, "thank you", parent=reply)
    delete_reply(reply)
    delete_reply(answer)
    db.session.commit()
    assert db.session.scalars(select(Reply)).all() == []


def test_anonymous_reader_is_invited_to_sign_in(client, member):
    post = make_post(member)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "to reply" in page and "<textarea" not in page


def test_reply_link_prefills_the_thread(signed_in_other, member):
    post = make_post(member)
    reply = make_reply(make_member("third_voice"), post)
    page = signed_in_other.get(f"/posts/{post.id}?reply_to={reply.id}").get_data(as_text=True)
    assert f'name="parent_id" type="hidden" value="{reply.id}"' in page
