"""Moderators versus admins: a moderator can't act against an admin's words or account, undo an admin's
decision or delete an admin's watched word; an admin can do all of these (README, "Who moderates whom")."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModerationAction, Post, Priority, ReasonKind, Role, WatchedWord
from forum.services import NotAllowed
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.moderation.undo import undo_action
from forum.services.watched import add_watched_word, delete_watched_word
from tests.helpers import Visitor, make_member, make_post

REASON = "Testing who may act"


@pytest.fixture
def admin(app):
    return make_member("lantern_admin", Role.ADMIN)


@pytest.fixture
def second_admin(app):
    return make_member("second_admin", Role.ADMIN)


def queued(author):
    post = make_post(author, title="Staff words", body="Words for the queue.")
    item = add_reason(post, ReasonKind.FLAG.value, {"label": "Spam"}, Priority.ROUTINE)
    db.session.commit()
    return post, item


def signed_in_as(app, member) -> Visitor:
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    return visitor


@pytest.mark.parametrize("action", ["hide", "remove", "lock", "content_warning", "warn", "message"])
def test_a_moderator_cannot_act_against_an_admins_words(moderator, admin, action):
    post, item = queued(admin)
    with pytest.raises(NotAllowed, match="only an admin"):
        take_action(moderator, item, item.version, action, reason=REASON, warning_text="grief",
                    message_key="checking_in")
    db.session.rollback()
    assert db.session.get(Post, post.id).status == "visible"


def test_a_moderator_is_told_why_on_the_item_page_and_keeps_their_reason(app, moderator, admin):
    post, item = queued(admin)
    response = signed_in_as(app, moderator).post(f"/moderation/items/{item.id}/act",
                                                 {"action": "hide", "version": str(item.version), "reason": REASON})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "only an admin can do that here" in page and REASON in page
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible"


def test_a_moderator_may_still_approve_and_claim_an_admins_item(moderator, admin):
    _, item = queued(admin)
    take_action(moderator, item, item.version, "claim")
    take_action(moderator, item, item.version, "approve")
    db.session.commit()


def test_an_admin_can_act_on_another_admins_words(admin, second_admin):
    post, item = queued(second_admin)
    take_action(admin, item, item.version, "hide", reason=REASON)
    db.session.commit()
    assert db.session.get(Post, post.id).status == "hidden"


def test_moderators_still_act_on_each_others_words(moderator):
    peer = make_member("peer_moderator", Role.MODERATOR)
    post, item = queued(peer)
    take_action(moderator, item, item.version, "hide", reason=REASON)
    db.session.commit()
    assert db.session.get(Post, post.id).status == "hidden"


def test_a_moderator_cannot_undo_an_admins_action_but_an_admin_can(app, member, moderator, admin, second_admin):
    post, item = queued(member)
    record = take_action(admin, item, item.version, "hide", reason=REASON)
    db.session.commit()
    response = signed_in_as(app, moderator).post(f"/moderation/actions/{record.id}/undo", follow_redirects=True)
    assert "only an admin can undo it" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "hidden"
    undo_action(second_admin, db.session.get(ModerationAction, record.id))
    db.session.commit()
    assert db.session.get(Post, post.id).status == "visible"


def test_an_admin_can_undo_a_moderators_action(member, moderator, admin):
    post, item = queued(member)
    record = take_action(moderator, item, item.version, "hide", reason=REASON)
    db.session.commit()
    undo_action(admin, record)
    db.session.commit()
    assert db.session.get(Post, post.id).status == "visible"


def test_a_moderator_cannot_delete_an_admins_watched_word(app, moderator, admin):
    word = add_watched_word(admin, "buy followers", "flag")
    db.session.commit()
    response = signed_in_as(app, moderator).post(f"/moderation/words/{word.id}/delete", follow_redirects=True)
    assert "only an admin can remove it" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(WatchedWord)) == 1
    with pytest.raises(NotAllowed):
        delete_watched_word(moderator, db.session.get(WatchedWord, word.id))
    db.session.rollback()


def test_admins_and_moderators_delete_moderators_words_and_admins_delete_admins(moderator, admin, second_admin):
    for phrase, added_by, deleter in (("one", moderator, moderator), ("two", moderator, admin),
                                      ("three", admin, second_admin)):
        word = add_watched_word(added_by, phrase, "flag")
        delete_watched_word(deleter, word)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(WatchedWord)) == 0
