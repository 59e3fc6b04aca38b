"""Sign-in throttling behind a reverse proxy: per visitor address (read through TRUSTED_PROXIES) and per account.

Runs with the in-process limiter, and again against Redis when TEST_REDIS_URL is set (the storage every
other limit uses in production). The limiter is one object for every app in the process and keeps the
first key prefix it saw, so each test signs in with names and addresses of its own rather than relying on
a fresh prefix (and never empties a storage other tests may be counting in).
"""
import os
import uuid

import pytest

from tests.conftest import another_app
from tests.helpers import PASSWORD, make_member

ADDRESS_LIMIT, ACCOUNT_LIMIT = 20, 10


@pytest.fixture(params=["memory", "redis"])
def limited_app(request, database_url):
    """Make an app whose limits are on."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True, "WTF_CSRF_ENABLED": False}
    if request.param == "redis":
        if not os.environ.get("TEST_REDIS_URL"):
            pytest.skip("Redis run skipped: set TEST_REDIS_URL (bash .ci/run does) to run it")
        settings["RATELIMIT_STORAGE_URI"] = os.environ["TEST_REDIS_URL"]
    else:
        settings["RATELIMIT_STORAGE_URI"] = f"memory://{uuid.uuid4().hex}"

    def make(**extra):
        # Each request in a fresh context, as a server runs them; the app's engine disposed when the test ends.
        return another_app({**settings, **extra})
    return make


@pytest.fixture
def run():
    """A tag unique to this test, for names and addresses nobody else has counted against."""
    return uuid.uuid4().hex[:8]


def address(run: str, n: int | str) -> str:
    return f"2001:db8:{run[:4]}:{run[4:]}::{n}"


def sign_in(client, username, run, password="not the password", n=0):
    # The connection's own address is this run's too. It was one of 256 (10.0.0.x), and in the Redis every
    # test and run shares, another test within the limit's ten minutes could have used it up (CI failed once).
    return client.post("/login", data={"username": username, "password": password},
                       headers={"X-Forwarded-For": address(run, n)},
                       environ_base={"REMOTE_ADDR": address(run, "feed")}).status_code


def test_behind_one_trusted_proxy_each_visitor_has_their_own_bucket(limited_app, run):
    client = limited_app(TRUSTED_PROXIES=1).test_client()
    for n in range(ADDRESS_LIMIT):
        assert sign_in(client, f"someone_{run}_{n}", run, n="a") == 200
    assert sign_in(client, f"someone_else_{run}", run, n="a") == 429
    # Everyone else behind the same proxy can still sign in.
    assert sign_in(client, f"someone_else_{run}", run, n="b") == 200


def test_without_trusted_proxies_the_header_is_ignored_so_it_cannot_dodge_the_limit(limited_app, run):
    client = limited_app(TRUSTED_PROXIES=0).test_client()
    for n in range(ADDRESS_LIMIT):
        assert sign_in(client, f"someone_{run}_{n}", run, n=n) == 200
    assert sign_in(client, f"someone_else_{run}", run, n="b") == 429


def test_one_account_is_throttled_whatever_address_the_guesses_come_from(limited_app, app, run):
    targeted = make_member(f"targeted_{run}")
    client = limited_app(TRUSTED_PROXIES=1).test_client()
    statuses = [sign_in(client, targeted.username, run, n=n) for n in range(ACCOUNT_LIMIT + 1)]
    assert statuses == [200] * ACCOUNT_LIMIT + [429]
    # The same name in other letter cases is the same account; other accounts are untouched.
    assert sign_in(client, targeted.username.upper(), run, n="b") == 429
    assert sign_in(client, f"someone_else_{run}", run, n="b") == 200


def test_successful_sign_ins_do_not_use_up_the_accounts_allowance(limited_app, app, run):
    regular = make_member(f"regular_{run}")
    limited = limited_app(TRUSTED_PROXIES=1)
    for n in range(ACCOUNT_LIMIT + 2):
        assert sign_in(limited.test_client(), regular.username, run, PASSWORD, n=n) == 302
