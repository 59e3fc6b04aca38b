"""Fixtures: an app on a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
a test client, members, and a visitor that fills in forms with their CSRF token like a browser does."""
from __future__ import annotations

import contextvars
import os
from collections.abc import Mapping
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from werkzeug.security import generate_password_hash

from config import normalise_database_url
from forum import create_app
from forum.extensions import db
from forum.models import Role
from tests.helpers import Visitor, make_member

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
PG_SKIP_REASON = ("PostgreSQL run skipped: the database tests ran on SQLite only; set TEST_DATABASE_URL "
                  "(bash .ci/run does) to run them on PostgreSQL too")
#: Without a PostgreSQL URL the suite runs on SQLite only, and says so once at the end.
BACKENDS = ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]
#: "gw0", "gw1"… under pytest-xdist (`make test` runs with -n), "master" in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "master")
#: The browser tests' server and Chromium, one per worker (tests/browser_fixtures.py).
pytest_plugins = ["tests.browser_fixtures"]


#: Tests that take tens of seconds each (the training check, axe, the browser and multi-server tests).
_LONG_RUNNING = ("test_crisis_training.py", "test_axe.py", "test_many_servers.py", "test_demo.py")


def pytest_collection_modifyitems(config, items) -> None:
    """Long tests first. Workers take tests in the order collected, so a long test met last runs alone
    on one worker while the others have finished; met first, it runs beside the many short ones."""
    def long_first(item) -> int:
        return 0 if item.get_closest_marker("browser") or item.path.name in _LONG_RUNNING else 1

    items.sort(key=long_first)  # stable: otherwise the order is unchanged


def pytest_report_header(config) -> str:
    if TEST_DATABASE_URL:
        name = sa.make_url(TEST_DATABASE_URL).database
        return f"databases: SQLite and PostgreSQL ({name}, or {name}_gw0, {name}_gw1… under xdist)"
    return f"databases: SQLite only ({PG_SKIP_REASON})"


def pytest_terminal_summary(terminalreporter) -> None:
    if not TEST_DATABASE_URL:
        terminalreporter.write_line(PG_SKIP_REASON, yellow=True, bold=True)


def postgres_url_for_worker(url: str, worker: str = WORKER) -> str:
    """Give each xdist worker its own database beside the one named: .../test becomes .../test_gw0."""
    url = sa.make_url(normalise_database_url(url))
    if worker != "master":
        url = url.set(database=f"{url.database}_{worker}")
    return url.render_as_string(hide_password=False)


def create_postgres_database(url: str) -> None:
    """Create the worker's database on first use, through a connection to the database named in
    TEST_DATABASE_URL (which must exist, as it always had to)."""
    name = sa.make_url(url).database
    engine = sa.create_engine(normalise_database_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def reset_postgres_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def migrate(url: str) -> None:
    app = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_databases() -> dict[str, str]:
    """URLs of the databases already migrated in this session (or this xdist worker), by backend."""
    return {}


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, migrated_databases, tmp_path_factory) -> str:
    """A database migrated to the newest revision, once per backend per test session (per worker)."""
    backend = request.param
    if backend not in migrated_databases:
        if backend == "postgresql":
            url = postgres_url_for_worker(TEST_DATABASE_URL)
            if url != normalise_database_url(TEST_DATABASE_URL):
                create_postgres_database(url)
            reset_postgres_schema(url)
        else:
            url = f"sqlite:///{tmp_path_factory.getbasetemp() / 'kindred-test.sqlite3'}"
        migrate(url)
        # A worker may be handed SQLite and PostgreSQL tests in turns; migrate each only once.
        migrated_databases[backend] = url
    return migrated_databases[backend]


#: The app hashes passwords with werkzeug's scrypt, built to be slow (a third of a second here); the
#: suite creates thousands of members and they held its workers in scrypt for half of its time.
#: Checking reads the method from the stored hash, so signing in runs the same code either way.
QUICK_PASSWORD_HASH = "pbkdf2:sha256:1"


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes():
    """Hash passwords cheaply in tests, including the stand-in hash checked for unknown names."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("forum.models.user.generate_password_hash",
                      lambda password: generate_password_hash(password, QUICK_PASSWORD_HASH))
        patch.setattr("forum.services.accounts._UNKNOWN_MEMBER_HASH",
                      generate_password_hash("no member has this password", QUICK_PASSWORD_HASH))
        yield


@pytest.fixture(scope="session", autouse=True)
def url_builders_compiled_once():
    """Compile each URL rule's builder once per test process, not once per app.

    The suite builds an app for every test (some 3,700), and 97% of create_app's ~50 ms went to werkzeug
    generating and compiling two builder functions for each of the app's ~80 URL rules. A builder is a
    pure function of the rule's parsed parts, defaults and converters, and reads the rule it is bound to only
    at call time (through its first argument), so the same rule in a later app can share it. A server builds
    its app once, so this is a test-suite saving only; the code each app runs is werkzeug's own.
    """
    from werkzeug.routing.rules import Rule

    original = Rule._compile_builder
    compiled: dict[tuple, Any] = {}

    def compile_once(rule: Rule, append_unknown: bool = True):
        converters = tuple(sorted(
            (name, type(c).__qualname__, repr(sorted((k, v) for k, v in vars(c).items() if k != "map")))
            for name, c in rule._converters.items()))
        key = (rule.rule, rule.subdomain, rule.host, tuple(rule._trace),
               repr(sorted((rule.defaults or {}).items())), converters, append_unknown)
        builder = compiled.get(key)
        if builder is None:
            builder = compiled[key] = original(rule, append_unknown)
        return builder

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Rule, "_compile_builder", compile_once)
        yield


class _SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory for every app of the test process (see the fixture below)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once():
    """Every app of the test process shares compiled templates, as one server's requests do.

    Each test's app has its own Jinja environment, so each test compiled every template it rendered again
    (a sixth of the time of a test that renders pages). Jinja's own bytecode cache, keyed by template name
    and a checksum of its source, hands the next app the compiled code; every app is built by the same
    factory with the same Jinja settings, so the code is the same.
    """
    shared = _SharedBytecode()
    original = Flask.create_jinja_environment

    def with_shared_cache(self):
        environment = original(self)
        environment.bytecode_cache = shared
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "create_jinja_environment", with_shared_cache)
        yield


def dispose_engines(app: Flask) -> None:
    """Close the pooled database connections of an app a test built, rather than leave them to the garbage
    collector: Python 3.13's sqlite3 warns (ResourceWarning, an error here) about a connection collected
    unclosed, and the collection may come in any later test."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


#: Apps built with `another_app` during the running test; `dispose_other_apps` closes them when it ends.
_other_apps: list[Flask] = []


def another_app(config: Mapping[str, Any]) -> Flask:
    """An app of the test config with these settings, beside the `app` fixture's (often on its database), whose
    engines are disposed when the test ends. A test that builds an app and does not dispose it itself builds it here."""
    other = create_app({"FLASK_CONFIG": "testing", **config})
    other.test_client_class = RequestInItsOwnContext
    _other_apps.append(other)
    return other


@pytest.fixture(autouse=True)
def dispose_other_apps():
    """Dispose the engines of the apps this test built with `another_app`, after its other fixtures' teardown."""
    yield
    while _other_apps:
        dispose_engines(_other_apps.pop())


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
