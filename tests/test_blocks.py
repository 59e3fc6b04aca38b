"""Blocking, from both sides: the blocker stops seeing them; the blocked can't reach the blocker, and isn't told."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Block, Heart, PostStatus, Reply, Role
from forum.services.blocks import block, can_reach, reach_each_other
from tests.helpers import make_member, make_post, make_reply


@pytest.fixture
def blocked(signed_in, other_member):
    """`member` (signed_in) blocks `other_member`."""
    assert signed_in.post(f"/u/{other_member.username}/block").status_code == 302
    return other_member


def test_blocked_members_posts_disappear_for_the_blocker(signed_in, blocked):
    theirs = make_post(blocked, title="From the blocked member")
    assert "From the blocked member" not in signed_in.get("/").get_data(as_text=True)
    assert "From the blocked member" not in signed_in.get("/needs-reply").get_data(as_text=True)
    assert signed_in.get(f"/posts/{theirs.id}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/tags/Hope"])
def test_a_blocker_with_a_post_under_review_sees_it_but_still_not_the_blocked(signed_in, member, blocked, path):
    mine = make_post(member, title="Mine, under review", body="#Hope held")
    mine.status = PostStatus.PENDING.value
    db.session.commit()
    make_post(blocked, title="From the blocked member", body="#Hope too")
    make_post(make_member("third_voice"), title="From someone else", body="#Hope also")
    page = signed_in.get(path).get_data(as_text=True)
    assert "Mine, under review" in page and "From someone else" in page
    assert "From the blocked member" not in page


def test_blocked_members_replies_disappear_for_the_blocker(signed_in, member, blocked):
    third = make_member("third_voice")
    post = make_post(third)
    make_reply(blocked, post, "words from the blocked member")
    make_reply(third, post, "words from someone else")
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "words from the blocked member" not in page and "words from someone else" in page


def test_others_still_see_the_blocked_members_words(client, blocked):
    make_post(blocked, title="Still public")
    assert "Still public" in client.get("/").get_data(as_text=True)


def test_blocked_member_cannot_reply_to_the_blocker_and_is_not_told_why(signed_in_other, member, blocked):
    post = make_post(member)
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "hello"})
    page = response.get_data(as_text=True)
    assert "can&#39;t reply here" in page and "block" not in page.lower().split("<main", 1)[1]
    assert db.session.scalar(select(func.count()).select_from(Reply)) == 0


def test_blocked_member_cannot_answer_the_blockers_reply(signed_in_other, member, blocked):
    third = make_member("third_voice")
    post = make_post(third)
    reply = make_reply(member, post, "my reply")
    signed_in_other.post(f"/posts/{post.id}/replies", {"body": "answer", "parent_id": str(reply.id)})
    assert db.session.scalar(select(func.count()).select_from(Reply).where(Reply.parent_id == reply.id)) == 0


def test_blocked_member_cannot_heart_the_blockers_posts(signed_in_other, member, blocked):
    post = make_post(member)
    assert signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": "1"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Heart)) == 0


def test_blocking_twice_keeps_one_row_and_unblock_restores(signed_in, blocked):
    signed_in.post(f"/u/{blocked.username}/block")
    assert db.session.scalar(select(func.count()).select_from(Block)) == 1
    make_post(blocked, title="Back again")
    signed_in.post(f"/u/{blocked.username}/unblock")
    assert "Back again" in signed_in.get("/").get_data(as_text=True)


def test_moderators_cannot_be_blocked(signed_in):
    moderator = make_member("kind_mod", Role.MODERATOR)
    response = signed_in.post(f"/u/{moderator.username}/block", follow_redirects=True)
    assert "Moderators can&#39;t be blocked" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Block)) == 0


def test_profile_of_a_blocked_member_says_so(signed_in, blocked):
    make_post(blocked, title="Hidden from the blocker")
    page = signed_in.get(f"/u/{blocked.username}").get_data(as_text=True)
    assert "You&#39;ve blocked" in page and "Hidden from the blocker" not in page and "Unblock" in page


def test_a_block_stops_only_the_blocked_member_reaching_the_blocker(member, other_member):
    block(member, other_member)
    db.session.commit()
    assert not can_reach(other_member.id, member.id)
    assert can_reach(member.id, other_member.id)


@pytest.mark.parametrize("who_blocks", ["member", "other"])
def test_two_members_reach_each_other_only_while_neither_has_blocked_the_other(member, other_member, who_blocks):
    assert db.session.scalar(select(reach_each_other(member.id, other_member.id)))
    blocker, blocked_member = (member, other_member) if who_blocks == "member" else (other_member, member)
    block(blocker, blocked_member)
    db.session.commit()
    assert not db.session.scalar(select(reach_each_other(member.id, other_member.id)))
