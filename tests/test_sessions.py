"""Sign-ins can be ended: a copied session or remember-me cookie stops opening the account the moment its owner
signs out, signs out everywhere or deletes the account, and never opens anyone else's."""
import re
from datetime import timedelta

import pytest
from flask import session
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Reply, SignIn, User
from forum.services.privacy import delete_account
from forum.services.sign_ins import member_signed_in_with, start_sign_in
from forum.sessions import sign_in_here
from tests.helpers import PASSWORD, Visitor, make_member, make_post, make_reply

COOKIES = ("session", "remember_token")


def sign_in(app, username, remember=False) -> Visitor:
    visitor = Visitor(app.test_client())
    response = visitor.post("/login", {"username": username, "password": PASSWORD, "remember": "y" if remember else ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    return visitor


def cookies_of(visitor: Visitor) -> dict[str, str]:
    return {name: cookie.value for name in COOKIES if (cookie := visitor.client.get_cookie(name)) is not None}


def replay(app, cookies: dict[str, str]):
    """A new browser holding copies of the given cookies (what a thief or a shared computer kept)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


SIGNED_IN_AS = re.compile(r'class="me">([^<]+)</a>')


def opens_an_account(client) -> str | None:
    """The username the client is signed in as (its settings page's navigation names it); None if it isn't."""
    response = client.get("/settings")
    if response.status_code != 200:
        return None
    return SIGNED_IN_AS.search(response.get_data(as_text=True)).group(1)


@pytest.fixture
def remembered(app, member):
    """The member signed in with "keep me signed in", and copies of both its cookies taken then."""
    visitor = sign_in(app, member.username, remember=True)
    cookies = cookies_of(visitor)
    assert set(cookies) == set(COOKIES)
    return visitor, cookies


def test_copied_cookies_open_the_account_while_the_sign_in_lasts(app, remembered):
    _, cookies = remembered
    assert opens_an_account(replay(app, cookies)) == "river_stone"
    assert opens_an_account(replay(app, {"remember_token": cookies["remember_token"]})) == "river_stone"


@pytest.mark.parametrize("kept", [("session",), ("remember_token",), COOKIES])
def test_signing_out_ends_the_session_and_the_remember_token(app, remembered, kept):
    visitor, cookies = remembered
    assert visitor.post("/logout").status_code == 302
    assert opens_an_account(replay(app, {name: cookies[name] for name in kept})) is None


def test_signing_out_here_leaves_other_devices_signed_in(app, member, remembered):
    phone = sign_in(app, member.username)
    _, laptop_cookies = remembered
    assert phone.post("/logout").status_code == 302
    assert opens_an_account(replay(app, laptop_cookies)) == "river_stone"


@pytest.mark.parametrize("kept", [("session",), ("remember_token",)])
def test_signing_out_everywhere_ends_every_device(app, member, remembered, kept):
    laptop, laptop_cookies = remembered
    phone = sign_in(app, member.username)
    phone_cookies = cookies_of(phone)
    response = phone.post("/settings/sign-out-everywhere", follow_redirects=True)
    assert "signed out everywhere" in response.get_data(as_text=True)
    assert opens_an_account(phone.client) is None
    assert opens_an_account(laptop.client) is None
    assert opens_an_account(replay(app, {name: laptop_cookies[name] for name in kept})) is None
    assert opens_an_account(replay(app, phone_cookies)) is None
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0


def test_signing_out_everywhere_needs_the_csrf_token(app, remembered):
    laptop, cookies = remembered
    assert laptop.client.post("/settings/sign-out-everywhere").status_code == 400
    assert opens_an_account(replay(app, cookies)) == "river_stone"


def test_settings_offer_signing_out_everywhere(signed_in):
    page = signed_in.get("/settings").get_data(as_text=True)
    assert 'action="/settings/sign-out-everywhere"' in page and "Sign out of every device" in page


@pytest.mark.parametrize("kept", [("session",), ("remember_token",), COOKIES])
def test_deleting_the_account_ends_its_sign_ins(app, member, remembered, kept):
    laptop, laptop_cookies = remembered
    phone = sign_in(app, member.username)
    response = phone.post("/settings/delete", {"keep": "remove", "password": PASSWORD})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0
    assert opens_an_account(replay(app, {name: laptop_cookies[name] for name in kept})) is None


def test_a_deleted_members_cookies_never_open_the_next_members_account(app, visitor):
    """The attack on SQLite: X signs in with "remember me", X deletes the account, Y registers and used to get
    X's id, and with it X's cookies opened Y's account."""
    assert visitor.post("/register", {"username": "first_x", "password": PASSWORD,
                                      "confirm": PASSWORD}).status_code == 302
    x = db.session.scalars(select(User).where(User.username == "first_x")).one()
    x_id = x.id
    x_cookies = cookies_of(sign_in(app, "first_x", remember=True))
    delete_account(x, keep_words_anonymously=False)
    db.session.commit()

    newcomer = Visitor(app.test_client())
    assert newcomer.post("/register", {"username": "second_y", "password": PASSWORD,
                                       "confirm": PASSWORD}).status_code == 302
    y = db.session.scalars(select(User).where(User.username == "second_y")).one()
    assert y.id > x_id
    for kept in (("session",), ("remember_token",), COOKIES):
        assert opens_an_account(replay(app, {name: x_cookies[name] for name in kept})) is None
    assert opens_an_account(newcomer.client) == "second_y"


def test_signing_in_starts_a_fresh_session(app, member):
    """Anything in the session before signing in (one an attacker planted, say) is gone after it."""
    visitor = Visitor(app.test_client())
    with visitor.client.session_transaction() as before:
        before["planted"] = "by someone else"
    visitor.sign_in(member.username)
    with visitor.client.session_transaction() as after:
        assert "planted" not in after and after.get("_user_id")


def test_cookies_carry_a_token_the_database_keeps_only_hashed(app, member, remembered):
    visitor, _ = remembered
    with visitor.client.session_transaction() as session_data:
        token = session_data["_user_id"]
    assert token != str(member.id) and len(token) >= 40
    stored = db.session.scalars(select(SignIn.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0]
    assert visitor.client.get_cookie("remember_token").value.startswith(token + "|")  # signed by Flask-Login


def test_an_old_id_only_session_opens_nothing(app, member):
    """Sessions from before sign-ins carried the member's id: after the upgrade they sign in again."""
    client = app.test_client()
    with client.session_transaction() as old:
        old["_user_id"] = str(member.id)
        old["_fresh"] = True
    assert opens_an_account(client) is None


def test_a_sign_in_ends_when_its_cookie_would_have(app, member):
    token = start_sign_in(member, timedelta(minutes=5))
    db.session.commit()
    assert member_signed_in_with(token) is member
    later = member.joined_at + timedelta(minutes=10)
    assert member_signed_in_with(token, now=later) is None


def test_run_out_sign_ins_are_cleared_when_anyone_signs_in(app, member, other_member):
    start_sign_in(member, timedelta(seconds=-1))
    db.session.commit()
    sign_in(app, other_member.username)
    assert db.session.scalars(select(SignIn.member_id)).all() == [other_member.id]


@pytest.mark.parametrize("token", ["", "1", "x" * 500, "not-a-token", "\x00"])
def test_made_up_tokens_open_nothing(app, member, token):
    assert member_signed_in_with(token) is None


def test_signing_in_within_a_request_uses_the_session(app, member):
    with app.test_request_context("/"):
        session["stale"] = True
        sign_in_here(member)
        assert "stale" not in session and session["_user_id"] == member.sign_in_token


def test_ids_are_never_handed_out_again(app, member):
    """The highest id of a deleted member, post or reply is not given to the next one (SQLite reused it)."""
    post = make_post(member)
    reply = make_reply(member, post)
    doomed = make_member("short_stay")
    ids = {"member": doomed.id, "post": post.id, "reply": reply.id}
    db.session.delete(reply)
    db.session.delete(post)
    db.session.delete(doomed)
    db.session.commit()

    newcomer = make_member("newcomer")
    post = make_post(newcomer)
    reply = make_reply(newcomer, post)
    assert newcomer.id > ids["member"] and post.id > ids["post"] and reply.id > ids["reply"]
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1
    assert db.session.scalar(select(func.count()).select_from(Reply)) == 1
