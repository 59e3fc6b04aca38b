"""Moderation decisions that must not leak past their moment: a claim on a closed item, an undo of an action a later
one replaced, an undo of something that is gone, a moderator quietly reversing an admin."""
from datetime import timedelta

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import ModerationItem, Post, utcnow
from forum.services.moderation.alerts import overdue_crisis_items
from tests.helpers import make_post

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
