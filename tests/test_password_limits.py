"""Passwords typed again inside a session (to change it, make a recovery code or a read-and-write token, or delete
the account) can't be guessed there instead of at sign-in: wrong ones, from every such form together, are
limited per member as sign-in limits them per account, and only wrong ones count."""
import uuid

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import AccessToken
from tests.conftest import another_app
from tests.helpers import PASSWORD, Visitor, make_member

WRONG = "not my password at all"
LIMIT = 10

#: Each form that asks for the password again, with what it sends besides.
FORMS = {
    "/settings/password": lambda password: {"current_password": password, "new_password": "lanterns along the wall",
                                            "confirm": "lanterns along the wall"},
    "/settings/recovery-code": lambda password: {"password": password},
    "/settings/tokens": lambda password: {"name": "journal app", "scope": "write", "password": password},
    "/settings/delete": lambda password: {"keep": "remove", "password": password},
}


@pytest.fixture
def limited(app, database_url):
    """Sign a member in to an app that enforces its rate limits, on a storage nobody else counts in."""
    limited_app = another_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                               "RATELIMIT_STORAGE_URI": f"memory://{uuid.uuid4().hex}"})

    def signed_in(username: str) -> Visitor:
        make_member(username)
        visitor = Visitor(limited_app.test_client())
        visitor.sign_in(username)
        return visitor
    return signed_in


def send(visitor: Visitor, path: str, password: str):
    return visitor.post(path, FORMS[path](password))


@pytest.mark.parametrize("path", FORMS)
def test_wrong_passwords_are_limited_like_sign_in(limited, path):
    visitor = limited("river_stone")
    assert [send(visitor, path, WRONG).status_code for _ in range(LIMIT)] == [422] * LIMIT
    paused = send(visitor, path, PASSWORD)
    page = paused.get_data(as_text=True)
    assert paused.status_code == 429 and int(paused.headers["Retry-After"]) > 60
    assert "paused checking them" in page and "Nothing in your account has changed" in page
    assert PASSWORD not in page


def test_the_forms_share_one_count(limited):
    visitor = limited("river_stone")
    for n in range(LIMIT):
        assert send(visitor, list(FORMS)[n % 3], WRONG).status_code == 422
    assert send(visitor, "/settings/delete", WRONG).status_code == 429


def test_each_member_has_their_own_count(limited):
    guesser, other = limited("river_stone"), limited("MapleAndTea")
    for _ in range(LIMIT + 1):
        send(guesser, "/settings/recovery-code", WRONG)
    assert send(other, "/settings/recovery-code", WRONG).status_code == 422
    assert send(other, "/settings/recovery-code", PASSWORD).status_code == 200


def test_only_wrong_passwords_count(limited):
    visitor = limited("river_stone")
    for _ in range(LIMIT + 2):  # the right password, and a new one the rules refuse, use nothing up
        assert send(visitor, "/settings/recovery-code", PASSWORD).status_code == 200
        weak = visitor.post("/settings/password", {"current_password": PASSWORD, "new_password": "short",
                                                   "confirm": "short"})
        assert weak.status_code == 422
    assert send(visitor, "/settings/recovery-code", WRONG).status_code == 422


def test_the_paused_page_keeps_the_token_name_but_never_the_password(limited):
    visitor = limited("river_stone")
    for _ in range(LIMIT):
        send(visitor, "/settings/tokens", WRONG)
    paused = visitor.post("/settings/tokens", {"name": "my journal app", "scope": "write", "password": PASSWORD},
                          headers={"Origin": "http://localhost"})
    page = paused.get_data(as_text=True)
    assert paused.status_code == 429 and "my journal app" in page and PASSWORD not in page
    assert db.session.scalars(select(AccessToken)).all() == []
