"""Joining, signing in and out."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import User
from tests.helpers import PASSWORD, Visitor


def register(visitor, username, password=PASSWORD, confirm=None):
    return visitor.post("/register", {"username": username, "password": password,
                                      "confirm": password if confirm is None else confirm})


def test_register_signs_the_new_member_in(visitor):
    response = register(visitor, "quiet_harbor")
    assert response.status_code == 302
    page = visitor.get("/").get_data(as_text=True)
    assert "quiet_harbor" in page and "Sign out" in page


def test_password_is_stored_hashed(visitor):
    register(visitor, "quiet_harbor")
    member = db.session.scalars(select(User)).one()
    assert PASSWORD not in member.password_hash and member.check_password(PASSWORD)


@pytest.mark.parametrize("taken", ["river_stone", "RIVER_STONE", "River_Stone"])
def test_username_is_unique_regardless_of_case(visitor, member, taken):
    response = register(visitor, taken)
    assert response.status_code == 422
    assert "That name is taken" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("username", ["former-member", "Former-Member", "admin"])
def test_names_the_site_uses_are_kept(visitor, username):
    assert "That name is taken" in register(visitor, username).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("username", ["ab", "x" * 31, "has space", "emoji🙂", "semi;colon", ""])
def test_bad_usernames_are_refused_with_a_message(visitor, username):
    response = register(visitor, username)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use 3 to 30 letters" in page or "Choose a name" in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_mismatched_passwords_keep_the_username(visitor):
    page = register(visitor, "quiet_harbor", confirm="something else").get_data(as_text=True)
    assert "don&#39;t match" in page and 'value="quiet_harbor"' in page


def test_login_with_the_right_password(visitor, member):
    response = visitor.post("/login", {"username": "RIVER_STONE", "password": PASSWORD})
    assert response.status_code == 302
    assert "Sign out" in visitor.get("/").get_data(as_text=True)


@pytest.mark.parametrize("username,password", [("river_stone", "wrong password"), ("nobody_here", PASSWORD)])
def test_wrong_credentials_say_so_and_keep_the_username(visitor, member, username, password):
    page = visitor.post("/login", {"username": username, "password": password}).get_data(as_text=True)
    assert "don&#39;t match" in page and f'value="{username}"' in page
    assert "Sign out" not in visitor.get("/").get_data(as_text=True)


def test_logout_is_a_post(signed_in):
    assert signed_in.get("/logout").status_code == 405
    assert signed_in.post("/logout").status_code == 302
    assert "Sign out" not in signed_in.get("/").get_data(as_text=True)


def test_logout_without_csrf_token_is_refused(app, member):
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    response = visitor.client.post("/logout")
    assert response.status_code == 400
    assert "Sign out" in visitor.get("/").get_data(as_text=True)


@pytest.mark.parametrize("next_url,expected", [
    ("/tags", "/tags"),
    ("https://evil.example/phish", "/"),
    ("//evil.example/phish", "/"),
    ("/\\evil.example", "/"),
    ("", "/"),
])
def test_login_follows_next_only_within_the_site(visitor, member, next_url, expected):
    response = visitor.post("/login", {"username": "river_stone", "password": PASSWORD, "next": next_url})
    assert response.headers["Location"] == expected


def test_signed_in_members_skip_the_login_page(signed_in):
    assert signed_in.get("/login").status_code == 302
