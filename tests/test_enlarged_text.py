"""Text enlarged to 200 % (Chromium's own font-size setting, as a reader with low vision sets it) on a 360 px
phone: no page scrolls sideways, the header's "Write" and menu stay on the screen, and a long hashtag, a hotline's
web address or a long label breaks instead of widening the page. Checkboxes and radios stay 24 px wide beside
long labels; and a form sent back with something to fix starts on the field that says what."""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import ModerationItem, Role
from tests.browser_fixtures import sign_in
from tests.helpers import PASSWORD, make_member, make_post

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
CRISIS_TEXT = "I want to die and I think tonight is the night."
#: Parts of a page that scroll on purpose (a data table in its own scroller) and screen-reader-only text.
SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter(el => {
        if (el.closest('.visually-hidden, .menu-panel, .table-scroll, .tabs:not(.moderation .tabs)')) return false;
        const box = el.getBoundingClientRect();
        return box.width && box.right > width + 1;
    });
    return wide.slice(0, 5).map(el => `${el.className}: ${el.textContent.trim().slice(0, 40)}`);
}"""


def enlarged_text_page(browser, base, username):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if username:
        sign_in(page, base, username)
    # What "Font size: very large" does in Chromium's settings: 16 px becomes 32 px, media queries in rem too.
    context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    return page


def test_no_page_scrolls_sideways_with_the_text_at_200_percent_on_a_phone(app, live_server, browser):
    writer = make_member("willow_writer")
    make_post(writer, "Talking back to the voice", "Some days it's loud. #EatingDisorderRecovery #Anxiety")
    make_post(make_member("night_writer"), "Tonight", CRISIS_TEXT)
    moderator = make_member("steady_lantern", Role.MODERATOR)
    newcomer = make_member("new_leaf")  # follows nothing: /my-tags suggests tags, each with its follow button
    item = db.session.query(ModerationItem).one()
    pages = {None: ["/", "/help"],  # a visitor's welcome, with its two buttons
             newcomer.username: ["/", "/my-tags", "/help", "/search?q=voice", "/settings/tokens", "/posts/new"],
             moderator.username: ["/moderation/tags", "/moderation/words", f"/moderation/items/{item.id}",
                                  "/moderation/log"]}
    found = []
    for username, paths in pages.items():
        page = enlarged_text_page(browser, live_server, username)
        for path in paths:
            page.goto(live_server + path)
            found += [f"{path} {problem}" for problem in page.evaluate(SIDEWAYS)]
        page.context.close()
    assert found == [], "\n".join(found)


def test_checkboxes_and_radios_keep_their_size_beside_long_labels(app, live_server, browser, member):
    post = make_post(make_member("willow_writer"))
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, member.username)
    small = []
    for path in (f"/posts/{post.id}/flag", "/settings", "/settings/delete", "/notifications/settings"):
        page.goto(live_server + path)
        small += page.evaluate("""path => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
            .map(box => box.getBoundingClientRect())
            .filter(box => box.width < 24 || box.height < 24)
            .map(box => `${path}: ${Math.round(box.width)}x${Math.round(box.height)}`)""", path)
    assert small == []


@pytest.mark.parametrize("javascript", [True, False])
def test_a_refused_post_starts_on_the_field_that_needs_another_look(app, live_server, browser, member, javascript):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.fill("#title", "Tonight")
    page.click("form[data-crisis-check] button[type=submit]")
    expect(page.locator("#body-error")).to_be_visible()
    expect(page.locator("#body")).to_be_focused()  # not the title, which was fine: the message is heard
    assert "body-error" in page.locator("#body").get_attribute("aria-describedby")
    expect(page.locator("#title")).to_have_value("Tonight")


def test_a_refused_reply_and_a_wrong_password_start_on_their_message(app, live_server, browser, member):
    post = make_post(make_member("willow_writer"))
    page = browser.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#username", member.username)
    page.fill("#password", PASSWORD + "x")
    page.click("main button[type=submit]")
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator("#password")).to_be_focused()
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(live_server + "/")
    page.goto(f"{live_server}/posts/{post.id}")
    page.click(".reply-box button[type=submit]")
    expect(page.locator(".reply-box #body-error")).to_be_visible()
    expect(page.locator(".reply-box #body")).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_refused_post_in_crisis_starts_on_the_help_above_it(app, live_server, browser, member, javascript):
    """On a phone the field to fix sits below the help panel: starting there scrolled the help out of sight."""
    page = browser.new_context(java_script_enabled=javascript, viewport=PHONE).new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.fill("#body", CRISIS_TEXT)
    page.click("form[data-crisis-check] button[type=submit]")
    expect(page.locator("#title-error")).to_be_visible()
    heading = page.locator("[data-unsent-care] .crisis-panel h2")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(page.locator("#body")).to_have_value(CRISIS_TEXT)
