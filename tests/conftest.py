"""Fixtures: an app on a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
a test client, members, and a visitor that fills in forms with their CSRF token like a browser does."""
from __future__ import annotations

import contextvars
import os

import pytest
from flask.testing import FlaskClient
import sqlalchemy as sa
from flask_migrate import upgrade

from config import normalise_database_url
from forum import create_app
from forum.extensions import db
from forum.models import Role
from tests.helpers import Visitor, make_member

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
PG_SKIP_REASON = "PostgreSQL run skipped: set TEST_DATABASE_URL (bash .ci/run does) to run it"


def database_urls(tmp_path_factory) -> dict[str, str]:
    return {"sqlite": f"sqlite:///{tmp_path_factory.getbasetemp() / 'kindred-test.sqlite3'}",
            "postgresql": normalise_database_url(TEST_DATABASE_URL)}


def reset_postgres_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A database migrated to the newest revision, once per backend per test session."""
    if request.param == "postgresql":
        if not TEST_DATABASE_URL:
            pytest.skip(PG_SKIP_REASON)
    url = database_urls(tmp_path_factory)[request.param]
    if request.param == "postgresql":
        reset_postgres_schema(url)
    app = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


class RequestInItsOwnContext(FlaskClient):
    """Run each request in a fresh context, as a server does.

    Tests hold an app context to use the database; without this, requests would share it, and with
    it `g`, the signed-in member and the database session, hiding bugs production would show.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(database_url):
    app = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = RequestInItsOwnContext
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def visitor(client) -> Visitor:
    """An anonymous visitor whose form posts carry a valid CSRF token."""
    return Visitor(client)


@pytest.fixture
def member(app):
    return make_member("river_stone")


@pytest.fixture
def other_member(app):
    return make_member("MapleAndTea")


@pytest.fixture
def signed_in(app, member) -> Visitor:
    """A visitor signed in as `member`."""
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    return visitor


@pytest.fixture
def signed_in_other(app, other_member) -> Visitor:
    visitor = Visitor(app.test_client())
    visitor.sign_in(other_member.username)
    return visitor


@pytest.fixture
def moderator(app):
    return make_member("river_mod", Role.MODERATOR)


@pytest.fixture
def mod_visitor(app, moderator) -> Visitor:
    """A visitor signed in as `moderator`."""
    visitor = Visitor(app.test_client())
    visitor.sign_in(moderator.username)
    return visitor
