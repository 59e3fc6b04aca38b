"""The moderation queue, moderator actions and their undo, the audit log, concurrency, second reviews."""
import html
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    MemberNotice,
    ModerationAction,
    ModerationItem,
    Post,
    Priority,
    ReasonKind,
    Role,
    User,
    utcnow,
)
from forum.services.moderation.actions import AlreadyHandled, take_action
from forum.services.moderation.queue import add_reason, open_queue
from tests.helpers import Visitor, make_member, make_post, make_reply

CRISIS_TEXT = "I want to die and I think tonight is the night."


def queued_post(author, title="Needs a look", priority=Priority.ROUTINE, kind=ReasonKind.FLAG.value, **detail):
    post = make_post(author, title=title, body="Words for moderators to read. #Anxiety")
    item = add_reason(post, kind, detail or {"label": "Spam"}, priority)
    db.session.commit()
    return post, item


def act(visitor, item, action, **fields):
    db.session.refresh(item)
    return visitor.post(f"/moderation/items/{item.id}/act", {"action": action, "version": str(item.version), **fields})


def actions_logged(action=None) -> int:
    stmt = select(func.count()).select_from(ModerationAction)
    if action:
        stmt = stmt.where(ModerationAction.action == action)
    return db.session.scalar(stmt)


ROUTES = [("get", "/moderation/"), ("get", "/moderation/log"), ("get", "/moderation/items/{item}"),
          ("get", "/moderation/history/post/{post}"), ("post", "/moderation/items/{item}/act"),
          ("post", "/moderation/actions/{action}/undo")]


@pytest.mark.parametrize("role,allowed", [(None, False), (Role.MEMBER, False), (Role.MODERATOR, True),
                                          (Role.ADMIN, True)])
@pytest.mark.parametrize("method,path", ROUTES)
def test_only_moderators_and_admins_reach_moderation(app, member, method, path, role, allowed):
    post, item = queued_post(member)
    staff = make_member("some_admin", Role.ADMIN)
    record = take_action(staff, item, item.version, "claim")
    db.session.commit()
    visitor = Visitor(app.test_client())
    if role is not None:
        visitor.sign_in(make_member("person_" + role.value, role).username)
    url = path.format(item=item.id, post=post.id, action=record.id)
    response = visitor.get(url) if method == "get" else visitor.post(url, {"action": "release",
                                                                            "version": str(item.version + 1)})
    if allowed:  # 409: reached, and told the version it sent is not the item's now
        assert response.status_code in (200, 302, 409)
    elif role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_queue_puts_crisis_first_then_at_risk_flags_then_the_rest(app, member, other_member):
    routine_old, _ = queued_post(member, "routine old")
    routine_two_reasons, item = queued_post(member, "routine with two reasons")
    add_reason(routine_two_reasons, ReasonKind.FLAG.value, {"label": "Spam"}, Priority.ROUTINE)
    at_risk, _ = queued_post(member, "at risk", Priority.AT_RISK_FLAG)
    make_post(other_member, title="crisis", body=CRISIS_TEXT)
    db.session.commit()
    order = [entry.post.title for entry in open_queue()]
    assert order == ["crisis", "at risk", "routine with two reasons", "routine old"]


def test_queue_page_shows_reasons_and_waiting_time(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    item = db.session.scalars(select(ModerationItem)).one()
    item.opened_at = utcnow() - timedelta(minutes=40)
    db.session.commit()
    page = mod_visitor.get("/moderation/").get_data(as_text=True)
    assert "Crisis" in page and "want to die" in page and "is-overdue" in page and "waiting 40 minutes" in page


def test_item_page_highlights_the_matched_phrases(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    item = db.session.scalars(select(ModerationItem)).one()
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "<mark>want to die</mark>" in page


def test_approve_publishes_pending_content_and_tells_the_author(mod_visitor, member):
    post, item = queued_post(member)
    post.status = "pending"
    db.session.commit()
    assert act(mod_visitor, item, "approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible"
    assert db.session.get(ModerationItem, item.id).status == "resolved"
    assert db.session.scalars(select(MemberNotice)).one().kind == "approved"
    assert actions_logged("approve") == 1


def test_hide_needs_a_reason_and_keeps_the_form(mod_visitor, member):
    post, item = queued_post(member)
    response = act(mod_visitor, item, "hide", reason="")
    assert response.status_code == 422 and "Please give a reason" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible" and actions_logged() == 0


def test_hide_and_undo(mod_visitor, client, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "hide", reason="Personal details of another member")
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.status == "hidden" and post.moderation_note == "Personal details of another member"
    assert post.hashtags[0].post_count == 0
    assert client.get(f"/posts/{post.id}").status_code == 404
    notice = db.session.scalars(select(MemberNotice)).one()
    assert notice.kind == "hidden" and "Personal details" in notice.body
    record = db.session.scalars(select(ModerationAction)).one()
    assert mod_visitor.post(f"/moderation/actions/{record.id}/undo").status_code == 302
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.status == "visible" and post.hashtags[0].post_count == 1
    assert db.session.get(ModerationItem, item.id).status == "open"
    assert actions_logged("undo") == 1
    assert mod_visitor.post(f"/moderation/actions/{record.id}/undo").status_code == 302
    assert actions_logged("undo") == 1, "an undo happens once"


def test_remove_and_undo(mod_visitor, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "remove", reason="Spam link")
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "removed"
    record = db.session.scalars(select(ModerationAction)).one()
    mod_visitor.post(f"/moderation/actions/{record.id}/undo")
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible"


def test_lock_stops_replies_and_undo_reopens_them(mod_visitor, signed_in_other, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "lock")
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "hello"})
    assert "closed this post to new replies" in response.get_data(as_text=True)
    record = db.session.scalars(select(ModerationAction)).one()
    mod_visitor.post(f"/moderation/actions/{record.id}/undo")
    assert signed_in_other.post(f"/posts/{post.id}/replies", {"body": "hello"}).status_code == 302


def test_content_warning_folds_the_post_and_undo_unfolds_it(mod_visitor, client, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "content_warning", warning_text="self-harm")
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert '<details class="content-warning">' in page and "Content warning: self-harm" in page
    record = db.session.scalars(select(ModerationAction)).one()
    mod_visitor.post(f"/moderation/actions/{record.id}/undo")
    assert '<details class="content-warning">' not in client.get(f"/posts/{post.id}").get_data(as_text=True)


def test_supportive_message_reaches_the_author_with_the_help_page(mod_visitor, signed_in, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "message", message_key="crisis_lines")
    assert 'aria-label="1 unread"' in signed_in.get("/").get_data(as_text=True)
    page = signed_in.get("/notices").get_data(as_text=True)
    assert "/help" in page and "We&#39;re worried about you" in page
    assert 'aria-label="1 unread"' not in signed_in.get("/").get_data(as_text=True)


def test_a_warning_cannot_be_unsent(mod_visitor, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "warn", reason="Please keep replies kind.")
    record = db.session.scalars(select(ModerationAction)).one()
    response = mod_visitor.post(f"/moderation/actions/{record.id}/undo", follow_redirects=True)
    assert "can&#39;t be unsent" in response.get_data(as_text=True)
    assert actions_logged("undo") == 0


def test_suspension_pauses_writing_and_undo_lifts_it(mod_visitor, signed_in, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "suspend", suspend_days="3", reason="Repeated harassment after a warning")
    response = signed_in.post("/posts/new", {"title": "hi", "body": "hello"})
    assert response.status_code == 422 and "paused until" in response.get_data(as_text=True)
    record = db.session.scalars(select(ModerationAction).where(ModerationAction.action == "suspend")).one()
    mod_visitor.post(f"/moderation/actions/{record.id}/undo")
    assert signed_in.post("/posts/new", {"title": "hi", "body": "hello"}).status_code == 302


def test_a_stale_action_is_refused_and_names_who_acted(app, member, moderator):
    post, item = queued_post(member)
    seen = item.version
    other_mod = make_member("second_mod", Role.MODERATOR)
    take_action(other_mod, item, seen, "hide", reason="off-topic")
    db.session.commit()
    with pytest.raises(AlreadyHandled, match=r"second_mod resolved this at \d\d:\d\d UTC \(hid it\)"):
        take_action(moderator, item, seen, "remove", reason="spam")
    db.session.rollback()
    assert actions_logged() == 1


def test_stale_action_through_the_page_tells_the_moderator(mod_visitor, member):
    post, item = queued_post(member)
    stale = item.version
    take_action(make_member("second_mod", Role.MODERATOR), item, stale, "approve")
    db.session.commit()
    response = mod_visitor.post(f"/moderation/items/{item.id}/act", {"action": "remove", "version": str(stale),
                                                                      "reason": "spam"}, follow_redirects=True)
    page = html.unescape(response.get_data(as_text=True))
    approved_at = db.session.scalars(select(ModerationAction.created_at)).one().strftime("%H:%M UTC")
    assert f"second_mod resolved this at {approved_at} (approved it) after you opened it, so nothing was changed" \
        in page
    assert "undo that decision below to reopen it" in page
    assert re.search(r'id="action-remove">.*?<textarea[^>]*>\s*spam</textarea>', page, re.S), "what they typed stays"
    db.session.expire_all()
    assert db.session.get(Post, post.id).status == "visible" and actions_logged() == 1


@pytest.mark.parametrize("action,extra", [("warn", {}), ("hide", {}), ("remove", {}),
                                          ("suspend", {"suspend_days": "7"})])
def test_a_reason_typed_while_another_moderator_acted_stays_in_its_box(mod_visitor, member, action, extra):
    post, item = queued_post(member)
    opened_on = item.version  # the page the moderator is typing on
    second = Visitor(mod_visitor.client.application.test_client())
    second.sign_in(make_member("river_stones", Role.MODERATOR).username)
    assert act(second, item, "claim").status_code == 302

    reason = "They wrote this at a hard moment.\nI want the note to sound like a person, not a rule: " + "kind " * 80
    sent = {"action": action, "version": str(opened_on), "reason": reason, **extra}
    response = mod_visitor.post(f"/moderation/items/{item.id}/act", sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "river_stones already claimed it a moment ago, so your action was not applied" in page
    form = re.search(rf'<form[^>]*id="action-{action}">(.*?)</form>', page, re.S).group(1)
    assert html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", form, re.S).group(1)).strip() == reason.strip()
    assert all(f'name="{name}" type="number" value="{value}"' in form for name, value in extra.items())
    db.session.refresh(item)
    assert f'name="version" value="{item.version}"' in form, "sent again, it acts on the item as it is now"
    assert actions_logged(action) == 0

    resent = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert mod_visitor.client.post(f"/moderation/items/{item.id}/act", data={**resent, **extra, "reason": reason}
                                   ).status_code == 302
    assert actions_logged(action) == 1


def test_two_moderators_acting_at_the_same_moment_apply_once(app, member):
    """Real concurrency: two sessions race on one item; exactly one action lands (run on PostgreSQL in CI)."""
    post, item = queued_post(member)
    moderators = [make_member("mod_a", Role.MODERATOR).id, make_member("mod_b", Role.MODERATOR).id]
    version, item_id = item.version, item.id
    start = threading.Barrier(2)
    outcomes = []

    def race(moderator_id, action):
        with app.app_context():
            moderator = db.session.get(User, moderator_id)
            racing_item = db.session.get(ModerationItem, item_id)
            start.wait()
            try:
                take_action(moderator, racing_item, version, action, reason="racing")
                db.session.commit()
                outcomes.append("applied")
            except AlreadyHandled:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=race, args=(moderators[0], "hide")),
               threading.Thread(target=race, args=(moderators[1], "remove"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    assert sorted(outcomes) == ["applied", "refused"]
    assert actions_logged() == 1
    assert db.session.get(Post, post.id).status in ("hidden", "removed")


def test_every_action_is_in_the_audit_log_and_filterable(mod_visitor, member, other_member):
    post, item = queued_post(member)
    act(mod_visitor, item, "claim")
    act(mod_visitor, item, "warn", reason="Be gentle")
    act(mod_visitor, item, "hide", reason="Off topic")
    assert actions_logged() == 3
    page = mod_visitor.get("/moderation/log?moderator=river_mod&action=hide").get_data(as_text=True)
    assert "Off topic" in page and "Be gentle" not in page
    page = mod_visitor.get("/moderation/log?member=MapleAndTea").get_data(as_text=True)
    assert "No actions match" in page


def test_author_may_ask_for_a_second_review_once(mod_visitor, signed_in, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "hide", reason="Looks like spam")
    notice = db.session.scalars(select(MemberNotice)).one()
    signed_in.post(f"/notices/{notice.id}/review", {"note": "It's my recovery story, not spam."})
    db.session.expire_all()
    item = db.session.get(ModerationItem, item.id)
    assert item.status == "open"
    assert item.reasons[-1].kind == "review_request" and "recovery story" in item.reasons[-1].detail["note"]
    response = signed_in.post(f"/notices/{notice.id}/review", {"note": "again"}, follow_redirects=True)
    assert "already asked for a second review" in response.get_data(as_text=True)


def test_moderators_see_edit_history(mod_visitor, signed_in, member):
    post = make_post(member, body="First words")
    signed_in.post(f"/posts/{post.id}/edit", {"title": "A hard week", "body": "Second words"})
    page = mod_visitor.get(f"/moderation/history/post/{post.id}").get_data(as_text=True)
    assert "First words" in page and "Second words" in page
    assert f'href="/moderation/history/post/{post.id}"' in mod_visitor.get(f"/posts/{post.id}").get_data(as_text=True)


def test_nav_shows_moderators_the_open_count_and_crisis(mod_visitor, signed_in, member):
    make_post(member, body=CRISIS_TEXT)
    page = mod_visitor.get("/").get_data(as_text=True)
    assert 'aria-label="1 open, 1 crisis"' in page and "badge-crisis" in page
    assert "Moderation" not in signed_in.get("/").get_data(as_text=True).split("<main", 1)[0]


def test_reply_items_work_like_post_items(mod_visitor, client, member, other_member):
    post = make_post(member)
    reply = make_reply(other_member, post, "Goodbye everyone, this is my last post.")
    item = db.session.scalars(select(ModerationItem)).one()
    assert item.reply_id == reply.id and item.priority == Priority.CRISIS
    act(mod_visitor, item, "message", message_key="checking_in")
    assert db.session.scalars(select(MemberNotice)).one().member_id == other_member.id


def test_hiding_a_reply_keeps_its_posts_counters_exact(mod_visitor, member, other_member):
    post = make_post(member)
    reply = make_reply(other_member, post)
    item = add_reason(reply, ReasonKind.FLAG.value, {"label": "Spam"}, Priority.ROUTINE)
    db.session.commit()
    act(mod_visitor, item, "hide", reason="Spam link")
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.reply_count == 0 and post.first_response_at is None
