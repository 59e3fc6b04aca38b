"""Flagging posts and replies: once per member, never one's own, the moderation queue, and auto-hiding."""
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import (
    Flag,
    FlagReason,
    MemberNotice,
    ModerationAction,
    ModerationItem,
    Post,
    Priority,
    ReasonKind,
    Reply,
    utcnow,
)
from forum.services.flags import AlreadyFlagged, flag_content
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.tags import find_hashtag
from tests.helpers import Visitor, make_established_member, make_member, make_post, make_reply

THRESHOLD = 3


@pytest.fixture(autouse=True)
def hide_threshold(app):
    """Pin the threshold, whatever FLAG_HIDE_THRESHOLD says in the environment running the tests."""
    app.config["FLAG_HIDE_THRESHOLD"] = THRESHOLD
    return THRESHOLD


def visitor_for(app, member) -> Visitor:
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    return visitor


def text_of(response) -> str:
    """The page as a reader sees it: entities like &#39; turned back into characters."""
    return unescape(response.get_data(as_text=True))


def flags_on(content) -> int:
    column = Flag.post_id if isinstance(content, Post) else Flag.reply_id
    return db.session.scalar(select(func.count()).select_from(Flag).where(column == content.id))


def flag_url(content) -> str:
    return f"/posts/{content.id}/flag" if isinstance(content, Post) else f"/replies/{content.id}/flag"


def flag_by_others(content, count: int, reason=FlagReason.SPAM) -> None:
    """`count` different members flag the content, through the service."""
    for i in range(count):
        flag_content(make_established_member(f"flagger_{i}"), content, reason, "", THRESHOLD)
    db.session.commit()


def item_of(content) -> ModerationItem:
    column = ModerationItem.post_id if isinstance(content, Post) else ModerationItem.reply_id
    return db.session.scalars(select(ModerationItem).where(column == content.id)).one()


@pytest.fixture
def post(member):
    return make_post(member, title="A hard week", body="Some days are heavier than others. #Depression")


@pytest.fixture
def reply(member, other_member):
    post = make_post(other_member, title="Anyone awake?")
    return make_reply(member, post, body="Words only some readers should see.")


def test_a_member_can_flag_a_post_and_is_thanked(signed_in_other, post):
    response = signed_in_other.post(flag_url(post), {"reason": "spam"})
    assert response.status_code == 302 and "/thanks" in response.headers["Location"]
    page = signed_in_other.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for looking out for each other" in page
    assert flags_on(post) == 1


def test_flagging_twice_is_a_no_op_with_a_kind_message(signed_in_other, post):
    signed_in_other.post(flag_url(post), {"reason": "spam"})
    response = signed_in_other.post(flag_url(post), {"reason": "harassment"}, follow_redirects=True)
    assert response.status_code == 200
    assert "You've already flagged this — thank you, moderators will look" in text_of(response)
    assert flags_on(post) == 1
    assert db.session.scalars(select(Flag)).one().reason == "spam"


def test_the_service_catches_a_repeat_flag_without_a_second_row(post, other_member):
    flag_content(other_member, post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    with pytest.raises(AlreadyFlagged):
        flag_content(other_member, post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    assert flags_on(post) == 1 and len(item_of(post).reasons) == 1


@pytest.mark.parametrize("target", ["post", "reply"])
def test_the_database_refuses_a_second_flag_from_the_same_member(request, target, other_member, app):
    content = request.getfixturevalue(target)
    flagger = other_member if target == "post" else make_member("third_person")
    column = "post_id" if target == "post" else "reply_id"
    db.session.add(Flag(user_id=flagger.id, reason="spam", **{column: content.id}))
    db.session.commit()
    db.session.add(Flag(user_id=flagger.id, reason="other", note="again", **{column: content.id}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert flags_on(content) == 1


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", ["post", "reply"])
def test_members_cannot_flag_their_own_words(request, signed_in, method, target):
    content = request.getfixturevalue(target)
    url = flag_url(content)
    response = signed_in.get(url) if method == "get" else signed_in.post(url, {"reason": "spam"})
    assert response.status_code == 403
    assert flags_on(content) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(visitor, post, method):
    url = flag_url(post)
    response = visitor.get(url) if method == "get" else visitor.post(url, {"reason": "spam", "note": "Sells pills"})
    if method == "get":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:  # the sign-in page itself, keeping the note (forum.web._sign_in_first)
        page = response.get_data(as_text=True)
        assert response.status_code == 401 and 'action="/login"' in page and "Sells pills" in page
    assert flags_on(post) == 0


def test_suspended_members_cannot_flag(signed_in_other, other_member, post):
    other_member.suspended_until = utcnow() + timedelta(days=2)
    db.session.commit()
    response = signed_in_other.post(flag_url(post), {"reason": "spam"})
    assert response.status_code == 403 and "paused" in response.get_data(as_text=True)
    assert flags_on(post) == 0


def test_flagging_missing_content_is_not_found(signed_in_other):
    assert signed_in_other.get("/posts/999999/flag").status_code == 404
    assert signed_in_other.get("/replies/999999/flag").status_code == 404


def test_the_form_offers_every_reason(signed_in_other, post):
    page = signed_in_other.get(flag_url(post)).get_data(as_text=True)
    for label in ("Someone may be at risk", "Harassment or bullying", "Spam", "Harmful medical advice",
                  "Graphic content without a content warning", "Something else"):
        assert label in page


def test_something_else_needs_a_note_and_keeps_the_chosen_reason(signed_in_other, post):
    response = signed_in_other.post(flag_url(post), {"reason": "other", "note": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "tell the moderators in a few words" in page
    assert re.search(r'<input[^>]*\bchecked\b[^>]*value="other"', page)
    assert flags_on(post) == 0


def test_a_missing_reason_is_explained_and_keeps_the_typed_note(signed_in_other, post):
    response = signed_in_other.post(flag_url(post), {"note": "They keep posting the same link."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the reason closest to what you saw" in page
    assert "They keep posting the same link.</textarea>" in page
    assert flags_on(post) == 0


def test_something_else_with_a_note_is_accepted(signed_in_other, post):
    response = signed_in_other.post(flag_url(post), {"reason": "other", "note": "Their username is a slur."})
    assert response.status_code == 302
    assert db.session.scalars(select(Flag)).one().note == "Their username is a slur."


def test_at_risk_thank_you_shows_the_help_page_and_how_to_reply_with_care(signed_in_other, post):
    response = signed_in_other.post(flag_url(post), {"reason": "at_risk"}, follow_redirects=True)
    page = text_of(response)
    assert 'href="/help"' in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "glad they wrote" in page and "Don't discuss methods" in page


def test_other_thank_yous_leave_out_the_at_risk_guidance(signed_in_other, post):
    response = signed_in_other.post(flag_url(post), {"reason": "spam"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Thank you for looking out for each other" in page and "glad they wrote" not in page


def test_a_thank_you_page_belongs_to_the_member_who_flagged(app, signed_in_other, post):
    thanks = signed_in_other.post(flag_url(post), {"reason": "spam"}).headers["Location"]
    stranger = visitor_for(app, make_member("someone_else"))
    assert stranger.get(thanks).status_code == 404


@pytest.mark.parametrize("reason,priority", [("at_risk", Priority.AT_RISK_FLAG), ("spam", Priority.ROUTINE),
                                             ("medical_advice", Priority.ROUTINE)])
def test_a_flag_queues_the_item_at_its_priority(signed_in_other, post, reason, priority):
    signed_in_other.post(flag_url(post), {"reason": reason})
    item = item_of(post)
    assert item.status == "open" and item.priority == priority


def test_a_flag_tells_moderators_why_and_who(signed_in_other, other_member, post):
    signed_in_other.post(flag_url(post), {"reason": "harassment", "note": "Mocking someone's diagnosis."})
    flag = db.session.scalars(select(Flag)).one()
    reason = item_of(post).reasons[0]
    assert reason.kind == ReasonKind.FLAG.value
    assert reason.detail == {"reason": "harassment", "label": "Harassment or bullying",
                             "note": "Mocking someone's diagnosis.", "by": other_member.username,
                             "flag_id": flag.id, "counts": False,
                             "why_not_counted": "the account is newer than the minimum age for counting flags"}


def test_a_crisis_item_stays_crisis_when_flagged(signed_in_other, post):
    add_reason(post, ReasonKind.CRISIS.value, {"level": "crisis"}, Priority.CRISIS)
    db.session.commit()
    signed_in_other.post(flag_url(post), {"reason": "spam"})
    db.session.expire_all()
    item = item_of(post)
    assert item.priority == Priority.CRISIS and len(item.reasons) == 2


def test_flags_below_the_threshold_leave_a_post_visible(post):
    flag_by_others(post, THRESHOLD - 1)
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible"
    assert find_hashtag("Depression").post_count == 1


def test_the_threshold_flag_hides_the_post_with_a_plain_note(app, post):
    flag_by_others(post, THRESHOLD - 1)
    last = visitor_for(app, make_established_member("last_straw"))
    assert last.post(flag_url(post), {"reason": "spam"}).status_code == 302
    db.session.expire_all()
    hidden = db.session.get(Post, post.id)
    assert hidden.status == "hidden"
    assert hidden.moderation_note == ("Hidden for now because several members flagged it; "
                                      "a moderator will review it soon.")


def test_a_hidden_post_leaves_the_latest_feed_for_others(client, signed_in_other, post):
    assert f"/posts/{post.id}" in signed_in_other.get("/").get_data(as_text=True)
    flag_by_others(post, THRESHOLD)
    assert f"/posts/{post.id}" not in signed_in_other.get("/").get_data(as_text=True)
    assert f"/posts/{post.id}" not in client.get("/").get_data(as_text=True)


def test_hiding_a_post_takes_it_out_of_its_tag_count(post):
    flag_by_others(post, THRESHOLD)
    db.session.expire_all()
    assert find_hashtag("Depression").post_count == 0


def test_the_author_still_sees_a_hidden_post_marked_under_review(signed_in, post):
    flag_by_others(post, THRESHOLD)
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Some days are heavier than others." in page
    assert "Hidden while a moderator reviews it" in page


def automatic_hides(content) -> list[ModerationAction]:
    column = ModerationAction.post_id if isinstance(content, Post) else ModerationAction.reply_id
    return list(db.session.scalars(select(ModerationAction).where(column == content.id,
                                                                  ModerationAction.action == "auto_hide")))


def notices_to(member) -> list[MemberNotice]:
    return list(db.session.scalars(select(MemberNotice).where(MemberNotice.member_id == member.id)))


@pytest.mark.parametrize("target", ["post", "reply"])
def test_an_automatic_hide_is_in_the_audit_log_with_no_moderator(request, target, member):
    content = request.getfixturevalue(target)
    flag_by_others(content, THRESHOLD)
    [entry] = automatic_hides(content)
    assert entry.moderator_id is None  # the system acted, not a person
    assert entry.member_id == member.id and entry.item_id == item_of(content).id
    assert entry.detail["flaggers"] == THRESHOLD and entry.detail["threshold"] == THRESHOLD
    assert entry.detail["before"]["status"] == "visible"
    assert entry.reason == f"Flags from {THRESHOLD} different members"


@pytest.mark.parametrize("target", ["post", "reply"])
def test_the_author_is_told_calmly_that_it_is_hidden_while_a_moderator_reviews_it(request, target, member):
    content = request.getfixturevalue(target)
    flag_by_others(content, THRESHOLD)
    [notice] = notices_to(member)
    assert notice.kind == "auto_hidden" and notice.action_id == automatic_hides(content)[0].id
    assert getattr(notice, f"{target}_id") == content.id
    assert f"your {target}, so it's hidden from others for now while a moderator reviews it" in notice.body
    assert "You can still see it." in notice.body
    assert "isn't a decision about you" in notice.body


def test_the_author_reads_the_notice_and_no_moderator_is_said_to_have_written(signed_in, member, post):
    flag_by_others(post, THRESHOLD)
    assert "hidden from others for now while a moderator reviews it" in text_of(signed_in.get("/notices"))
    lines = text_of(signed_in.get("/notifications"))
    assert "A note about your post: it's hidden for now while a moderator reviews it" in lines
    assert "A moderator wrote to you" not in lines


def test_an_automatic_hide_is_not_offered_a_second_review_while_the_first_is_pending(signed_in, post):
    flag_by_others(post, THRESHOLD)
    assert "Ask for a second review" not in signed_in.get("/notices").get_data(as_text=True)


def test_flags_after_the_hide_log_and_tell_only_once(member, post):
    flag_by_others(post, THRESHOLD + 2)
    assert len(automatic_hides(post)) == 1 and len(notices_to(member)) == 1


def test_flags_below_the_threshold_log_and_tell_nothing(member, post):
    flag_by_others(post, THRESHOLD - 1)
    assert automatic_hides(post) == [] and notices_to(member) == []


def test_moderators_see_who_hid_it_automatically(mod_visitor, post):
    flag_by_others(post, THRESHOLD)
    item_page = text_of(mod_visitor.get(f"/moderation/items/{item_of(post).id}"))
    assert "Kindred hid it automatically because several members flagged it" in item_page
    assert "a moderator hid it" not in item_page
    assert "Kindred (automatic)" in text_of(mod_visitor.get("/moderation/log?action=auto_hide"))


def test_auto_hiding_a_reply_takes_it_out_of_the_posts_reply_count(reply):
    flag_by_others(reply, THRESHOLD)
    db.session.expire_all()
    assert db.session.get(Post, reply.post_id).reply_count == 0


def test_the_item_stays_open_and_approving_shows_it_again(moderator, post):
    flag_by_others(post, THRESHOLD)
    item = item_of(post)
    assert item.status == "open"
    take_action(moderator, item, item.version, "approve")
    db.session.commit()
    assert db.session.get(Post, post.id).status == "visible"


def test_the_author_hears_when_an_automatically_hidden_post_is_back(moderator, post):
    flag_by_others(post, THRESHOLD)
    item = item_of(post)
    take_action(moderator, item, item.version, "approve")
    db.session.commit()
    kinds = db.session.scalars(select(MemberNotice.kind).where(MemberNotice.member_id == post.author_id)
                               .order_by(MemberNotice.id)).all()
    assert kinds == ["auto_hidden", "approved"]


def test_the_hide_threshold_comes_from_the_config(app, post):
    app.config["FLAG_HIDE_THRESHOLD"] = 1
    visitor_for(app, make_established_member("only_one")).post(flag_url(post), {"reason": "spam"})
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "hidden"


def test_flags_a_moderator_settled_no_longer_count(post):
    flag_by_others(post, THRESHOLD - 1)
    for flag in db.session.scalars(select(Flag)):
        flag.settled_at = utcnow()
    db.session.commit()
    flag_content(make_established_member("late_flagger"), post, FlagReason.SPAM, "", THRESHOLD)
    db.session.commit()
    assert db.session.get(Post, post.id).status == "visible"


def test_a_reply_can_be_flagged_once(signed_in_other, reply):
    # other_member wrote the post; `member` wrote the reply.
    assert signed_in_other.post(flag_url(reply), {"reason": "at_risk"}).status_code == 302
    signed_in_other.post(flag_url(reply), {"reason": "at_risk"})
    assert flags_on(reply) == 1 and item_of(reply).priority == Priority.AT_RISK_FLAG


def test_a_reply_below_the_threshold_stays_visible(reply):
    flag_by_others(reply, THRESHOLD - 1)
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).status == "visible"


def test_a_hidden_reply_disappears_for_other_readers(client, signed_in_other, reply):
    flag_by_others(reply, THRESHOLD)
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).status == "hidden"
    for reader in (client, signed_in_other):
        assert "Words only some readers should see." not in reader.get(f"/posts/{reply.post_id}").get_data(as_text=True)


def test_the_author_still_sees_a_hidden_reply_marked_under_review(signed_in, reply):
    flag_by_others(reply, THRESHOLD)
    page = signed_in.get(f"/posts/{reply.post_id}").get_data(as_text=True)
    assert "Words only some readers should see." in page and "Hidden while a moderator reviews it" in page


def test_a_flag_without_a_csrf_token_is_refused(app, other_member, post):
    browser = visitor_for(app, other_member).client
    response = browser.post(flag_url(post), data={"reason": "spam"})
    assert response.status_code == 422 and "send it once more" in response.get_data(as_text=True)
    assert flags_on(post) == 0


def test_the_flag_link_shows_to_other_members_only(client, signed_in, signed_in_other, reply):
    post_page = f"/posts/{reply.post_id}"
    flag_post, flag_reply = f'href="/posts/{reply.post_id}/flag"', f'href="/replies/{reply.id}/flag"'
    post_authors_view = signed_in_other.get(post_page).get_data(as_text=True)
    assert flag_reply in post_authors_view and flag_post not in post_authors_view
    reply_authors_view = signed_in.get(post_page).get_data(as_text=True)
    assert flag_post in reply_authors_view and flag_reply not in reply_authors_view
    assert 'class="flag-link"' not in client.get(post_page).get_data(as_text=True)
