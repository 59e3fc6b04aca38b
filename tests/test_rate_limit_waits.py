"""A rate limit says how long to wait, in words, from the same reset time as its Retry-After; and looking for a free
name when joining never locks anyone out: only accounts made count toward the hourly limit on joining."""
from __future__ import annotations

import uuid

import pytest

from tests.api_support import ApiClient
from tests.conftest import another_app
from tests.helpers import PASSWORD, Visitor

JOINS_PER_HOUR, REFUSED_JOINS_PER_HOUR = 10, 60


@pytest.fixture
def limited(app, database_url):
    """An app with its limits on, counting in a storage of its own. Made after `app` (and the members made in
    it): the limiter is one object for every app, and the app made last decides whether it is on."""
    return another_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                        "RATELIMIT_STORAGE_URI": f"memory://{uuid.uuid4().hex}"})


def join(app, username: str, password: str = PASSWORD):
    """Register from a browser of its own (joining signs it in), from the one address the test client has."""
    return Visitor(app.test_client()).post("/register", {"username": username, "password": password,
                                                         "confirm": password})


def test_looking_for_a_free_name_never_locks_anyone_out(limited, member):
    refused = [join(limited, member.username).status_code for _ in range(6)]
    refused += [join(limited, f"short_{n}", "too short").status_code for n in range(6)]
    assert refused == [422] * 12  # more than the ten joins an hour that once counted every try
    assert join(limited, "free_name_at_last").status_code == 302


def test_accounts_made_from_one_address_are_limited_and_told_to_wait_about_an_hour(limited):
    assert [join(limited, f"newcomer_{n}").status_code for n in range(JOINS_PER_HOUR)] == [302] * JOINS_PER_HOUR
    refused = join(limited, "one_too_many")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert 3000 < int(refused.headers["Retry-After"]) <= 3600
    assert "Please wait about an hour and try again" in page and "Wait a minute" not in page
    assert ">one_too_many</textarea>" in page  # the name they chose is kept on the page (forum.kept_words)


def test_refused_joins_have_a_generous_cap_of_their_own(limited, member):
    statuses = [join(limited, member.username).status_code for _ in range(REFUSED_JOINS_PER_HOUR + 1)]
    assert statuses == [422] * REFUSED_JOINS_PER_HOUR + [429]


def test_signing_in_too_often_says_to_wait_about_ten_minutes(limited):
    client = Visitor(limited.test_client())
    for n in range(20):
        assert client.post("/login", {"username": f"guess_{n}", "password": "not it"}).status_code == 200
    refused = client.post("/login", {"username": "guess_more", "password": "not it"})
    assert refused.status_code == 429 and 540 < int(refused.headers["Retry-After"]) <= 600
    assert "Please wait about 10 minutes and try again" in refused.get_data(as_text=True)


def test_the_api_says_the_wait_in_words_too(limited, member):
    api = ApiClient(limited, "write_token", member)
    for n in range(30):
        assert api.post("/posts", json={"title": f"Post {n}", "body": "Words."}).status_code == 201
    refused = api.post("/posts", json={"title": "One more", "body": "Words."})
    assert refused.status_code == 429
    assert "Please wait about an hour and try again" in refused.get_json()["error"]["message"]
