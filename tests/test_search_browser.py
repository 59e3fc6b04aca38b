"""The header's search box in headless Chromium: on a 360 px phone, without JavaScript."""
import pytest
from playwright.sync_api import expect

from tests.helpers import make_member, make_post
from tests.test_browser import browser, live_server  # noqa: F401 - the browser tests' own fixtures

pytestmark = pytest.mark.browser


def test_the_header_search_fits_a_phone_and_works_without_javascript(app, live_server, browser):  # noqa: F811
    make_post(make_member("tide_reader"), "Relapse and starting again", "Day one, again, and that's okay.")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/")
    box = page.get_by_label("Search posts and replies")
    expect(box).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing pushes the page sideways
    field = box.bounding_box()
    assert field["x"] >= 0 and field["x"] + field["width"] <= 360
    box.fill("relapsed")
    box.press("Enter")
    page.wait_for_url("**/search?q=relapsed")
    expect(page.locator(".search-result mark").first).to_have_text("Relapse")
    context.close()
