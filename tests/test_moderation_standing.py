"""Moderation decisions that must not leak past their moment: a claim on a closed item, an undo of an action a later
one replaced, an undo of something that is gone, a moderator quietly reversing an admin."""
import html
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import ModerationAction, ModerationItem, Post, Priority, Role, User, utcnow
from forum.services.moderation.actions import take_action
from forum.services.moderation.alerts import overdue_crisis_items
from forum.services.moderation.queue import add_reason
from forum.services.moderation.undo import undo_action
from forum.services.posts import delete_post, edit_post
from forum.services.privacy import delete_account
from tests.helpers import make_member, make_post

CRISIS_TEXT = "I want to die and I think tonight is the night."
AGAIN_IN_CRISIS = "I can't go on. I want to die and I think tonight is the night."


def act(visitor, item, action, **fields):
    db.session.refresh(item)
    return visitor.post(f"/moderation/items/{item.id}/act", {"action": action, "version": str(item.version), **fields},
                        follow_redirects=True)


def crisis_item(author) -> tuple[Post, ModerationItem]:
    post = make_post(author, title="Tonight", body=CRISIS_TEXT)
    return post, db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == post.id)).one()


def test_a_closed_item_cannot_be_claimed(mod_visitor, member):
    post, item = crisis_item(member)
    act(mod_visitor, item, "message", message_key="crisis_lines")
    act(mod_visitor, item, "approve")
    page = act(mod_visitor, item, "claim").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ModerationItem, item.id).claimed_by_id is None
    assert "This item is closed, so there is nothing to claim" in page
    assert "Claim it: I am on this" not in mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)


def test_a_reopened_crisis_is_unclaimed_and_alerts_again(mod_visitor, signed_in, member, moderator):
    post, item = crisis_item(member)
    act(mod_visitor, item, "claim")
    act(mod_visitor, item, "approve")
    # A claim left over from before the fix (or any other path) must not carry into the next opening.
    db.session.execute(update(ModerationItem).where(ModerationItem.id == item.id)
                       .values(claimed_by_id=moderator.id, claimed_at=utcnow()))
    db.session.commit()
    signed_in.post(f"/posts/{post.id}/edit", {"title": "Tonight", "body": AGAIN_IN_CRISIS})
    db.session.expire_all()
    item = db.session.get(ModerationItem, item.id)
    assert item.status == "open" and item.priority >= 100
    assert item.claimed_by_id is None and item.claimed_at is None
    assert "claimed by" not in mod_visitor.get("/moderation/").get_data(as_text=True)
    assert overdue_crisis_items("webhook", timedelta(0)) == [item.id]


def logged(action: str) -> list[ModerationAction]:
    return list(db.session.scalars(select(ModerationAction).where(ModerationAction.action == action)
                                   .order_by(ModerationAction.id)))


def undo(visitor, record: ModerationAction) -> str:
    return visitor.post(f"/moderation/actions/{record.id}/undo", follow_redirects=True).get_data(as_text=True)


def hidden_then_removed(mod_visitor, member) -> tuple[Post, ModerationItem]:
    """A flagged post a moderator hid, then removed, from the same item."""
    post = make_post(member, title="Selling things")
    item = add_reason(post, "flag", {"label": "Spam"}, Priority.ROUTINE)
    db.session.commit()
    act(mod_visitor, item, "hide", reason="Looks like spam")
    act(mod_visitor, item, "remove", reason="It is spam")
    return post, item


def test_undoing_a_hide_that_a_later_removal_replaced_is_refused(mod_visitor, member):
    post, item = hidden_then_removed(mod_visitor, member)
    page = undo(mod_visitor, logged("hide")[0])
    assert "since then you removed it, and that still stands" in html.unescape(page)
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "removed"
    assert db.session.get(ModerationItem, item.id).status == "resolved"
    assert logged("hide")[0].undone_at is None and logged("undo") == []


def test_undoing_the_later_action_first_then_the_earlier_one_goes_all_the_way_back(mod_visitor, member):
    post, item = hidden_then_removed(mod_visitor, member)
    undo(mod_visitor, logged("remove")[0])
    undo(mod_visitor, logged("hide")[0])
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible" and len(logged("undo")) == 2


def test_undoing_a_shorter_suspension_a_longer_one_replaced_is_refused(app, mod_visitor, member):
    other_moderator = make_member("tide_mod", Role.MODERATOR)
    post = make_post(member, title="Again")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    take_action(other_moderator, item, item.version, "suspend", reason="Harassing a member", suspend_days=2)
    take_action(other_moderator, item, item.version, "suspend", reason="Harassing again", suspend_days=30)
    db.session.commit()
    page = undo(mod_visitor, logged("suspend")[0])
    assert "since then tide_mod suspended the author, and that still stands" in html.unescape(page)
    db.session.expire_all()
    assert db.session.get(User, member.id).suspended_until > utcnow() + timedelta(days=29)


def test_undoing_a_lock_after_replies_were_reopened_is_refused(mod_visitor, member):
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    act(mod_visitor, item, "lock")
    act(mod_visitor, item, "unlock")
    page = undo(mod_visitor, logged("lock")[0])
    assert "since then you reopened replies, and that still stands" in html.unescape(page)
    db.session.expire_all()
    assert db.session.get(Post, post.id).replies_locked is False


def test_undoing_a_suspension_of_a_member_who_left_is_refused_calmly(mod_visitor, member):
    post = make_post(member, title="Again")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    act(mod_visitor, item, "suspend", suspend_days="3", reason="Harassing a member")
    record = logged("suspend")[0]
    delete_account(db.session.get(User, member.id), keep_words_anonymously=True)
    db.session.commit()
    response = mod_visitor.post(f"/moderation/actions/{record.id}/undo", follow_redirects=True)
    assert response.status_code == 200
    assert "That member is no longer here" in html.unescape(response.get_data(as_text=True))
    assert logged("undo") == []


@pytest.mark.parametrize("action, fields, refusal", [
    ("lock", {}, "That post is no longer here"),
    ("hide", {"reason": "Looks like spam"}, "What this action was on is no longer here"),
])
def test_undoing_an_action_on_a_post_its_author_deleted_is_refused_calmly(mod_visitor, member, action, fields,
                                                                          refusal):
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    act(mod_visitor, item, action, **fields)
    record = logged(action)[0]
    delete_post(db.session.get(Post, post.id))
    db.session.commit()
    response = mod_visitor.post(f"/moderation/actions/{record.id}/undo", follow_redirects=True)
    assert response.status_code == 200
    assert refusal in html.unescape(response.get_data(as_text=True))
    assert logged("undo") == []


@pytest.mark.parametrize("admin_action,fields,reversal,stays", [
    ("hide", {"reason": "Another member's details"}, "approve", lambda post: post.status == "hidden"),
    ("remove", {"reason": "Spam"}, "approve", lambda post: post.status == "removed"),
    ("lock", {}, "unlock", lambda post: post.replies_locked),
], ids=["approve after a hide", "approve after a removal", "unlock after a lock"])
def test_a_moderator_cannot_reverse_an_admins_standing_decision(mod_visitor, member, admin_action, fields,
                                                                 reversal, stays):
    admin = make_member("lantern_admin", Role.ADMIN)
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    take_action(admin, item, item.version, admin_action, **fields)
    db.session.commit()
    response = act(mod_visitor, item, reversal)
    assert response.status_code == 422
    assert "lantern_admin, an admin," in html.unescape(response.get_data(as_text=True))
    assert "only an admin can reverse it" in html.unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert stays(db.session.get(Post, post.id)) and logged(reversal) == []


def test_a_moderator_may_approve_once_the_admins_hide_was_undone(mod_visitor, member):
    admin = make_member("lantern_admin", Role.ADMIN)
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    hide = take_action(admin, item, item.version, "hide", reason="Another member's details")
    db.session.commit()
    undo_action(admin, hide)
    db.session.commit()
    assert act(mod_visitor, item, "approve").status_code == 200
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible" and len(logged("approve")) == 1


def admin_decided(member, action, **fields) -> tuple[Post, ModerationItem]:
    """A flagged post on which the admin lantern_admin took `action`."""
    admin = make_member("lantern_admin", Role.ADMIN)
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    take_action(admin, item, item.version, action, **fields)
    db.session.commit()
    return post, item


#: A moderator's action that would undo an admin's lifting or choice, what they typed, and what must stay.
AGAINST_THE_ADMIN = [
    ("approve", {}, "hide", {"reason": "Unkind to a member"}, "Unkind to a member",
     lambda post: post.status == "visible"),
    ("approve", {}, "remove", {"reason": "Looks like spam"}, "Looks like spam", lambda post: post.status == "visible"),
    ("unlock", {}, "lock", {}, None, lambda post: not post.replies_locked),
    ("content_warning", {"warning_text": "grief"}, "content_warning", {"warning_text": "self-harm"}, "self-harm",
     lambda post: post.content_warning == "grief"),
]
AGAINST_IDS = ["hide after an approval", "remove after an approval", "lock after a reopening",
               "a warning replacing theirs"]


@pytest.mark.parametrize("admin_action,admin_fields,action,fields,typed,stays", AGAINST_THE_ADMIN, ids=AGAINST_IDS)
def test_a_moderator_cannot_redo_what_an_admin_just_undid_or_chose(mod_visitor, member, admin_action, admin_fields,
                                                                   action, fields, typed, stays):
    post, item = admin_decided(member, admin_action, **admin_fields)
    response = act(mod_visitor, item, action, **fields)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "lantern_admin, an admin," in page and "talk to lantern_admin or another admin" in page
    assert "if the words are edited or a new flag or detector reason arrives, you can act on it then" in page
    if typed:
        assert typed in page, "what the moderator typed stays on the page"
    db.session.expire_all()
    assert stays(db.session.get(Post, post.id)) and by_the_moderator(action) == []


def by_the_moderator(action: str) -> list[ModerationAction]:
    return [record for record in logged(action) if record.moderator.role != Role.ADMIN.value]


def edited(post: Post) -> None:
    edit_post(db.session.get(Post, post.id), "Heated", "I took the worst of it out. #Depression")
    db.session.commit()


def flagged_again(post: Post) -> None:
    add_reason(db.session.get(Post, post.id), "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()


@pytest.mark.parametrize("new_harm", [edited, flagged_again], ids=["edited since", "flagged since"])
@pytest.mark.parametrize("admin_action,admin_fields,action,fields,typed,stays", AGAINST_THE_ADMIN, ids=AGAINST_IDS)
def test_new_harm_since_the_admins_decision_is_a_moderators_to_act_on(mod_visitor, member, new_harm, admin_action,
                                                                      admin_fields, action, fields, typed, stays):
    post, item = admin_decided(member, admin_action, **admin_fields)
    new_harm(post)
    assert act(mod_visitor, item, action, **fields).status_code == 200
    db.session.expire_all()
    assert not stays(db.session.get(Post, post.id)) and len(by_the_moderator(action)) == 1


def test_the_authors_request_for_a_second_review_is_no_new_harm(mod_visitor, member):
    post, item = admin_decided(member, "approve")
    add_reason(db.session.get(Post, post.id), "review_request", {}, Priority.ROUTINE)
    db.session.commit()
    assert act(mod_visitor, item, "hide", reason="Unkind to a member").status_code == 422
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible"


def test_an_edit_does_not_let_a_moderator_lift_an_admins_hide(mod_visitor, member):
    post, item = admin_decided(member, "hide", reason="Another member's details")
    edited(post)
    assert act(mod_visitor, item, "approve").status_code == 422
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "hidden" and logged("approve") == []


def test_an_admin_may_reverse_another_admins_decision(member):
    post, item = admin_decided(member, "approve")
    other_admin = make_member("harbour_admin", Role.ADMIN)
    take_action(other_admin, item, item.version, "hide", reason="Unkind to a member")
    db.session.commit()
    assert db.session.get(Post, post.id).status == "hidden"


#: A moderator's action an admin undid, what another moderator then types to take it again, and what must stay.
UNDONE_BY_THE_ADMIN = [
    ("hide", {"reason": "Unkind to a member"}, lambda post: post.status == "visible"),
    ("remove", {"reason": "Looks like spam"}, lambda post: post.status == "visible"),
    ("lock", {}, lambda post: not post.replies_locked),
    ("content_warning", {"warning_text": "self-harm"}, lambda post: post.content_warning == ""),
]


@pytest.mark.parametrize("action,fields,stays", UNDONE_BY_THE_ADMIN, ids=[row[0] for row in UNDONE_BY_THE_ADMIN])
def test_a_moderator_cannot_redo_what_an_admin_pressed_undo_on(mod_visitor, member, action, fields, stays):
    """The admin's Undo is their decision as much as a new action would be: taking the action again, with nothing
    new since, overrules them."""
    admin = make_member("lantern_admin", Role.ADMIN)
    first_mod = make_member("first_mod", Role.MODERATOR)
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    record = take_action(first_mod, item, item.version, action, **fields)
    db.session.commit()
    undo_action(admin, record)
    db.session.commit()

    response = act(mod_visitor, item, action, **fields)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "lantern_admin, an admin, undid" in page and "talk to lantern_admin or another admin" in page
    db.session.expire_all()
    assert stays(db.session.get(Post, post.id)) and len(logged(action)) == 1


def test_new_harm_since_an_admins_undo_is_a_moderators_to_act_on(mod_visitor, member):
    admin = make_member("lantern_admin", Role.ADMIN)
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    undo_action(admin, take_action(make_member("first_mod", Role.MODERATOR), item, item.version, "hide",
                                   reason="Unkind"))
    db.session.commit()
    flagged_again(post)
    assert act(mod_visitor, item, "hide", reason="Unkind to a member").status_code == 200
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "hidden"
