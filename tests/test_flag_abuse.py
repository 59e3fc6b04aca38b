"""Flags can't be turned into a weapon: throwaway accounts, blocked members and pile-ons on someone in crisis.

Every flag still reaches a moderator (except one from a member the author blocked); what changes is
which flags may hide someone's words before a person has looked.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Flag, FlagReason, ModerationItem, Post, PostStatus, Priority
from forum.services.blocks import block
from forum.services.flags import flag_content
from tests.helpers import Visitor, make_established_member, make_member, make_post

THRESHOLD = 3
#: Words the detector reads as a crisis (from tests/test_crisis_web.py); no method is named.
CRISIS_TEXT = "I can't keep going. I want to die and I think tonight is the night."


@pytest.fixture(autouse=True)
def pinned_rules(app):
    app.config["FLAG_HIDE_THRESHOLD"] = THRESHOLD
    app.config["FLAG_MIN_ACCOUNT_AGE_HOURS"] = 24


def status_of(post) -> str:
    db.session.expire_all()
    return db.session.get(Post, post.id).status


def item_of(post) -> ModerationItem | None:
    return db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == post.id)).first()


def flag_through_the_site(app, member, post) -> int:
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    return visitor.post(f"/posts/{post.id}/flag", {"reason": "harassment"}).status_code


def test_three_accounts_registered_a_moment_ago_reach_the_queue_but_hide_nothing(app, member):
    post = make_post(member)
    for i in range(THRESHOLD):
        throwaway = make_member(f"throwaway_{i}")
        make_post(throwaway, title="Hi", body="First post.")  # writing something is not enough on its own
        assert flag_through_the_site(app, throwaway, post) == 302
    assert status_of(post) == PostStatus.VISIBLE.value
    reasons = item_of(post).reasons
    assert len(reasons) == THRESHOLD and not any(reason.detail["counts"] for reason in reasons)


def test_old_accounts_that_never_wrote_anything_hide_nothing(member):
    post = make_post(member)
    for i in range(THRESHOLD):
        lurker = make_member(f"lurker_{i}")
        lurker.joined_at -= timedelta(days=30)
        flag_content(lurker, post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    assert status_of(post) == PostStatus.VISIBLE.value
    assert {r.detail["why_not_counted"] for r in item_of(post).reasons} == {
        "the member hasn't written a post or reply yet"}


def test_established_members_still_hide_a_pile_of_flags(member):
    post = make_post(member)
    for i in range(THRESHOLD):
        flag_content(make_established_member(f"regular_{i}"), post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    assert status_of(post) == PostStatus.HIDDEN.value


def test_the_minimum_age_comes_from_the_config(app, member):
    app.config["FLAG_MIN_ACCOUNT_AGE_HOURS"] = 0
    app.config["FLAG_HIDE_THRESHOLD"] = 1
    post = make_post(member)
    newcomer = make_member("newcomer")
    make_post(newcomer, title="Hi", body="First post.")
    assert flag_through_the_site(app, newcomer, post) == 302
    assert status_of(post) == PostStatus.HIDDEN.value


def test_a_flag_from_someone_the_author_blocked_counts_for_nothing(app, member):
    post = make_post(member)
    harasser = make_established_member("harasser")
    block(member, harasser)
    db.session.commit()
    # The blocked member is thanked like anyone else: nothing tells them about the block.
    assert flag_through_the_site(app, harasser, post) == 302
    assert db.session.scalars(select(Flag).where(Flag.user_id == harasser.id)).one()
    assert item_of(post) is None
    for i in range(THRESHOLD - 1):
        flag_content(make_established_member(f"regular_{i}"), post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    assert status_of(post) == PostStatus.VISIBLE.value


def test_a_block_after_the_flag_takes_it_out_of_the_count(member):
    post = make_post(member)
    harasser = make_established_member("harasser")
    flag_content(harasser, post, FlagReason.SPAM, "", THRESHOLD)
    block(member, harasser)
    for i in range(THRESHOLD - 1):
        flag_content(make_established_member(f"regular_{i}"), post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    assert status_of(post) == PostStatus.VISIBLE.value


def test_a_crisis_post_is_never_hidden_by_flags_and_goes_to_the_top_of_the_queue(member):
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    assert post.crisis_level == "crisis"
    item = item_of(post)
    for i in range(THRESHOLD + 1):
        flag_content(make_established_member(f"regular_{i}"), post, FlagReason.SPAM, "", THRESHOLD)
        db.session.commit()
        if i == 0:
            # A moderator settles the crisis item; the pile-on that follows must bring it straight back up.
            item.status, item.priority = "resolved", Priority.ROUTINE
            db.session.commit()
    assert status_of(post) == PostStatus.VISIBLE.value
    db.session.expire_all()
    assert item_of(post).status == "open" and item_of(post).priority == Priority.CRISIS


def test_moderators_see_why_a_flag_did_not_count(app, member, moderator):
    post = make_post(member)
    assert flag_through_the_site(app, make_member("brand_new"), post) == 302
    staff = Visitor(app.test_client())
    staff.sign_in(moderator.username)
    page = staff.get(f"/moderation/items/{item_of(post).id}").get_data(as_text=True)
    assert "Doesn't count toward hiding it: the account is newer than the minimum age for counting flags." in page
