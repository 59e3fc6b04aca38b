"""With a keyboard alone: sign in, write a post, heart someone's words, read the notification, and, as a
moderator, open a crisis item from the queue and reach out. No mouse click anywhere."""
import re

import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import ModerationItem, Role
from tests.helpers import PASSWORD, make_member, make_post

pytestmark = pytest.mark.browser
CRISIS_TEXT = "I want to die and I think tonight is the night."


def tab_to(page, name: str, limit: int = 60):
    """Press Tab until the focused element's text (or value) is `name`; fail if it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.innerText || document.activeElement.value || '')")
        if " ".join(focused.split()) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def sign_in_by_keyboard(page, base, username):
    page.goto(base + "/login")
    page.keyboard.type(username)  # the name field has the focus already
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")


def test_writing_hearting_and_reading_a_notification_by_keyboard(app, live_server, browser,  # noqa: F811
                                                                  member, other_member):
    writer = browser.new_context().new_page()
    sign_in_by_keyboard(writer, live_server, member.username)
    tab_to(writer, "Write a post")
    writer.keyboard.press("Enter")
    writer.wait_for_url("**/posts/new")
    writer.locator("#title").focus()
    writer.keyboard.type("First week here")
    writer.keyboard.press("Tab")
    writer.keyboard.type("Hello everyone. Glad I found this place. #Recovery")
    tab_to(writer, "Post")
    writer.keyboard.press("Enter")
    # A post's own address: "**/posts/*" also matched /posts/new, so a slow submit sent the reader there.
    writer.wait_for_url(re.compile(r"/posts/\d+"))

    reader = browser.new_context().new_page()
    sign_in_by_keyboard(reader, live_server, other_member.username)
    reader.goto(writer.url)
    heart = reader.locator("#post .heart-button")
    for _ in range(60):
        reader.keyboard.press("Tab")
        if heart.evaluate("button => button === document.activeElement"):
            break
    reader.keyboard.press("Enter")
    expect(heart).to_have_attribute("aria-pressed", "true")

    writer.goto(live_server + "/")
    tab_to(writer, "Notifications 1")
    writer.keyboard.press("Enter")
    expect(writer.get_by_text(f"{other_member.username} sent a heart")).to_be_visible()


def test_a_moderator_reaches_out_from_the_queue_by_keyboard(app, live_server, browser, member):  # noqa: F811
    make_post(member, title="Tonight", body=CRISIS_TEXT)
    moderator = make_member("night_moderator", Role.MODERATOR)
    item = db.session.query(ModerationItem).one()
    page = browser.new_page()
    sign_in_by_keyboard(page, live_server, moderator.username)
    page.goto(live_server + "/moderation/")
    tab_to(page, "Open")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/moderation/items/{item.id}")
    tab_to(page, "Reach out with a supportive message")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Done: you sent a message.")).to_be_visible()
    tab_to(page, "Leave it up and close the item")
    page.keyboard.press("Enter")
    # Closing an item where someone may have been in danger asks, once, whether they were.
    page.wait_for_url(f"**/moderation/items/{item.id}?done=approve#verdict-heading")
    expect(page.get_by_text("One more question, if you know: was the writer in danger?")).to_be_visible()
    tab_to(page, "Yes, they were in danger")
    page.keyboard.press("Enter")
    page.wait_for_url("**/moderation/")
    expect(page.get_by_text("Recorded: you judged that the writer was in danger.")).to_be_visible()
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()
