"""Drafts kept in the browser: words typed in a reply box or the composer survive a reload, a failed send or a
closed tab, are offered back before anything is put in the form, and are let go once they went through."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import sign_in
from tests.helpers import PASSWORD, make_post

pytestmark = pytest.mark.browser
OFFER = "We kept what you were writing"
KEPT_DRAFTS = """() => Object.keys(localStorage).filter(name => name.startsWith("kindred-draft:"))"""


def test_a_reply_typed_and_reloaded_is_offered_back_and_gone_once_sent(app, live_server, browser,
                                                                       member, other_member):
    post = make_post(member)
    page = browser.new_page()
    sign_in(page, live_server, other_member.username)
    page.goto(f"{live_server}/posts/{post.id}")
    box = page.locator("#reply textarea[name=body]")
    box.fill("You're not alone. I have nights like this too.")
    page.reload()
    expect(page.get_by_text(OFFER)).to_be_visible()
    expect(box).to_have_value("")  # nothing is put back until the member says so
    page.get_by_role("button", name="Restore").click()
    expect(box).to_have_value("You're not alone. I have nights like this too.")
    expect(page.get_by_text(OFFER)).to_have_count(0)

    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url(re.compile(rf"/posts/{post.id}#"))  # at the reply, or at help if the words asked for it
    expect(page.locator(".reply .prose").get_by_text("I have nights like this too.")).to_be_visible()
    assert page.evaluate(KEPT_DRAFTS) == []
    page.reload()
    expect(page.get_by_text(OFFER)).to_have_count(0)


def test_a_post_left_unsent_is_offered_back_and_can_be_discarded(app, live_server, browser, member):
    page = browser.new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.fill("#title", "Three in the morning")
    page.fill("#body", "Can't sleep. The house is so quiet.")
    page.goto(f"{live_server}/help")
    page.goto(f"{live_server}/posts/new")
    expect(page.get_by_text(OFFER)).to_be_visible()
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("#body")).to_have_value("")
    assert page.evaluate(KEPT_DRAFTS) == []


def test_signing_out_forgets_the_drafts_kept_in_this_browser(app, live_server, browser, member):
    """A shared computer must not keep one member's words for the next person at it."""
    page = browser.new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.fill("#body", "Something I'm not ready to post.")
    assert len(page.evaluate(KEPT_DRAFTS)) == 1
    page.get_by_role("button", name="Sign out").click()  # the one showing: the header's or its menu's
    page.wait_for_load_state()
    assert page.evaluate(KEPT_DRAFTS) == []


def sign_out_everywhere(page, live_server):
    page.goto(f"{live_server}/settings")
    page.get_by_role("button", name="Sign out of every device").click()


def delete_the_account(page, live_server):
    page.goto(f"{live_server}/settings/delete")
    page.locator("input[name=keep]").first.check()
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Delete my account").click()


@pytest.mark.parametrize("leave", [sign_out_everywhere, delete_the_account])
def test_every_way_of_signing_out_forgets_the_drafts(app, live_server, browser, member, leave):
    page = browser.new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.fill("#body", "Something I'm not ready to post.")
    assert len(page.evaluate(KEPT_DRAFTS)) == 1
    leave(page, live_server)
    page.wait_for_url(re.compile(r"/(login)?$"))  # signed out: at sign-in, or the latest posts
    assert page.evaluate(KEPT_DRAFTS) == []


def test_an_edit_left_unsaved_is_offered_back_and_let_go_once_saved(app, live_server, browser, member):
    post = make_post(member, title="Week two", body="Starting to sleep a bit better.")
    page = browser.new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/{post.id}/edit")
    expect(page.get_by_text(OFFER)).to_have_count(0)  # the saved words alone are no draft
    page.fill("#body", "Starting to sleep a bit better. Walked to the shop today, too.")
    page.goto(f"{live_server}/help")
    page.goto(f"{live_server}/posts/{post.id}/edit")
    expect(page.get_by_text(OFFER)).to_be_visible()
    expect(page.locator("#body")).to_have_value("Starting to sleep a bit better.")
    page.get_by_role("button", name="Restore").click()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/posts/{post.id}"))
    expect(page.get_by_text("Walked to the shop today, too.")).to_be_visible()
    assert page.evaluate(KEPT_DRAFTS) == []
