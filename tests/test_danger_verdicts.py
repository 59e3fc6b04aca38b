"""Moderators answer "was the writer in danger?" on an item; the answers measure the crisis detector on the
forum's own posts (the health page, `flask crisis outcomes`) and change nothing for the author."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import FlagReason, ModerationAction, ModerationItem, Role, utcnow
from forum.services import DomainError
from forum.services.flags import flag_content
from forum.services.moderation.verdicts import record_verdict, verdict_tally
from tests.helpers import Visitor, make_member, make_post, make_reply

CRISIS_TEXT = "I want to die and I think tonight is the night."
EVERYDAY_TEXT = "Made soup for dinner and watched the rain for a while. Quiet day. #Recovery"


def item_of(content) -> ModerationItem:
    column = ModerationItem.post_id if content.__class__.__name__ == "Post" else ModerationItem.reply_id
    return db.session.scalars(select(ModerationItem).where(column == content.id)).one()


@pytest.fixture
def crisis_item(app, member):
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    assert post.crisis_level == "crisis"
    return item_of(post)


@pytest.fixture
def flagged_item(app, member, other_member):
    """An everyday post the detector left alone, queued by a member's at-risk flag."""
    post = make_post(member, title="Sunday", body=EVERYDAY_TEXT)
    assert post.crisis_level == "none"
    flag_content(other_member, post, FlagReason.AT_RISK, hide_threshold=3)
    db.session.commit()
    return item_of(post)


def verdict_log(item) -> list[tuple[str, int | None, dict]]:
    return [(a.action, a.member_id, a.detail) for a in db.session.scalars(
        select(ModerationAction).where(ModerationAction.item_id == item.id,
                                       ModerationAction.action.like("judged_%")).order_by(ModerationAction.id))]


def test_a_verdict_keeps_who_when_and_what_the_detector_had_said(crisis_item, moderator, member):
    before = utcnow()
    record = record_verdict(moderator, crisis_item, "in_danger")
    db.session.commit()
    assert (crisis_item.danger_verdict, crisis_item.danger_verdict_by_id, crisis_item.danger_verdict_level) == (
        "in_danger", moderator.id, "crisis")
    assert crisis_item.danger_verdict_at >= before
    assert record.action == "judged_in_danger"
    assert verdict_log(crisis_item) == [("judged_in_danger", member.id, {"detector_level": "crisis"})]
    assert crisis_item.status == "open" and crisis_item.first_action_at is None, \
        "an answer is not a response: the item still waits for a moderator to act"


def test_the_same_answer_again_changes_nothing_and_another_replaces_it(crisis_item, moderator):
    record_verdict(moderator, crisis_item, "in_danger")
    assert record_verdict(moderator, crisis_item, "in_danger") is None
    record_verdict(moderator, crisis_item, "not_in_danger")
    db.session.commit()
    assert crisis_item.danger_verdict == "not_in_danger"
    assert [action for action, _, _ in verdict_log(crisis_item)] == ["judged_in_danger", "judged_not_in_danger"]


def test_an_unknown_answer_is_refused_and_the_database_refuses_it_too(crisis_item, moderator):
    with pytest.raises(DomainError):
        record_verdict(moderator, crisis_item, "maybe")
    assert crisis_item.danger_verdict is None and verdict_log(crisis_item) == []
    crisis_item.danger_verdict = "maybe"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_moderator_answers_on_the_item_page(app, crisis_item, mod_visitor, moderator):
    page = mod_visitor.get(f"/moderation/items/{crisis_item.id}").get_data(as_text=True)
    assert "Was the writer in danger?" in page and 'value="in_danger"' in page and "Answered:" not in page
    response = mod_visitor.post(f"/moderation/items/{crisis_item.id}/verdict", {"verdict": "in_danger"})
    assert response.status_code == 302 and response.location.endswith(
        f"/moderation/items/{crisis_item.id}#verdict-heading")
    page = mod_visitor.get(response.location).get_data(as_text=True)
    assert "Recorded: you judged that the writer was in danger." in page
    assert "Answered: <strong>in danger</strong>" in page and f"by {moderator.username}" in page
    assert "(the detector had said: crisis)" in page
    assert "judged that the writer was in danger" in page.split('id="history-heading"', 1)[1]
    log = mod_visitor.get("/moderation/log").get_data(as_text=True)
    assert "Judged: the writer was in danger" in log


def test_a_bad_answer_or_a_missing_token_gets_a_proper_page_and_stores_nothing(app, crisis_item, mod_visitor):
    response = mod_visitor.post(f"/moderation/items/{crisis_item.id}/verdict", {"verdict": "perhaps"},
                                follow_redirects=True)
    assert response.status_code == 200
    assert "Choose whether the writer was in danger or not." in response.get_data(as_text=True)
    expired = mod_visitor.client.post(f"/moderation/items/{crisis_item.id}/verdict", data={"verdict": "in_danger"})
    assert expired.status_code == 400 and "<html" in expired.get_data(as_text=True).lower()
    missing = mod_visitor.post("/moderation/items/999999/verdict", {"verdict": "in_danger"})
    assert missing.status_code == 404
    db.session.expire_all()
    assert db.session.get(ModerationItem, crisis_item.id).danger_verdict is None


def test_members_cannot_answer(app, crisis_item, signed_in):
    response = signed_in.post(f"/moderation/items/{crisis_item.id}/verdict", {"verdict": "not_in_danger"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(ModerationItem, crisis_item.id).danger_verdict is None


def test_the_health_page_counts_answers_by_what_the_detector_had_said(app, crisis_item, flagged_item, moderator,
                                                                      member, mod_visitor):
    empty = mod_visitor.get("/moderation/health").get_data(as_text=True)
    assert "No moderator has answered" in empty
    record_verdict(moderator, crisis_item, "in_danger")
    record_verdict(moderator, flagged_item, "in_danger")
    second = item_of(make_post(member, title="Again", body="I want to die. I have had enough of all of it."))
    record_verdict(moderator, second, "not_in_danger")
    db.session.commit()
    tally = verdict_tally(utcnow().replace(year=2000))
    assert tally.by_level == {"crisis": (1, 1), "concern": (0, 0), "none": (1, 0)}
    assert (tally.total, tally.alarms_judged, tally.alarm_precision, tally.in_danger_without_alarm) == (3, 2, 0.5, 1)
    page = " ".join(mod_visitor.get("/moderation/health").get_data(as_text=True).split())
    assert "3 answers to" in page and "Of the 2 crisis alarms answered, 50% were someone in danger." in page
    assert "1 writer in danger got no crisis alarm." in page
    to_read = "(the latest: read them to see what the detector misreads here):"
    assert (f'In danger, with no crisis alarm {to_read} <a href="/moderation/items/{flagged_item.id}">'
            f'item {flagged_item.id}</a>.') in page
    assert (f'Crisis alarms, not in danger {to_read} <a href="/moderation/items/{second.id}">'
            f'item {second.id}</a>.') in page
    assert (tally.missed, tally.false_alarms) == ([flagged_item.id], [second.id])
    assert '<th scope="row">Nothing found</th><td>1</td><td>0</td>' in page
    assert verdict_tally(utcnow()).total == 0, "only answers given in the period count"


def test_outcomes_measure_todays_detector_on_every_judged_post(app, crisis_item, flagged_item, moderator, member,
                                                               other_member):
    record_verdict(moderator, crisis_item, "in_danger")
    record_verdict(moderator, flagged_item, "in_danger")
    reply = make_reply(other_member, crisis_item.post, "I want to die too, tonight, I am done with all of it.")
    reply_item = item_of(reply)
    record_verdict(moderator, reply_item, "not_in_danger")
    db.session.commit()
    runner = app.test_cli_runner()
    output = runner.invoke(args=["crisis", "outcomes"]).output
    assert 'answered "was the writer in danger?" on 3 posts and replies.' in output
    assert "  in danger (2)" in output and "  not in danger (1)" in output
    in_danger_row = next(line for line in output.splitlines() if line.startswith("  in danger (2)")).split()
    assert in_danger_row[-3:] == ["1", "0", "1"], output  # the crisis post alarmed, the flagged one found nothing
    assert "Crisis alarm: 1 of 2 were someone in danger (precision 0.50)." in output
    assert "Writers in danger: 1 of 2 got the alarm (0.50), 1 a help card (0.50)." in output
    reply.deleted_at = utcnow()
    db.session.commit()
    output = runner.invoke(args=["crisis", "outcomes"]).output
    assert "on 2 posts and replies (1 since deleted by their authors, left out)." in output


def test_outcomes_with_no_answers_say_where_to_give_them(app):
    output = app.test_cli_runner().invoke(args=["crisis", "outcomes"]).output
    assert "on 0 posts and replies." in output and "the answer is on each moderation item's page" in output


def test_outcomes_count_one_answer_in_the_singular(app, crisis_item, moderator):
    record_verdict(moderator, crisis_item, "in_danger")
    db.session.commit()
    output = app.test_cli_runner().invoke(args=["crisis", "outcomes"]).output
    assert 'answered "was the writer in danger?" on 1 post or reply.' in output
    assert "Writers in danger: 1 of 1 got the alarm (1.00), 1 a help card (1.00)." in output


def test_a_departed_moderators_answer_stays(app, crisis_item, member):
    departing = make_member("brief_mod", Role.MODERATOR)
    record_verdict(departing, crisis_item, "in_danger")
    db.session.commit()
    db.session.delete(departing)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(ModerationItem, crisis_item.id)
    assert (kept.danger_verdict, kept.danger_verdict_by_id) == ("in_danger", None)
    visitor = Visitor(app.test_client())
    visitor.sign_in(make_member("another_mod", Role.MODERATOR).username)
    assert "by a former moderator" in visitor.get(f"/moderation/items/{crisis_item.id}").get_data(as_text=True)


def test_closing_an_item_where_someone_may_be_in_danger_asks_once(app, crisis_item, flagged_item, mod_visitor,
                                                                  member):
    closed = mod_visitor.post(f"/moderation/items/{crisis_item.id}/act",
                              {"action": "approve", "version": crisis_item.version})
    assert closed.location.endswith(f"/moderation/items/{crisis_item.id}?done=approve#verdict-heading")
    page = mod_visitor.get(closed.location).get_data(as_text=True)
    # Said beside the question the page opens at, not in a flash above it, out of sight.
    question = page.split('id="verdict-heading"', 1)[1].split("</section>", 1)[0]
    assert "Done: you approved it. One more question, if you know: was the writer in danger?" in question
    assert "Done: you approved it" not in page.split('id="verdict-heading"', 1)[0]
    answered = mod_visitor.post(f"/moderation/items/{crisis_item.id}/verdict", {"verdict": "not_in_danger"})
    assert answered.location.endswith("/moderation/"), "closed and answered: back to the queue"
    # Answered already: closing it again after it reopens goes straight back to the queue.
    db.session.expire_all()
    item = db.session.get(ModerationItem, crisis_item.id)
    item.status = "open"
    db.session.commit()
    again = mod_visitor.post(f"/moderation/items/{item.id}/act", {"action": "approve", "version": item.version})
    assert again.location.endswith("/moderation/")
    # An at-risk flag asks too; an item about spam does not.
    flagged = mod_visitor.post(f"/moderation/items/{flagged_item.id}/act",
                               {"action": "approve", "version": flagged_item.version})
    assert flagged.location.endswith("#verdict-heading")
    spam_post = make_post(member, title="Deals", body="Cheap watches, follow the link.")
    flag_content(make_member("tidy_reader"), spam_post, FlagReason.SPAM, hide_threshold=3)
    db.session.commit()
    spam = item_of(spam_post)
    assert mod_visitor.post(f"/moderation/items/{spam.id}/act",
                            {"action": "remove", "reason": "Advertising", "version": spam.version}
                            ).location.endswith("/moderation/")
