"""The moderation item page is laid out for the decision: the words rendered, why they're here, the thread,
the author's history, then the actions that fit this item's reasons first, each with its own boxes."""
from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationItem, Priority, ReasonKind, utcnow
from forum.services.moderation.actions import take_action
from forum.services.moderation.decisions import ALL_DECISIONS, fitting_decisions, reason_key
from forum.services.moderation.queue import add_reason
from tests.helpers import make_post, make_reply

CRISIS_TEXT = "I want to die and I think tonight is the night."


class PageStructure(HTMLParser):
    """The parts of a page these tests read: ids, labels, headings, and each action form in order."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: list[str] = []
        self.controls: set[str] = set()
        self.headings: list[str] = []
        self.actions: list[tuple[str, bool]] = []  # (action, inside the "More actions" disclosure)
        self.details_open: dict[str, bool] = {}
        self._details: list[str] = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and "for" in attrs:
            self.label_targets.append(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden" and "id" in attrs:
            self.controls.add(attrs["id"])
        if tag == "details":
            self._details.append(attrs.get("class", ""))
            self.details_open[attrs.get("class", "")] = "open" in attrs
        if tag == "input" and attrs.get("name") == "action" and "action-" in (self._form_id or ""):
            self.actions.append((attrs["value"], "more-actions" in self._details))
        if tag == "form":
            self._form_id = attrs.get("id")
        if tag in ("h1", "h2"):
            self._heading = ""

    _form_id = None

    def handle_endtag(self, tag):
        if tag == "details" and self._details:
            self._details.pop()
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append(self._heading.strip())
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data


def structure_of(response) -> PageStructure:
    parser = PageStructure()
    parser.feed(response.get_data(as_text=True))
    return parser


def item_of_only_post():
    return db.session.scalars(select(ModerationItem)).one()


def flagged(author, reason: str, priority=Priority.ROUTINE):
    post = make_post(author, title="Something to look at", body="Words for moderators to read. #Anxiety")
    item = add_reason(post, ReasonKind.FLAG.value, {"reason": reason, "label": reason, "by": "someone"}, priority)
    db.session.commit()
    return item


def test_a_crisis_item_offers_reaching_out_first_and_never_looks_fine(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    page = structure_of(mod_visitor.get(f"/moderation/items/{item_of_only_post().id}"))
    first = [action for action, hidden in page.actions if not hidden]
    assert first == ["message", "approve", "lock", "hide"]
    assert "Looks fine" not in mod_visitor.get(f"/moderation/items/{item_of_only_post().id}").get_data(as_text=True)


@pytest.mark.parametrize("reason,priority,first", [
    ("at_risk", Priority.AT_RISK_FLAG, "message"),
    ("spam", Priority.ROUTINE, "remove"),
    ("harassment", Priority.ROUTINE, "hide"),
    ("graphic", Priority.ROUTINE, "content_warning"),
    ("other", Priority.ROUTINE, "approve"),
])
def test_the_first_action_fits_the_flags_reason(mod_visitor, member, reason, priority, first):
    item = flagged(member, reason, priority)
    page = structure_of(mod_visitor.get(f"/moderation/items/{item.id}"))
    shown = [action for action, hidden in page.actions if not hidden]
    assert shown[0] == first and 3 <= len(shown) <= 4


def test_every_other_action_waits_behind_the_disclosure_once(mod_visitor, member):
    item = flagged(member, "spam")
    page = structure_of(mod_visitor.get(f"/moderation/items/{item.id}"))
    assert Counter(action for action, _ in page.actions) == Counter(ALL_DECISIONS)
    assert [action for action, hidden in page.actions if hidden] == ["message", "hide", "lock", "content_warning",
                                                                     "warn"]
    assert page.details_open["more-actions"] is False


@pytest.mark.parametrize("keys,first", [
    ({"crisis", "flag:spam"}, ("message", "approve", "lock", "hide")),
    ({"flag:spam", "watched_word"}, ("remove", "approve", "suspend")),
    ({"new_member"}, ("approve", "hide", "message")),
    (set(), ("approve", "hide", "warn")),
])
def test_the_most_urgent_reason_decides_what_comes_first(keys, first):
    decisions = fitting_decisions(keys)
    assert decisions.first == first
    assert sorted(decisions.first + decisions.rest) == sorted(ALL_DECISIONS)


def test_a_locked_post_offers_reopening_instead_of_locking():
    decisions = fitting_decisions({"crisis"}, replies_locked=True)
    assert "unlock" in decisions.first and "lock" not in decisions.first + decisions.rest


def test_a_flag_is_known_by_what_it_was_flagged_for():
    assert reason_key("flag", {"reason": "spam"}) == "flag:spam" and reason_key("flag", {}) == "flag:other"
    assert reason_key("crisis", {"matches": []}) == "crisis"


def test_ids_are_unique_and_every_label_names_one_control(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    page = structure_of(mod_visitor.get(f"/moderation/items/{item_of_only_post().id}"))
    assert [name for name, count in Counter(page.ids).items() if count > 1] == []
    assert page.label_targets and all(target in page.controls for target in page.label_targets)
    assert all(control in page.label_targets for control in page.controls), "a control without a label"
    assert {"hide-reason", "warn-reason", "remove-reason", "suspend-reason", "suspend-suspend_days"} <= page.controls


def test_the_page_reads_in_the_order_of_a_decision(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    page = structure_of(mod_visitor.get(f"/moderation/items/{item_of_only_post().id}"))
    assert page.headings[1:6] == ["What they wrote", "Why it's here", "The thread", f"About {member.username}",
                                  "Decide"]


def test_title_and_body_are_rendered_not_run_together_as_markdown(mod_visitor, member):
    post = make_post(member, title="Rough night", body="Some **heavy** days.\n\n- one\n- two")
    item = add_reason(post, ReasonKind.FLAG.value, {"reason": "other", "label": "Something else"}, Priority.ROUTINE)
    db.session.commit()
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert '<p class="moderated-title">Rough night</p>' in page
    assert "<strong>heavy</strong>" in page and "<li>one</li>" in page and "**heavy**" not in page


def test_crisis_matches_are_shown_to_moderators_with_the_words_marked(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    page = mod_visitor.get(f"/moderation/items/{item_of_only_post().id}").get_data(as_text=True)
    assert "<mark>want to die</mark>" in page and "Crisis detector" in page and "matched “" in page


def test_the_moderator_sees_that_someone_has_already_answered(mod_visitor, member, other_member):
    post = make_post(member, body=CRISIS_TEXT)
    page = mod_visitor.get(f"/moderation/items/{item_of_only_post().id}").get_data(as_text=True)
    assert "Nobody else has replied yet" in page
    make_reply(other_member, post, "I'm here with you. Can you tell us how you are right now?")
    page = mod_visitor.get(f"/moderation/items/{item_of_only_post().id}").get_data(as_text=True)
    assert "Already answered: 1 reply from other members" in page and "how you are right now" in page


def test_a_reply_item_shows_its_post_and_marks_itself_in_the_thread(mod_visitor, member, other_member):
    post = make_post(member, title="Checking in after a long week")
    make_reply(member, post, "Adding a little more about my week.")
    reply = make_reply(other_member, post, "Goodbye everyone, this is my last post.")
    item = item_of_only_post()
    assert item.reply_id == reply.id
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "Checking in after a long week" in page and "(the post's author)" in page
    assert page.count('aria-current="true"') == 1 and "<strong>This reply</strong>" in page


def test_the_authors_history_shows_age_writing_and_earlier_actions(mod_visitor, member, moderator):
    member.joined_at = utcnow() - timedelta(days=40)
    earlier = flagged(member, "spam")
    take_action(moderator, earlier, earlier.version, "warn", reason="Please keep links on topic.")
    db.session.commit()
    make_post(member, title="Today was hard", body=CRISIS_TEXT)
    item = db.session.scalars(select(ModerationItem).where(ModerationItem.id != earlier.id)).one()
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "2 posts, 0 replies" in page and "an account 40 days old" in page
    assert "Today was hard" in page and "Something to look at" in page
    assert "river_mod warned the author: Please keep links on topic." in page


def test_a_refused_action_keeps_what_was_typed_in_its_own_box_only(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    item = item_of_only_post()
    response = mod_visitor.post(f"/moderation/items/{item.id}/act", {
        "action": "suspend", "version": str(item.version), "suspend_days": "0", "reason": "Typed with care"})
    assert response.status_code == 422
    page = structure_of(response)
    html = response.get_data(as_text=True)
    assert page.details_open["more-actions"] is True, "the form the moderator used is open again"
    assert "Typed with care</textarea>" in html and html.count("Typed with care") == 1
    assert 'id="suspend-suspend_days-error"' in html and 'role="alert"' in html


def test_a_hidden_reply_or_the_authors_own_is_not_someone_answering(mod_visitor, member, other_member):
    post = make_post(member, body=CRISIS_TEXT)
    make_reply(member, post, "Adding a little more about tonight.")
    hidden = make_reply(other_member, post, "A reply a moderator hid.")
    hidden.status = "hidden"
    db.session.commit()
    page = mod_visitor.get(f"/moderation/items/{item_of_only_post().id}").get_data(as_text=True)
    assert "Nobody else has replied yet" in page and "A reply a moderator hid." in page


def test_for_someone_in_danger_the_message_offered_first_is_the_crisis_lines(mod_visitor, member):
    make_post(member, body=CRISIS_TEXT)
    page = mod_visitor.get(f"/moderation/items/{item_of_only_post().id}").get_data(as_text=True)
    assert '<option selected value="crisis_lines">' in page


def test_a_routine_item_offers_checking_in_first(mod_visitor, member):
    item = flagged(member, "other")
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    select = page.split('<select id="message-message_key"', 1)[1].split("</select>", 1)[0]
    assert "selected" not in select and select.index("checking_in") < select.index("crisis_lines")
