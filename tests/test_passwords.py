"""A password must be hard to guess: at least 10 characters and not one of the passwords people use most."""
import pytest
from sqlalchemy import func, select

from forum.demo.seed import DEMO_PASSWORD
from forum.extensions import db
from forum.models import User
from forum.passwords import common_passwords, password_problem
from forum.services import DomainError
from forum.services.accounts import register_member
from tests.helpers import PASSWORD


def register(visitor, password, username="quiet_harbor"):
    return visitor.post("/register", {"username": username, "password": password, "confirm": password})


def member_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("password,message", [
    ("password", "at least 10 characters"),
    ("12345678", "at least 10 characters"),
    ("short pw1", "at least 10 characters"),
    ("1234567890", "most common"),
    ("qwertyuiop", "most common"),
    ("Password123", "most common"),
    ("iloveyou12", "most common"),
])
def test_an_easy_password_is_refused_with_a_message_that_keeps_the_username(visitor, password, message):
    response = register(visitor, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="quiet_harbor"' in page  # what was typed stays, except the password
    assert f'value="{password}"' not in page
    assert member_count() == 0


def test_a_long_uncommon_password_is_welcome(visitor):
    assert register(visitor, "harbor lights at dawn").status_code == 302
    assert member_count() == 1


@pytest.mark.parametrize("password", ["password", "1234567890"])
def test_the_service_refuses_an_easy_password_too(app, password):
    with pytest.raises(DomainError) as refusal:
        register_member("quiet_harbor", password)
    assert refusal.value.field == "password"


@pytest.mark.parametrize("password", [PASSWORD, DEMO_PASSWORD])
def test_the_suites_and_the_demos_passwords_pass(password):
    assert password_problem(password) is None


def test_the_common_list_is_the_libraries_ranked_list():
    passwords = common_passwords()
    assert len(passwords) >= 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= passwords
