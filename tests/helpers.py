"""Test helpers: member and post factories, a CSRF-aware visitor, a SQL query counter."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from forum.extensions import db
from forum.models import Role
from forum.services.accounts import register_member
from forum.services.posts import create_post
from forum.services.replies import add_reply

PASSWORD = "a long enough password"
#: Forms that can sign a visitor in (forum.sessions.sign_in_here clears the session they had).
SESSION_STARTING_PATHS = {"/login", "/register", "/forgot-password"}
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_member(username: str, role: Role = Role.MEMBER):
    member = register_member(username, PASSWORD, role)
    db.session.commit()
    return member


def make_established_member(username: str, role: Role = Role.MEMBER):
    """A member whose flags count toward auto-hiding: joined two days ago and has written a post."""
    member = make_member(username, role)
    member.joined_at = member.joined_at - timedelta(days=2)
    make_post(member, title=f"Hello from {username}", body="Glad to be here.")
    return member


def make_post(author, title="A hard week", body="Some days are heavier than others. #Depression", tags=""):
    post = create_post(author, title, body, tags)
    db.session.commit()
    return post


def make_reply(author, post, body="I hear you. Sending strength.", parent=None):
    reply = add_reply(author, post, body, parent)
    db.session.commit()
    return reply


class Visitor:
    """A test client that reads the CSRF token from a page and sends it with every form."""

    def __init__(self, client):
        self.client = client
        self._token: str | None = None

    @property
    def token(self) -> str:
        if self._token is None:
            for path in ("/login", "/posts/new"):
                match = CSRF_INPUT.search(self.client.get(path, follow_redirects=True).get_data(as_text=True))
                if match:
                    self._token = match.group(1)
                    break
            else:
                raise AssertionError("no page offered a CSRF token")
        return self._token

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url, data=None, **kwargs):
        response = self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)
        if url.split("?")[0] in SESSION_STARTING_PATHS:
            self._token = None  # signing in starts a new session, and with it a new CSRF token
        return response

    def sign_in(self, username: str, password: str = PASSWORD):
        response = self.post("/login", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


@contextmanager
def count_queries(engine):
    """Count the SQL statements run inside the block: `with count_queries(db.engine) as queries:`."""
    statements: list[str] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)
