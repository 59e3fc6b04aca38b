"""The heart button for keyboard and voice users: its name starts with the count it shows, and after Enter the
focus stays on it (it used to fall to the page)."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import sign_in
from tests.helpers import make_post


def test_the_heart_buttons_name_starts_with_its_count(signed_in_other, member):
    post = make_post(member, title="Small wins")
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)
    button = re.search(r'<button type="submit" class="heart-button"[^>]*>', page).group(0)
    assert 'aria-label="0 hearts. Send a heart to ' in button


@pytest.mark.browser
def test_enter_hearts_in_place_and_keeps_the_focus_on_the_button(app, live_server, browser,  # noqa: F811
                                                                 member, other_member):
    post = make_post(member, title="Small wins")
    page = browser.new_page()
    sign_in(page, live_server, other_member.username)
    page.goto(f"{live_server}/posts/{post.id}")
    button = page.locator("#post .heart-button")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_attribute("aria-label", re.compile(r"^1 heart\. Take back your heart for "))
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-label", re.compile(r"^0 hearts\. Send a heart to "))
    expect(button).to_be_focused()
