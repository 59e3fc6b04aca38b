"""The moderators' pages (log, health, item) in headless Chromium at a phone's width: nothing wider than the
screen, every tab in sight, and on a crisis item the first decision a keyboard reaches is reaching out."""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import ModerationItem, Priority, ReasonKind, Role
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.watched import add_watched_word
from tests.browser_fixtures import sign_in
from tests.helpers import make_member, make_post, make_reply

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
CRISIS_TEXT = "I want to die and I think tonight is the night."


@pytest.fixture
def moderation_history(app, member, other_member):
    """A crisis item with a reply already given, and a log with long titles, names and reasons."""
    moderator = make_member("river_moderator_on_night_shift", Role.MODERATOR)
    post = make_post(member, title="A very long title about a week that never seemed to end at all, " * 2,
                     body=CRISIS_TEXT)
    make_reply(other_member, post, "I'm here with you. Can you tell us how you are right now?")
    flagged = make_post(other_member, title="Spam-ish", body="Visit averyveryveryverylongdomainname.example now")
    item = add_reason(flagged, ReasonKind.FLAG.value, {"reason": "spam", "label": "Spam"}, Priority.ROUTINE)
    take_action(moderator, item, item.version, "hide", reason="A link to a shop, " * 10)
    add_watched_word(moderator, "miracle cure", "require_approval")
    db.session.commit()
    crisis = db.session.query(ModerationItem).filter(ModerationItem.post_id == post.id).one()
    return moderator, crisis


def test_the_log_and_the_item_page_fit_a_phone(app, live_server, browser, moderation_history):  # noqa: F811
    moderator, crisis = moderation_history
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    refused = []  # the strict CSP: no inline script or style anywhere on these pages (the SVG charts included)
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, live_server, moderator.username)
    page.goto(f"{live_server}/moderation/log")
    expect(page.locator(".log-entry")).to_have_count(2)
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    hashtags = page.locator("nav.tabs a", has_text="Hashtags")
    expect(hashtags).to_be_in_viewport(ratio=1)
    box = hashtags.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    page.goto(f"{live_server}/moderation/health?days=90")
    expect(page.locator("svg.chart")).to_have_count(6)
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]

    page.goto(f"{live_server}/moderation/items/{crisis.id}")
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    expect(page.get_by_text("Already answered: 1 reply from other members")).to_be_visible()
    first = page.locator(".moderation-actions .decisions").first.locator("button").first
    expect(first).to_have_text("Reach out with a supportive message")
    expect(page.locator(".more-actions .action-form").first).to_be_hidden()
    page.locator(".more-actions > summary").click()
    expect(page.locator("#warn-reason")).to_be_visible()
    page.locator("label[for=warn-reason]").click()
    expect(page.locator("#warn-reason")).to_be_focused()  # the label puts the cursor in its own box
    assert refused == []
    context.close()


def test_reaching_out_from_a_crisis_item_works_with_the_keyboard_alone(app, live_server, browser,  # noqa: F811
                                                                     moderation_history):
    moderator, crisis = moderation_history
    page = browser.new_page()
    sign_in(page, live_server, moderator.username)
    page.goto(f"{live_server}/moderation/items/{crisis.id}")
    page.locator("#message-message_key").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#action-message button")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/moderation/items/{crisis.id}")
    expect(page.get_by_text("Done: you sent a message.")).to_be_visible()
