"""The real site in headless Chromium: what scripts add on top of the plain forms."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.helpers import PASSWORD, make_member, make_post, make_reply

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def live_server(app, database_url):
    """The app served by a real server process on a free loopback port, on the test database."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (bash .ci/run installs it)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_CONFIG": "development"}
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "forum", "run", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # slow to start beside parallel test workers (make test runs three)
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                log = server.communicate(timeout=10)[1].decode(errors="replace")
                raise AssertionError(f"the test server did not start:\n{log[-2000:]}") from None
            time.sleep(0.1)
    yield base
    server.terminate()
    server.communicate(timeout=10)  # reads the rest of its log and closes the pipe


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


def sign_in(page, base, username):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


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
