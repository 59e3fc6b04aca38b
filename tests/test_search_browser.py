"""Search in headless Chromium, without JavaScript: on a 360 px phone the header's search button leads to the
full search form; on a desktop the header's own search box answers."""
import pytest
from playwright.sync_api import expect

from tests.helpers import make_member, make_post

pytestmark = pytest.mark.browser


def test_search_from_a_phones_header_works_without_javascript(app, live_server, browser):  # noqa: F811
    make_post(make_member("tide_reader"), "Relapse and starting again", "Day one, again, and that's okay.")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server + "/")
    search = page.locator(".site-header").get_by_role("link", name="Search", exact=True)
    expect(search).to_be_in_viewport()
    search.click()
    page.wait_for_url("**/search")
    box = page.get_by_label("Words to look for")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing pushes the page sideways
    field = box.bounding_box()
    assert field["x"] >= 0 and field["x"] + field["width"] <= 360
    box.fill("relapsed")
    box.press("Enter")
    page.wait_for_url("**/search?q=relapsed*")
    expect(page.locator(".search-result mark").first).to_have_text("Relapse")
    context.close()


def test_the_desktop_headers_search_box_works_without_javascript(app, live_server, browser):  # noqa: F811
    make_post(make_member("tide_reader"), "Relapse and starting again", "Day one, again, and that's okay.")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/")
    box = page.get_by_label("Search posts and replies")
    expect(box).to_be_in_viewport()
    box.fill("relapsed")
    box.press("Enter")
    page.wait_for_url("**/search?q=relapsed")
    expect(page.locator(".search-result mark").first).to_have_text("Relapse")
    context.close()
