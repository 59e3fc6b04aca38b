"""Welfare checks: a member who deletes words the crisis detector rated crisis, before a moderator settled it,
doesn't vanish from the queue. The words go (deleting means gone); who to reach, when, and the crisis
categories stay, at crisis priority, until a moderator marks the check done. Runs on SQLite and PostgreSQL."""
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import MemberNotice, ModerationAction, ModerationItem, Reply, Role, WelfareCheck
from forum.services.export import export_member
from forum.services.moderation.actions import take_action
from forum.services.moderation.welfare import mark_done
from forum.services.posts import delete_post
from forum.services.privacy import delete_account
from forum.services.replies import delete_reply
from tests.helpers import Visitor, make_member, make_post, make_reply
from tests.test_erasure import traces_of

MARKER = "zqxwelfare5521"
#: Rated crisis by the detector (category: suicide); names no method.
CRISIS_TEXT = "I want to end my life."
#: Rated concern: distress, not crisis (as in tests/test_crisis_web.py).
CONCERN_TEXT = "Honestly, what's the point of any of it. I'm so tired of feeling like this."


def checks() -> list[WelfareCheck]:
    db.session.expire_all()
    return list(db.session.scalars(select(WelfareCheck).order_by(WelfareCheck.id)))


def crisis_post(author, body=CRISIS_TEXT):
    return make_post(author, title=f"Tonight {MARKER}", body=f"{body} {MARKER}")


def item_of(content) -> ModerationItem:
    column = ModerationItem.reply_id if isinstance(content, Reply) else ModerationItem.post_id
    return db.session.scalars(select(ModerationItem).where(column == content.id)).one()


@pytest.fixture
def replier(app):
    return make_member("night_owl")


def test_deleting_a_crisis_post_keeps_a_check_with_none_of_the_words(member):
    post = crisis_post(member)
    raised_at = item_of(post).reasons[0].created_at
    phrases = [match["phrase"] for match in post.crisis_matches]

    delete_post(post)
    db.session.commit()

    [check] = checks()
    assert (check.member_id, check.kind, check.categories) == (member.id, "post", ["suicide"])
    assert check.raised_at == raised_at and check.deleted_at >= raised_at and check.done_at is None
    for words in (MARKER, *phrases):
        assert traces_of(words) == [], f"{words!r} was kept"


@pytest.mark.parametrize("answered", [False, True], ids=["removed", "kept-as-placeholder"])
def test_deleting_a_crisis_reply_keeps_a_check(member, other_member, answered):
    post = make_post(other_member, title="Anyone awake?", body="Long night.")
    reply = make_reply(member, post, body=f"{CRISIS_TEXT} {MARKER}")
    if answered:
        make_reply(other_member, post, body="Please stay with us.", parent=reply)

    delete_reply(reply)
    db.session.commit()

    assert [(c.member_id, c.kind, c.categories) for c in checks()] == [(member.id, "reply", ["suicide"])]
    assert traces_of(MARKER) == []


def test_a_crisis_reply_that_goes_with_its_post_keeps_a_check_for_its_writer(member, replier):
    post = make_post(member, title="Hard day", body="Rough one.")
    make_reply(replier, post, body=f"{CRISIS_TEXT} {MARKER}")

    delete_post(post)
    db.session.commit()

    assert [(c.member_id, c.kind) for c in checks()] == [(replier.id, "reply_under_deleted_post")]


@pytest.mark.parametrize("case", ["concern", "resolved", "no-item"])
def test_nothing_is_kept_when_no_crisis_was_waiting(member, moderator, case):
    post = crisis_post(member, body=CONCERN_TEXT if case == "concern" else CRISIS_TEXT if case == "resolved"
                       else "Some days are heavier than others.")
    if case == "resolved":
        item = item_of(post)
        take_action(moderator, item, item.version, "approve")
        db.session.commit()

    delete_post(post)
    db.session.commit()

    assert checks() == []


def test_a_member_leaving_takes_their_checks_and_leaves_others_theirs(member, replier):
    delete_post(crisis_post(member))
    db.session.commit()
    # Their post has another member's crisis reply under it: that goes with the account's words.
    theirs = make_post(member, title="Hard day", body="Rough one.")
    make_reply(replier, theirs, body=f"{CRISIS_TEXT} {MARKER}")

    delete_account(member, keep_words_anonymously=False)
    db.session.commit()

    assert [(c.member_id, c.kind) for c in checks()] == [(replier.id, "reply_under_deleted_post")]


def test_the_export_says_a_check_exists_without_any_words(member):
    delete_post(crisis_post(member))
    db.session.commit()

    [exported] = export_member(member)["welfare_checks"]
    assert exported["about"] == "post" and exported["crisis_categories"] == ["suicide"]
    assert exported["moderators_checked_in_at"] is None
    assert MARKER not in str(exported)


def queue_page(visitor) -> str:
    response = visitor.get("/moderation/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_queue_shows_the_check_first_among_crisis_work(member, other_member, mod_visitor):
    make_post(other_member, title="Still here", body=CRISIS_TEXT)  # an open crisis item, older
    delete_post(crisis_post(member))
    db.session.commit()

    page = queue_page(mod_visitor)
    label = (f"{member.username}</a> deleted a post the crisis check rated crisis — their words are gone; "
             "check in with them")
    assert label in page and "suicide" in page
    assert page.index(label) < page.index("Still here")
    assert MARKER not in page
    assert "Queue (2)" in page


def test_a_moderator_marks_it_done_once(member, moderator, mod_visitor):
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()

    response = mod_visitor.post(f"/moderation/welfare/{check.id}/done")
    assert response.status_code == 302
    [check] = checks()
    assert check.done_by_id == moderator.id and check.done_at is not None
    logged = db.session.scalars(select(ModerationAction).where(ModerationAction.action == "welfare_check_done")).one()
    assert (logged.moderator_id, logged.member_id) == (moderator.id, member.id)
    assert "check in with them" not in queue_page(mod_visitor)

    again = mod_visitor.post(f"/moderation/welfare/{check.id}/done", follow_redirects=True)
    assert f"{moderator.username} already marked this welfare check done" in again.get_data(as_text=True)


def test_a_moderator_reaches_them_with_a_supportive_message(member, mod_visitor):
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()

    response = mod_visitor.post(f"/moderation/welfare/{check.id}/message", {"message_key": "crisis_lines"})
    assert response.status_code == 302
    notice = db.session.scalars(select(MemberNotice)).one()
    assert (notice.member_id, notice.kind) == (member.id, "support")
    assert checks()[0].done_at is None, "a message alone doesn't close the check"


@pytest.mark.parametrize("path", ["/moderation/", "/moderation/welfare/{id}/done", "/moderation/welfare/{id}/message"])
def test_members_can_neither_see_nor_mark_a_check(app, member, signed_in_other, path):
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()
    url = path.format(id=check.id)

    response = signed_in_other.get(url) if path == "/moderation/" else signed_in_other.post(url)
    assert response.status_code == 403
    anonymous = Visitor(app.test_client())
    response = anonymous.get(url) if path == "/moderation/" else anonymous.post(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert checks()[0].done_at is None and db.session.scalars(select(MemberNotice)).all() == []


def test_marking_done_needs_the_csrf_token(app, member):
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()
    make_member("second_mod", Role.MODERATOR)
    visitor = Visitor(app.test_client())
    visitor.sign_in("second_mod")

    response = visitor.client.post(f"/moderation/welfare/{check.id}/done")
    assert response.status_code == 400
    assert checks()[0].done_at is None


def test_a_check_offers_no_message_saying_moderators_hid_their_post(member, mod_visitor):
    """They deleted the words themselves: "we hid your post" would be false, and frightening to read."""
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()

    offered = queue_page(mod_visitor).split(f'id="welfare-{check.id}"', 1)[1].split("</article>", 1)[0]
    assert "Crisis lines" in offered and "About a hidden post" not in offered
    for untrue in ("hidden_with_care", "checking_in"):  # "we hid your post", "we read what you wrote"
        mod_visitor.post(f"/moderation/welfare/{check.id}/message", {"message_key": untrue})
    assert db.session.scalars(select(MemberNotice)).all() == []


def test_the_message_for_a_check_says_taking_words_down_is_okay(member, mod_visitor):
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()

    mod_visitor.post(f"/moderation/welfare/{check.id}/message", {"message_key": "after_taking_down"})
    notice = db.session.scalars(select(MemberNotice)).one()
    assert "You took down something you wrote, and that's completely okay" in notice.body
    assert "We read what you wrote" not in notice.body and "/help" in notice.body


def test_a_message_from_a_page_opened_before_the_check_was_done_is_not_sent(member, mod_visitor):
    """Two moderators on the queue: the first reaches them and marks it done; the second's send, from the page
    they already had open, would give the member the same message twice."""
    delete_post(crisis_post(member))
    db.session.commit()
    [check] = checks()
    first = make_member("first_mod", Role.MODERATOR)
    mark_done(first, check)
    db.session.commit()

    response = mod_visitor.post(f"/moderation/welfare/{check.id}/message", {"message_key": "crisis_lines"},
                                follow_redirects=True)
    assert "first_mod marked this welfare check done" in response.get_data(as_text=True)
    assert db.session.scalars(select(MemberNotice)).all() == []


def test_the_queue_names_each_element_once_however_many_checks_wait(member, replier, mod_visitor):
    """Two forms a check, every check on one page: an id given twice breaks labels and in-page links."""
    delete_post(crisis_post(member))
    delete_post(crisis_post(replier))
    db.session.commit()

    ids = re.findall(r'\sid="([^"]+)"', queue_page(mod_visitor))
    assert len(checks()) == 2 and sorted({i for i in ids if ids.count(i) > 1}) == []
