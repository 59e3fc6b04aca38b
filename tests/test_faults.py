"""Faults outside the app: Redis (the rate limits' store) unreachable or coming back, the database down.

A cache outage must never stop a member from asking for help, and a database outage must still let the
help page, with its hotlines, reach them.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from redis import Redis
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from forum.extensions import limiter
from forum.models import Flag, Heart, Post, Reply, TagFollow, User
from tests.conftest import another_app
from tests.helpers import PASSWORD, Visitor, make_post

#: Nothing listens on port 1: connecting is refused at once, as when Redis is down.
CLOSED_REDIS = "redis://127.0.0.1:1/0"
RATELIMIT_LOG = "forum.ratelimits"


def app_with(database_url: str, **config):
    return another_app({"SQLALCHEMY_DATABASE_URI": database_url, **config})


def rate_limited_app(database_url: str, storage_uri: str):
    return app_with(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage_uri)


def count(stmt) -> int:
    from forum.extensions import db

    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


# --- Redis unreachable ---------------------------------------------------------------------------

def test_every_rate_limited_form_works_while_redis_is_unreachable(app, database_url, other_member, caplog,
                                                                  limiter_sees_redis_fresh):
    post = make_post(other_member, body="Some days are heavier than others. #Anxiety")
    post_id = post.id
    visitor = Visitor(rate_limited_app(database_url, CLOSED_REDIS).test_client())
    caplog.set_level(logging.INFO, logger=RATELIMIT_LOG)

    joined = visitor.post("/register", {"username": "new_here", "password": PASSWORD, "confirm": PASSWORD})
    assert joined.status_code == 302
    assert visitor.post("/logout").status_code == 302
    assert visitor.post("/login", {"username": "new_here", "password": PASSWORD}).status_code == 302
    assert visitor.post("/posts/new", {"title": "First night here", "body": "Hello, everyone."}).status_code == 302
    assert visitor.post(f"/posts/{post_id}/replies", {"body": "I'm with you."}).status_code == 302
    assert visitor.post(f"/posts/{post_id}/heart", {"hearted": "1"}).status_code == 302
    assert visitor.post(f"/posts/{post_id}/flag", {"reason": "spam"}).status_code == 302
    assert visitor.post("/tags/Anxiety/follow").status_code == 302
    checked = visitor.post("/api/crisis/check", {"text": "a hard week"})
    assert checked.status_code == 200 and checked.get_json()["level"] == "none"

    newcomer = User.query.filter_by(username_key="new_here").one()
    assert count(select(Post).where(Post.author_id == newcomer.id)) == 1
    assert count(select(Reply).where(Reply.author_id == newcomer.id)) == 1
    assert count(select(Heart).where(Heart.user_id == newcomer.id)) == 1
    assert count(select(Flag).where(Flag.user_id == newcomer.id)) == 1
    assert count(select(TagFollow).where(TagFollow.user_id == newcomer.id)) == 1
    # Said once for the outage, not once per request.
    outage = [r for r in caplog.records if r.name == RATELIMIT_LOG and r.levelno >= logging.WARNING]
    assert len(outage) == 1, [r.getMessage() for r in outage]


def test_limits_still_hold_in_memory_while_redis_is_unreachable(app, database_url, monkeypatch):
    # Sign-in attempts for a name no one has; their (deliberately slow) password check made cheap.
    monkeypatch.setattr("forum.services.accounts._UNKNOWN_MEMBER_HASH",
                        generate_password_hash("no member has this password", "pbkdf2:sha256:1"))
    visitor = Visitor(rate_limited_app(database_url, CLOSED_REDIS).test_client())
    # Each attempt names another account: one account's own, tighter limit is tests/test_login_limits.py's.
    statuses = [visitor.post("/login", {"username": f"nobody_{n}", "password": "not it"}).status_code
                for n in range(21)]
    assert statuses == [200] * 20 + [429]  # 20 sign-in attempts in 10 minutes from one address


class RedisDoor:
    """A local TCP door to the test Redis that can be shut and opened again: Redis lost, then back.

    The app is pointed at the door's port; shutting it drops every open connection and refuses new ones.
    """

    def __init__(self, redis_url: str):
        parts = urlsplit(redis_url)
        self.target = (parts.hostname, parts.port or 6379)
        self.database = parts.path
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.database}"

    def open(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.05)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def shut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        for connection in self._connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
        self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            client.settimeout(None)
            upstream = socket.create_connection(self.target)
            self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


@pytest.fixture
def redis_door():
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("Redis run skipped: set TEST_REDIS_URL (bash .ci/run does) to run it")
    door = RedisDoor(redis_url)
    yield door
    door.shut()


@pytest.fixture
def limiter_sees_redis_fresh():
    """Start from "Redis is fine, never checked": the limiter is one object for every app in this process,
    so an outage seen by an earlier test would otherwise still count here."""
    limiter._storage_dead = False
    limiter._Limiter__check_backend_count = 0
    limiter._Limiter__last_check_backend = 0.0
    yield
    limiter._storage_dead = False


def test_rate_limits_fall_back_when_redis_is_lost_and_return_to_it_when_it_is_back(
        app, database_url, member, other_member, redis_door, limiter_sees_redis_fresh, caplog):
    if not database_url.startswith("sqlite"):
        pytest.skip("Redis coming and going is the same whatever the database; once is enough")
    post_id = make_post(other_member).id
    redis_door.open()
    visitor = Visitor(rate_limited_app(database_url, redis_door.url).test_client())
    visitor.sign_in(member.username)
    caplog.set_level(logging.INFO, logger=RATELIMIT_LOG)
    redis = Redis.from_url(os.environ["TEST_REDIS_URL"])

    def heart_counters() -> list[bytes]:
        """The hearts' rate-limit counters in Redis (only these tests heart through a Redis-backed app)."""
        return redis.keys("LIMITS:*/hearts/*")  # the shared bucket of forum.limits.hearts

    def forget_heart_counters() -> None:
        if keys := heart_counters():
            redis.delete(*keys)

    def check() -> int:
        return visitor.post(f"/posts/{post_id}/heart", {"hearted": "1"}).status_code

    def said(level: int) -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == RATELIMIT_LOG and r.levelno == level]

    forget_heart_counters()
    try:
        assert check() == 302
        assert heart_counters(), "while Redis is there, limits are counted in it"
        redis_door.shut()
        assert [check() for _ in range(3)] == [302] * 3
        assert len(said(logging.WARNING)) == 1
        forget_heart_counters()
        redis_door.open()
        # Flask-Limiter looks for Redis again after a pause that doubles each time it finds it gone (1 s, 2 s…).
        deadline = time.monotonic() + 10
        while not said(logging.INFO) and time.monotonic() < deadline:
            assert check() == 302
            time.sleep(0.2)
        assert said(logging.INFO), "the return of Redis is logged"
        assert check() == 302
        assert heart_counters(), "once Redis is back, limits are counted in it again"
    finally:
        forget_heart_counters()


# --- The database down ---------------------------------------------------------------------------

#: Databases that can't be reached: PostgreSQL refusing connections, SQLite in a directory that isn't there.
UNREACHABLE_DATABASES = {"postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/kindred",
                         "sqlite": "sqlite:////nonexistent-kindred-directory/kindred.sqlite3"}


@pytest.fixture(params=sorted(UNREACHABLE_DATABASES))
def database_down(request):
    """A client of an app whose database can't be reached (needs no database fixture, by design)."""
    down = app_with(UNREACHABLE_DATABASES[request.param])
    return down.test_client()


def signed_in_cookie(client, member_id: int = 1) -> None:
    """A member signed in before the database went away: their session cookie names them."""
    with client.session_transaction() as session:
        session["_user_id"] = str(member_id)
        session["_fresh"] = True


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_help_page_and_its_hotlines_need_no_database(database_down, signed_in):
    if signed_in:
        signed_in_cookie(database_down)
    response = database_down.get("/help")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "988" in page  # the US lifeline, from the hotlines data file


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_database_pages_say_calmly_they_can_not_load_and_point_to_help(database_down, signed_in):
    if signed_in:
        signed_in_cookie(database_down)
    response = database_down.get("/")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and 'href="/help"' in page
    assert "try again" in page


def test_error_pages_render_without_the_database(database_down):
    signed_in_cookie(database_down)
    response = database_down.get("/no-such-page")
    assert response.status_code == 404
    assert 'href="/help"' in response.get_data(as_text=True)


def test_scripts_get_a_json_503_while_the_database_is_down(database_down):
    response = database_down.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == 503
