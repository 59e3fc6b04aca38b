"""Take the README's screenshots: the main pages at a phone's width (360 px) and a desktop's (1280 px), in the
light colour scheme, and in the dark one on request (named `…-dark.png`).

    .venv/bin/python bench/screenshots.py [--out docs/screenshots] [--scheme light] [--scheme dark] [--full-page]

docs/screenshots keeps the light ones the README shows (the default); look at both schemes in a scratch folder
(`--scheme light --scheme dark --out /tmp/shots`) rather than adding a second set to the repository.

Builds a throwaway demo forum (a fresh SQLite file, migrated and seeded, with one crisis post so the
moderation pages have something to show), serves it on a free loopback port and drives Debian's chromium
(never a downloaded browser). Nothing is fetched from anywhere; the demo content is our own.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1280, "height": 900}}
#: (file name, path or a function of the page giving it, who is signed in)
PAGES = [
    ("latest", "/", None),
    ("menu", "/", "river_stones"),  # the header's menu, opened (phones and tablets only)
    ("help", "/help", None),
    ("post", "crisis-post", None),  # a post with a reply under it
    ("compose", "/posts/new", "river_stones"),
    ("queue", "/moderation/", "river_stones"),
    ("item", "first-item", "river_stones"),
    ("log", "/moderation/log", "river_stones"),
    ("health", "/moderation/health", "river_stones"),
]
DEMO_PASSWORD = "kindred-demo"
CRISIS_TITLE = "Can't do this anymore"


def build_demo(database: Path) -> dict[str, str]:
    """A fresh demo forum in `database`, with a crisis post already answered once (what the item page is for)."""
    sys.path.insert(0, str(REPO))
    from flask_migrate import upgrade

    from forum import create_app
    from forum.demo.seed import seed_demo
    from forum.extensions import db
    from forum.services.accounts import find_member
    from forum.services.posts import create_post
    from forum.services.replies import add_reply

    url = f"sqlite:///{database}"
    app = create_app({"FLASK_CONFIG": "development", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        seed_demo()
        post = create_post(find_member("NightOwlNora"), CRISIS_TITLE,
                           "I want to die and I think tonight is the night.\n\nI **really** don't know who to talk to.")
        db.session.flush()
        add_reply(find_member("tidepool"), post, "I'm here with you. Can you tell us how you are right now?")
        db.session.commit()
        db.engine.dispose()
    return {**os.environ, "DATABASE_URL": url, "FLASK_CONFIG": "development"}


def serve(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "forum", "run", "--port", str(port)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/login", timeout=1).close()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the demo server did not start")


def shoot(base: str, out: Path, schemes: list[str], full_page: bool = False) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for scheme, (size_name, viewport) in ((scheme, size) for scheme in schemes for size in WIDTHS.items()):
            for signed_in in (None, "river_stones"):
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                if signed_in:
                    page.goto(base + "/login")
                    page.fill("#username", signed_in)
                    page.fill("#password", DEMO_PASSWORD)
                    page.click("main button[type=submit]")
                    page.wait_for_url(base + "/")
                for name, path, who in PAGES:
                    if who != signed_in:
                        continue
                    if path == "first-item":
                        page.goto(base + "/moderation/")
                        path = page.locator(".queue-item a.button").first.get_attribute("href")
                    elif path == "crisis-post":
                        page.goto(base + "/")
                        path = page.get_by_role("link", name=CRISIS_TITLE).first.get_attribute("href")
                    page.goto(base + path)
                    if name == "menu":
                        if not page.locator(".site-menu > summary").is_visible():
                            continue  # a desktop shows every link instead
                        page.locator(".site-menu > summary").click()
                    target = out / f"{name}-{size_name}{'-dark' if scheme == 'dark' else ''}.png"
                    page.screenshot(path=str(target), full_page=full_page)
                    taken.append(target)
                context.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--scheme", choices=["light", "dark"], action="append",
                        help="colour scheme (default light); give it twice for both")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not only the first screen")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        env = build_demo(Path(scratch) / "demo.sqlite3")
        server, base = serve(env)
        try:
            for path in shoot(base, options.out, options.scheme or ["light"], options.full_page):
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
