"""Fixtures for the tests that drive the real site in headless Chromium.

One server process and one Chromium per test worker, shared by all its browser tests: started per test, they
were most of those tests' time (a `flask run` and a browser launch take seconds beside parallel workers, the
tests themselves well under one). Sharing is safe because each test still gets its own state: the `app`
fixture empties every table after each test, the server runs with the page cache and the rate limits off (so
no page or count outlives the rows it was built from), and each test's pages live in browser contexts that
are closed when it ends (cookies, storage and drafts go with them).
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served_database(database_url):
    """A real server process on a free loopback port, on the test database, for the whole worker."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (bash .ci/run installs it)")
    if not database_url.startswith("sqlite") and os.environ.get("KINDRED_BROWSER_ON_POSTGRES") != "1":
        # The pages are the same whatever the database, whose own behaviour the other tests check on both.
        pytest.skip("browser tests run in the [sqlite] case; KINDRED_BROWSER_ON_POSTGRES=1 runs them on PostgreSQL too")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_CONFIG": "development",
           "PAGE_CACHE_SECONDS": "0", "RATELIMIT_ENABLED": "0"}
    env.pop("REDIS_URL", None)
    # The server's log goes to a file: through a pipe nobody reads until the end, a test making many long
    # requests fills it (64 KiB) and the server stops, waiting to write its next log line.
    log_file = tempfile.TemporaryFile()
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "forum", "run", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # slow to start beside parallel test workers (make test runs three)
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                server.wait(timeout=10)
                log_file.seek(0)
                log = log_file.read().decode(errors="replace")
                log_file.close()
                raise AssertionError(f"the test server did not start:\n{log[-2000:]}") from None
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log_file.close()


@pytest.fixture
def live_server(app, served_database):
    """The base URL of the served app; `app` gives this test its own, emptied afterwards, database rows."""
    return served_database


@pytest.fixture(scope="session")
def chromium():
    # Asked for by tests that need no server too (they load their own markup): they skip alike.
    if not os.path.exists(CHROMIUM):
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (bash .ci/run installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The worker's Chromium; every context (and page) this test opened is closed when it ends."""
    yield chromium
    for context in chromium.contexts:
        context.close()


def sign_in(page, base, username):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
