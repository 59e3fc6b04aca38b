"""The header on a 360 px phone is one row — logo, "Get help now", search, the main action, a menu — for a
visitor, a member and a moderator; the menu opens from the keyboard and holds the rest of the navigation, and
its button shows what is unread and a crisis item waiting. At 1280 px the links show without a menu."""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Priority, ReasonKind, Role
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from tests.browser_fixtures import sign_in
from tests.helpers import make_member, make_post, make_reply

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
ONE_ROW_PX = 64  # one row of 44 px touch targets and its padding; the old phone header was 4-5 rows (261 px)
CRISIS_TEXT = "I want to die and I think tonight is the night."
#: What the menu holds for each kind of viewer, in order (the keyboard meets them in this order too).
MENU = {
    "visitor": ["Latest", "Needs a reply", "Tags", "Guides", "Search", "Sign in", "Join"],
    "member": ["Latest", "Needs a reply", "Tags", "Guides", "Search", "My tags", "Notifications", "Messages",
               "Your profile {name}", "Settings", "Sign out"],
    "moderator": ["Latest", "Needs a reply", "Tags", "Guides", "Search", "My tags", "Notifications", "Messages",
                  "Moderation", "Your profile {name}", "Settings", "Sign out"],
}
ACTION = {"visitor": "Sign in", "member": "Write", "moderator": "Write"}
USERNAME = {"member": "quiet_harbour", "moderator": "steady_lantern"}


def viewer_page(browser, base, who, viewport, messaged=False, **context_options):  # noqa: F811
    """A page at `viewport` for a visitor, or signed in as a member with one unread reply, or as a moderator
    with a crisis item waiting (and the same unread reply); `messaged`: with an unread message from another
    moderator too, so the header also shows "Messages"."""
    page = browser.new_context(viewport=viewport, **context_options).new_page()
    if who != "visitor":
        person = make_member(USERNAME[who], Role.MODERATOR if who == "moderator" else Role.MEMBER)
        make_reply(make_member(f"replier_to_{who}"), make_post(person, "My week", "Better than the last."))
        if who == "moderator":
            make_post(make_member("night_writer"), "Tonight", CRISIS_TEXT)
        if messaged:
            post = make_post(person, "A long night", "Words for the moderators to read.")
            item = add_reason(post, ReasonKind.FLAG.value, {"reason": "at_risk"}, Priority.AT_RISK_FLAG)
            take_action(make_member("other_lantern", Role.MODERATOR), item, item.version, "message",
                        message_key="crisis_lines")
            db.session.commit()
        sign_in(page, base, person.username)
    page.goto(base + "/")
    return page


def focused_words(page) -> str:
    """The focused link's or button's words without its count badge ("Notifications 1 unread" -> "Notifications")."""
    return " ".join(page.evaluate("""() => {
        const copy = document.activeElement.cloneNode(true);
        copy.querySelectorAll('.badge').forEach(badge => badge.remove());
        return copy.textContent; }""").split())


@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_the_phone_header_is_one_row_with_help_first_and_a_keyboard_menu(app, live_server, browser, who):  # noqa: F811
    page = viewer_page(browser, live_server, who, PHONE)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < ONE_ROW_PX
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways
    row = page.evaluate("""() => [...document.querySelectorAll('.header-row > *')]
        .filter(element => element.getClientRects().length)
        .map(element => element.getBoundingClientRect())
        .map(box => [box.left, box.right, box.top, box.bottom])""")
    assert len(row) == 5  # logo, help, search, main action, menu: and nothing else showing
    assert all(left >= 0 and right <= PHONE["width"] for left, right, _, _ in row)
    assert max(top for _, _, top, _ in row) < min(bottom for _, _, _, bottom in row)  # all on one line

    help_now = page.get_by_role("link", name="Get help now")
    expect(help_now).to_be_visible()
    expect(page.get_by_role("link", name="Search", exact=True).first).to_be_visible()
    expect(page.locator(".site-header .phone-action")).to_have_text(ACTION[who])

    # The keyboard: skip link, logo, then help; then search, the main action and the menu's button.
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.className || document.activeElement.tagName"))
    assert order[1:3] == ["brand", "help-now"]
    assert "search-link" in order[3] and "phone-action" in order[4] and order[5] == "SUMMARY"

    menu_button = page.locator(".site-menu > summary")
    if who == "visitor":
        expect(menu_button).to_have_accessible_name("Menu")
    else:  # the unread reply shows on the closed menu's button; for a moderator, the crisis item too
        expect(menu_button.locator(".badge").first).to_be_visible()
        expect(menu_button).to_have_accessible_name(
            "Menu, 1 unread, 1 crisis waiting" if who == "moderator" else "Menu, 1 unread")
    if who == "moderator":
        expect(menu_button.locator(".badge-crisis")).to_be_visible()

    page.keyboard.press("Enter")
    panel = page.get_by_role("navigation", name="Menu")
    expect(panel).to_be_visible()
    reached = []
    for _ in range(len(MENU[who]) + 1):
        page.keyboard.press("Tab")
        if not page.evaluate("() => document.querySelector('.menu-panel').contains(document.activeElement)"):
            break
        reached.append(focused_words(page))
        expect(page.locator(":focus")).to_be_visible()
        expect(page.locator(":focus")).to_be_in_viewport()
    assert reached == [line.format(name=USERNAME.get(who)) for line in MENU[who]]

    menu_button.focus()
    page.keyboard.press("Escape")  # kindred.js: Escape closes the menu and leaves the focus on its button
    expect(panel).to_be_hidden()
    expect(menu_button).to_be_focused()
    page.context.close()


def test_the_phone_menu_opens_from_the_keyboard_without_javascript(app, live_server, browser):  # noqa: F811
    page = viewer_page(browser, live_server, "member", PHONE, java_script_enabled=False)
    page.locator(".site-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Settings")).to_be_visible()
    page.get_by_role("link", name="Search", exact=True).first.click()  # the row's search leads to the full form
    page.wait_for_url("**/search")
    expect(page.get_by_label("Words to look for")).to_be_visible()
    page.context.close()


# The widest header a moderator gets: every count showing, "Messages" too (it is there only while one is unread);
# at 1280 px and at 70rem (1120 px), the narrowest width that shows the desktop header.
@pytest.mark.parametrize("who,messaged,width", [("visitor", False, 1280), ("moderator", False, 1280),
                                                ("moderator", True, 1280), ("moderator", True, 1120)])
def test_a_desktop_shows_every_link_without_a_menu(app, live_server, browser, who, messaged, width):  # noqa: F811
    viewport = {**DESKTOP, "width": width}
    page = viewer_page(browser, live_server, who, viewport, messaged=messaged)
    expect(page.locator(".site-menu")).to_be_hidden()
    expect(page.locator(".search-link")).to_be_hidden()
    expect(page.get_by_label("Search posts and replies")).to_be_visible()
    header = page.locator(".site-header")
    names = ["Latest", "Needs a reply", "Tags", "Guides"]
    names += ["Sign in", "Join"] if who == "visitor" else ["My tags", "Write a post", "Notifications", "Moderation",
                                                            "Settings", "Sign out"]
    names += ["Messages"] if messaged else []
    for name in names:
        expect(header.get_by_role("link", name=name).or_(header.get_by_role("button", name=name)).first).to_be_visible()
    link_tops = page.evaluate("""() => [...document.querySelectorAll('.main-nav a, .account-nav > *')]
        .map(element => Math.round(element.getBoundingClientRect().top + element.offsetHeight / 2))""")
    assert max(link_tops) - min(link_tops) <= 2  # the links are one line under the brand, help and search
    assert header.bounding_box()["height"] < 2 * ONE_ROW_PX
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.context.close()


@pytest.mark.parametrize("width", [320, 360, 390, 430, 480, 580, 600, 900])
def test_nothing_in_the_header_is_cut_off_at_any_phone_or_tablet_width(app, live_server, browser, width):
    """Every header item shows whole, on the screen and within its own box, and no two overlap (at 390 px the
    logo and "Kindred" were cut on both sides and hidden under "Get help now")."""
    page = viewer_page(browser, live_server, "member", {"width": width, "height": 640})
    problems = page.evaluate("""() => {
        const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        const items = [...document.querySelectorAll('.header-row > *')].filter(shown);
        const found = [];
        let right = -Infinity;
        for (const item of items) {
            const box = item.getBoundingClientRect();
            if (box.left < right - 1) found.push(`${item.className} overlaps what comes before it`);
            right = Math.max(right, box.right);
            const face = item.tagName === 'DETAILS' ? item.querySelector('summary') : item;  // not the menu's panel
            for (const part of [item, ...face.querySelectorAll('img, span, svg')].filter(shown)) {
                // The unread count sits on the menu button's corner; screen-reader text is clipped on purpose.
                if (part.closest('.menu-badges, .visually-hidden')) continue;
                const r = part.getBoundingClientRect();
                const name = part.className || part.tagName;
                if (r.left < -1 || r.right > innerWidth + 1) found.push(`${name} leaves the screen`);
                if (r.left < box.left - 1 || r.right > box.right + 1) found.push(`${name} is cut`);
            }
        }
        return found;
    }""")
    assert problems == [], "; ".join(problems)
    page.context.close()
