"""Hearts: one per member per post or reply, enforced by the database too."""
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import forum.services.hearts as heart_service
from forum.extensions import db
from forum.models import Heart, Post
from forum.services.hearts import set_heart
from tests.helpers import count_queries, make_post, make_reply


def hearts() -> int:
    return db.session.scalar(select(func.count()).select_from(Heart))


def test_heart_with_a_plain_form(signed_in_other, member):
    post = make_post(member)
    response = signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "1"})
    assert response.status_code == 302 and response.headers["Location"] == f"/posts/{post.id}#post"
    db.session.refresh(post)
    assert post.heart_count == 1 and hearts() == 1
    assert 'aria-pressed="true"' in signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)


def test_heart_again_is_a_no_op(signed_in_other, member):
    post = make_post(member)
    for _ in range(3):
        signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "1"})
    db.session.refresh(post)
    assert post.heart_count == 1 and hearts() == 1


def test_taking_a_heart_back(signed_in_other, member):
    post = make_post(member)
    signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "1"})
    signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "0"})
    signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "0"})
    db.session.refresh(post)
    assert post.heart_count == 0 and hearts() == 0


def test_heart_answers_json_for_scripts(signed_in_other, member):
    post = make_post(member)
    response = signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "1"},
                                    headers={"Accept": "application/json"})
    assert response.get_json() == {"hearted": True, "count": 1}


def test_heart_on_a_reply(signed_in, member, other_member):
    post = make_post(member)
    reply = make_reply(other_member, post)
    signed_in.post(f"/replies/{reply.id}/heart", {"hearted": "1"})
    db.session.refresh(reply)
    assert reply.heart_count == 1


def test_members_cannot_heart_their_own_words(signed_in, member):
    post = make_post(member)
    assert signed_in.post(f"/posts/{post.id}/heart", {"hearted": "1"}).status_code == 403
    assert hearts() == 0


def test_heart_needs_a_csrf_token(signed_in_other, member):
    post = make_post(member)
    assert signed_in_other.client.post(f"/posts/{post.id}/heart", data={"hearted": "1"}).status_code == 400
    assert hearts() == 0


def test_anonymous_heart_goes_to_sign_in(visitor, member):
    post = make_post(member)
    response = visitor.post(f"/posts/{post.id}/heart", {"hearted": "1"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("target", ["post", "reply"])
def test_database_refuses_a_second_heart_inserted_directly(app, member, other_member, target):
    post = make_post(member)
    reply = make_reply(member, post)
    column = {"post": {"post_id": post.id}, "reply": {"reply_id": reply.id}}[target]
    db.session.add(Heart(user_id=other_member.id, **column))
    db.session.commit()
    db.session.add(Heart(user_id=other_member.id, **column))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_database_refuses_a_heart_on_nothing_or_on_both(app, member, other_member):
    post = make_post(member)
    reply = make_reply(member, post)
    for fields in ({}, {"post_id": post.id, "reply_id": reply.id}):
        db.session.add(Heart(user_id=other_member.id, **fields))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_deleting_a_post_takes_its_hearts(app, member, other_member):
    from forum.services.posts import delete_post
    post = make_post(member)
    set_heart(other_member, post, True)
    db.session.commit()
    delete_post(db.session.get(Post, post.id))
    db.session.commit()
    assert hearts() == 0


class FakeDelivery:
    """Stands in for the heart's notification: `send` is called once the heart is stored and counted."""

    def __init__(self, send):
        self.send = send


@pytest.fixture
def notified(monkeypatch) -> list[tuple[int, int]]:
    """Stand in for the heart's notification, noting (heart rows, the target's heart_count) when it is sent."""
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(heart_service, "heart_delivery", lambda sender, target: FakeDelivery(
        lambda: calls.append((hearts(), target.heart_count))))
    return calls


def test_a_new_heart_notifies_once_it_is_stored_and_counted(member, other_member, notified):
    post = make_post(member)
    assert set_heart(other_member, post, True) is True
    assert notified == [(1, 1)]


def test_a_repeat_heart_notifies_nobody(member, other_member, notified):
    post = make_post(member)
    set_heart(other_member, post, True)
    db.session.commit()
    assert set_heart(other_member, post, True) is False
    assert len(notified) == 1


def test_taking_a_heart_back_notifies_nobody(member, other_member, notified):
    post = make_post(member)
    db.session.add(Heart(user_id=other_member.id, post_id=post.id))
    db.session.commit()
    set_heart(other_member, post, False)
    assert notified == []


def test_a_failure_while_notifying_is_not_taken_for_a_repeat_heart(monkeypatch, member, other_member):
    def failing():
        raise IntegrityError("INSERT INTO notifications", {}, Exception("unique constraint"))
    monkeypatch.setattr(heart_service, "heart_delivery", lambda sender, target: FakeDelivery(failing))
    post = make_post(member)
    with pytest.raises(IntegrityError):  # the view rolls back; a new heart is never silently left uncounted
        set_heart(other_member, post, True)
    db.session.rollback()


def test_a_savepoint_first_in_a_transaction_is_undone_with_it(member, other_member):
    """On SQLite a SAVEPOINT sent before any write used to start a transaction of its own, committed by its
    RELEASE: the rollback after it undid nothing (forum.web._begin_before_savepoint)."""
    post = make_post(member)
    db.session.commit()
    with db.session.begin_nested():
        db.session.add(Heart(user_id=other_member.id, post_id=post.id))
    db.session.rollback()
    assert hearts() == 0


def _heart_form_of(page: str, reply_id: int) -> dict[str, str]:
    """The hidden fields of the heart button of this reply on a rendered page (the CSRF token left to the client)."""
    form = re.search(rf'<form[^>]*action="/replies/{reply_id}/heart".*?</form>', page, re.S).group(0)
    return {name: value for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
            if name != "csrf_token"}


def _finds_the_page(sent: list[str]) -> bool:
    """Whether the reply's page was worked out: the one query that walks back through the threads by OFFSET."""
    return any("OFFSET" in statement for statement in sent)


def test_a_plain_form_heart_goes_back_to_the_page_it_was_sent_from(app, signed_in_other, member):
    app.config["REPLIES_PER_PAGE"] = 2
    post = make_post(member)
    replies = [make_reply(member, post, f"Still here, day {day}.") for day in range(5)]
    second_page_link = re.search(r'rel="next" href="([^"]+)"',
                                 signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)).group(1)
    cursor = second_page_link.split("after=", 1)[1].split("#", 1)[0]
    target = replies[2]  # the first thread of the second page
    fields = _heart_form_of(signed_in_other.get(second_page_link).get_data(as_text=True), target.id)
    assert fields == {"hearted": "1", "page": cursor}
    expected = f"/posts/{post.id}?after={cursor}#reply-{target.id}"
    assert signed_in_other.token  # fetched now, so the statements counted below are the heart's alone
    with count_queries(db.engine) as sent:
        landed = signed_in_other.post(f"/replies/{target.id}/heart", fields)
    assert landed.status_code == 302 and landed.headers["Location"] == expected
    assert not _finds_the_page(sent)
    db.session.refresh(target)
    assert target.heart_count == 1
    # Without the field (an older form), or with one that isn't a cursor, the page is worked out: the same one.
    for fields in ({"hearted": "0"}, {"hearted": "1", "page": "not-a-cursor"}):
        with count_queries(db.engine) as sent:
            landed = signed_in_other.post(f"/replies/{target.id}/heart", fields)
        assert landed.headers["Location"] == expected and _finds_the_page(sent)
    # The first page's buttons say so with an empty page, and land on the post's first page.
    first = _heart_form_of(signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True), replies[0].id)
    assert first == {"hearted": "1", "page": ""}
    landed = signed_in_other.post(f"/replies/{replies[0].id}/heart", first)
    assert landed.headers["Location"] == f"/posts/{post.id}#reply-{replies[0].id}"
