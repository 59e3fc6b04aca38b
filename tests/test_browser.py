"""The real site in headless Chromium: what scripts add on top of the plain forms."""
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser_fixtures import sign_in
from tests.helpers import make_member, make_post, make_reply

pytestmark = pytest.mark.browser


def test_heart_updates_in_place_with_javascript(app, live_server, browser, member, other_member):
    post = make_post(member)
    page = browser.new_page()
    sign_in(page, live_server, other_member.username)
    page.goto(f"{live_server}/posts/{post.id}")
    button = page.locator("#post .heart-button")
    marker = page.locator("#post h1")
    marker.evaluate("element => element.dataset.sameDocument = 'yes'")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".heart-number")).to_have_text("1")
    expect(marker).to_have_attribute("data-same-document", "yes")  # no page load happened
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator(".heart-number")).to_have_text("0")


def test_heart_works_without_javascript(app, live_server, browser, member, other_member):
    post = make_post(member)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, other_member.username)
    page.goto(f"{live_server}/posts/{post.id}")
    page.click("#post .heart-button")
    page.wait_for_load_state()
    assert page.locator("#post .heart-button").get_attribute("aria-pressed") == "true"
    context.close()


def test_composer_shows_help_while_writing(app, live_server, browser, member):
    page = browser.new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.fill("#title", "Tonight")
    page.type("#body", "I want to die and I can't keep going.")
    panel = page.locator("[data-crisis-slot] .crisis-panel")
    expect(panel).to_have_count(1, timeout=10_000)
    expect(panel.locator('a[href="tel:988"]').first).to_be_visible()
    page.fill("#body", "Actually today was okay, I made soup.")
    expect(panel).to_have_count(0, timeout=10_000)


def test_the_help_stays_when_the_composer_sends_words_back_and_shows_on_opening_an_edit(app, live_server, browser,
                                                                                        member):
    page = browser.new_page()
    sign_in(page, live_server, member.username)
    page.goto(f"{live_server}/posts/new")
    page.type("#body", "I am going to kill myself tonight")
    expect(page.locator("[data-crisis-slot] .crisis-panel")).to_have_count(1, timeout=10_000)
    page.click("form[data-crisis-check] button[type=submit]")
    expect(page.locator("#title-error")).to_contain_text("Give your post a title")
    expect(page.locator(".crisis-panel")).to_have_count(1)  # the help above the form, not asked for twice
    expect(page.locator("[data-unsent-care] a[href='tel:988']").first).to_be_visible()
    post = make_post(member, title="Tonight", body="I want to die and I can't keep going.")
    page.goto(f"{live_server}/posts/{post.id}/edit")  # words already there: checked without a keystroke
    expect(page.locator("[data-crisis-slot] .crisis-panel")).to_have_count(1, timeout=10_000)


def test_pages_run_under_the_strict_content_security_policy(app, live_server, browser, member):
    post = make_post(member)
    page = browser.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    for path in ("/", f"/posts/{post.id}", "/tags", "/help", "/login"):
        page.goto(live_server + path)
    assert violations == []


@pytest.mark.parametrize("javascript", [True, False])
def test_content_warning_stays_folded_until_the_reader_opens_it(app, live_server, browser, member, javascript):
    post = make_post(member, title="Hard memories", body="The words behind the warning.")
    post.content_warning = "abuse"
    from forum.extensions import db
    db.session.commit()
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/posts/{post.id}")
    words = page.get_by_text("The words behind the warning.")
    expect(words).to_be_hidden()
    page.click("details.content-warning summary")
    expect(words).to_be_visible()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_crisis_reply_lands_its_author_on_their_help(app, live_server, browser, member, other_member, javascript):
    post = make_post(member, title="Rough week", body="Rough week, anyone else?")
    for n in range(6):  # a long conversation: the reply box is thousands of pixels below the top
        make_reply(make_member(f"earlier_voice_{n}"), post, "I hear you, and I'm glad you wrote. " * 20)
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 400, "height": 760})
    page = context.new_page()
    sign_in(page, live_server, other_member.username)
    page.goto(f"{live_server}/posts/{post.id}#reply")
    page.fill("#body", "Same. This is my last post, goodbye everyone.")
    page.click("#reply button[type=submit]")
    page.wait_for_url("**#help-for-you")
    heading = page.locator("#help-for-you")
    expect(heading).to_have_text("You're not alone. You can talk to someone right now.")
    expect(heading).to_be_focused()  # a screen reader starts with the help too
    page.wait_for_timeout(600)  # nothing scrolls it away afterwards
    box = heading.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= page.evaluate("window.innerHeight")
    expect(page.locator(".crisis-panel a[href^='tel:']").first).to_be_in_viewport()
    page.click("text=Go to your reply")
    expect(page.locator(".reply", has_text="This is my last post")).to_be_in_viewport()
    context.close()


#: Set before any of the page's own code runs: a payload that executes calls pwn(N) and is recorded.
RECORD_EXECUTIONS = "window.__fired = []; window.pwn = (n) => window.__fired.push(n);"
#: What a payload that got into the page as markup would leave, whether or not the CSP then stopped it.
FIND_LIVE_MARKUP = """() => {
  const found = [];
  const dangerousUrl = /^(javascript|vbscript|data:text\\/html)/;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (attr.name.toLowerCase().startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      if (["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background"]
          .includes(attr.name.toLowerCase()) && dangerousUrl.test(value)) found.push(`${el.tagName} ${attr.name}`);
    }
    if (el.tagName === "SCRIPT" && el.textContent.includes("pwn(")) found.push("SCRIPT with a payload");
    if (["IFRAME", "OBJECT", "EMBED", "BASE"].includes(el.tagName)) found.push(el.tagName);
    if (el.tagName === "META" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") found.push("META");
  }
  return found;
}"""


class ExecutionWatch:
    """A browser context whose pages record any payload that runs, any dialog, and any live markup left."""

    def __init__(self, browser, base: str, username: str | None = None):
        self.context = browser.new_context()
        self.context.add_init_script(RECORD_EXECUTIONS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        #: How many payloads the pages showed (as text): proof the words reached the page at all.
        self.shown = 0
        self.page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        self.base = base
        if username:
            sign_in(self.page, base, username)

    def visit(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="domcontentloaded")
        try:
            self.page.wait_for_load_state("load", timeout=5_000)  # images that could fire onerror handlers
        except PlaywrightTimeout:
            self.problems.append(f"{path[:80]}: never finished loading")
        self.shown += self.page.content().count("pwn(")
        fired = self.page.evaluate("window.__fired")
        live = self.page.evaluate(FIND_LIVE_MARKUP)
        if fired or live:
            self.problems.append(f"{path[:80]}: ran {fired}, live markup {live}")


def chunks(texts: list[str], limit: int, joiner: str = "\n\n") -> list[str]:
    """Join texts into pieces of at most `limit` characters (a text longer than that is cut)."""
    pieces, current = [], ""
    for text in texts:
        text = text[:limit]
        if current and len(current) + len(joiner) + len(text) > limit:
            pieces.append(current)
            current = ""
        current = f"{current}{joiner}{text}" if current else text
    return [*pieces, current] if current else pieces


def test_no_payload_runs_in_any_field_under_the_csp(app, database_url, live_server, browser, member, moderator):
    """Over 300 payloads in every field members and moderators write, and in query strings: none runs."""
    if not database_url.startswith("sqlite"):
        pytest.skip("what reaches the page is the same whatever the database: it runs in the [sqlite] case")
    from urllib.parse import quote

    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import FlagReason, ModerationItem
    from forum.services.flags import flag_content
    from forum.services.moderation.actions import take_action
    from tests.xss_corpus import PAYLOADS

    assert len(PAYLOADS) >= 200
    one_line = [p for p in PAYLOADS if "\n" not in p]
    # Titles, one post each, in the Latest feed and on a tag page. The tags field refuses markup outright,
    # so hashtags meet payloads written beside them in the text, and as tag names in the URL (below).
    for payload in one_line[:20]:
        make_post(member, title=payload[:150], body=f"Plain words. #Xss{payload[:100]}", tags="#Xss")
    # Bodies and replies: every payload, as Markdown, on a few pages.
    bodies = [make_post(member, title=f"Body {n}", body=text) for n, text in enumerate(chunks(PAYLOADS, 19_000))]
    for text in chunks(PAYLOADS, 9_500):
        make_reply(moderator, bodies[0], body=text)
    # Bios and pronouns, on profiles; flag notes and moderation reasons, in the queue and the author's notices.
    writers = []
    for n, bio in enumerate(chunks(PAYLOADS, 500, " ")[:6]):
        writer = make_member(f"xss_writer_{n}")
        writer.bio, writer.pronouns = bio, next(p for p in PAYLOADS[n * 7:] if len(p) <= 40)
        writers.append(writer)
    db.session.commit()
    for writer, note in zip(writers, chunks(PAYLOADS, 500, " "), strict=False):
        flag_content(writer, bodies[0], FlagReason.OTHER, note)
    db.session.commit()
    item = db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == bodies[0].id)).one()
    for reason in chunks(PAYLOADS, 1000, " ")[:4]:
        db.session.refresh(item)
        take_action(moderator, item, item.version, "warn", reason=reason)
        db.session.commit()

    visitor = ExecutionWatch(browser, live_server)
    for path in ("/", "/tags/Xss", *(f"/posts/{post.id}" for post in bodies),
                 *(f"/u/{writer.username}" for writer in writers)):
        visitor.visit(path)
    for query in chunks(PAYLOADS, 1500, " "):
        visitor.visit(f"/login?next={quote(query)}")
    for payload in one_line[:5]:
        visitor.visit(f"/tags/{quote(payload, safe='')}")
    staff = ExecutionWatch(browser, live_server, moderator.username)
    for path in ("/moderation/", f"/moderation/items/{item.id}", "/moderation/log",
                 f"/moderation/history/post/{bodies[0].id}"):
        staff.visit(path)
    for query in chunks(PAYLOADS, 1500, " "):
        staff.visit(f"/moderation/tags?q={quote(query)}")
        staff.visit(f"/moderation/log?member={quote(query)}&action={quote(query[:200])}")
        staff.visit(f"/posts/{bodies[0].id}?reply_to={quote(query[:100])}&after={quote(query[:300])}")
    author = ExecutionWatch(browser, live_server, member.username)
    author.visit("/notices")
    author.visit("/notifications")
    for watch in (visitor, staff, author):
        watch.context.close()
    assert visitor.problems + staff.problems + author.problems == []
    assert visitor.shown >= 2 * len(PAYLOADS) and staff.shown >= len(PAYLOADS) and author.shown > 0


def test_the_execution_watch_sees_a_payload_that_runs(browser):
    """The watch itself can fail: on a page with no CSP, a live handler runs and is reported."""
    context = browser.new_context()
    context.add_init_script(RECORD_EXECUTIONS)
    page = context.new_page()
    page.set_content('<img src="data:," onerror="pwn(7)"><a href="javascript:pwn(8)">x</a>')
    page.wait_for_function("window.__fired.length > 0")
    assert page.evaluate("window.__fired") == [7]
    assert page.evaluate(FIND_LIVE_MARKUP) == ["IMG onerror", "A href"]
    context.close()
