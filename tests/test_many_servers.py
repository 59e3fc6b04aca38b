"""Two app servers sharing one PostgreSQL and one Redis, as a forum grows onto several machines.

Each server here is its own process (production settings, one shared SECRET_KEY), so nothing is shared
through Python objects: what one writes, the other must show at once; a member signed in on one is signed
in on the other; and the rate limits count across both, because they live in Redis.
"""
from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import PASSWORD

REPO = Path(__file__).resolve().parents[1]
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SERVE = """
from werkzeug.serving import make_server
from forum import create_app
server = make_server("127.0.0.1", 0, create_app(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: its cookies go to whichever server it asks (as behind a load balancer)."""

    def __init__(self):
        self.cookies = urllib.request.HTTPCookieProcessor()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), self.cookies, NoRedirects)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, fields: dict, form_page: str) -> int:
        token = CSRF_INPUT.search(self.get(form_page)[1]).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def two_servers(app, database_url):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if database_url.startswith("sqlite") and os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("two servers share a PostgreSQL database: this runs in the [postgresql] case")
    if not database_url.startswith("postgresql") or not redis_url:
        pytest.skip("Two servers share PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL "
                    "(bash .ci/run does) to run this")
    env = {**os.environ, "FLASK_CONFIG": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "SESSION_COOKIE_SECURE": "0", "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "RATELIMIT_KEY_PREFIX": f"kindred-two-servers-{secrets.token_hex(4)}"}
    processes = [subprocess.Popen([sys.executable, "-c", SERVE], cwd=REPO, env=env, stdout=subprocess.PIPE,
                                  text=True) for _ in range(2)]
    try:
        yield [f"http://127.0.0.1:{int(process.stdout.readline())}" for process in processes]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
            process.stdout.close()


def test_two_servers_share_members_writes_and_limits(two_servers):  # one test: each pair of servers takes seconds
    first, second = two_servers
    person = Browser()
    assert person.post(f"{first}/register", {"username": "harbour_light", "password": PASSWORD,
                                             "confirm": PASSWORD}, f"{first}/register") == 302
    # Signed in on the first server, and on the second with the same cookie.
    assert "harbour_light" in person.get(f"{second}/")[1]

    assert person.post(f"{second}/posts/new", {"title": "Evening check-in from the harbour",
                                               "body": "A calmer day than yesterday. #Recovery"},
                       f"{second}/posts/new") == 302
    status, latest = Browser().get(f"{first}/")
    assert status == 200 and "Evening check-in from the harbour" in latest  # no stale page on the other

    # Registration is limited to 10 an hour from one address; the two servers count together in Redis.
    answers = [Browser().post(f"{server}/register", {"username": f"visitor_{number}", "password": PASSWORD,
                                                     "confirm": PASSWORD}, f"{server}/register")
               for number, server in enumerate([first, second] * 6)]
    assert answers[:9] == [302] * 9  # the tenth registration of the hour was harbour_light's
    assert set(answers[9:]) == {429}

    # Sign-in is limited to 20 tries in 10 minutes from one address; alternating servers must not double it.
    # (Each try names another account: one account has a tighter limit of its own, tests/test_login_limits.py.)
    tries = [Browser().post(f"{server}/login", {"username": f"nobody_{number}", "password": "not it"},
                            f"{server}/login")
             for number, server in enumerate([first, second] * 11)]
    assert tries[:20] == [200] * 20
    assert tries[20:] == [429, 429]
