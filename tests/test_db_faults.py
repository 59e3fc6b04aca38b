"""The database's connections killed under the app (`pg_terminate_backend`), and a database that is away when the
app starts: reads and the help page never answer 500, and a write is either made exactly once or fails cleanly.

"Cleanly" means a 503 page, no row (nor half of one) stored, and nothing in the answer telling the browser that
the form went through: the draft the browser keeps of the member's words (static/js/kindred.js) stays, to be
offered back, and the form's submission key makes the retry one post, not two.

The app under test names its connections (`application_name`), and a separate maintenance connection kills
exactly those: between two requests (the pool then holds dead connections) and from another thread while a
request is running, at a chosen statement.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import uuid
from contextlib import closing

import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select

from forum import create_app
from forum.extensions import db
from forum.models import Post, Reply
from tests.conftest import TEST_DATABASE_URL, RequestInItsOwnContext
from tests.helpers import Visitor, make_post
from tests.test_faults import RedisDoor
from tests.test_idempotency import form_key

NEEDS_POSTGRES = ("killing connections (pg_terminate_backend) is PostgreSQL's; it runs in the [postgresql] case"
                  if TEST_DATABASE_URL else "pg_terminate_backend is PostgreSQL's: these fault tests did not run; "
                  "set TEST_DATABASE_URL (bash .ci/run does) to run them")
NEW_POST = {"title": "Can't sleep again", "body": "Third night in a row. Anyone else awake?"}
SUBMITTED_MARKER = "data-submitted="
#: Pages a reader opens; none may answer 500 after its connections were killed.
READS = ["/", "/needs-reply", "/posts/{post}", "/tags/Depression", "/u/river_stone", "/help", "/tags", "/notifications"]


@pytest.fixture
def postgres_url(database_url) -> str:
    if database_url.startswith("sqlite"):
        pytest.skip(NEEDS_POSTGRES)
    return database_url


class KilledApp:
    """An app whose database connections carry a name of their own, and the means to kill them."""

    def __init__(self, database_url: str):
        self.name = f"kindred-faults-{uuid.uuid4().hex[:12]}"
        url = sa.make_url(database_url).update_query_dict({"application_name": self.name})
        # The app's own engine options (pool_pre_ping and all), only the URL differs.
        self.app = create_app({"FLASK_CONFIG": "testing",
                               "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False)})
        self.app.test_client_class = RequestInItsOwnContext
        self.maintenance = sa.create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with self.app.app_context():
            self.engine = db.engine

    def visitor(self) -> Visitor:
        return Visitor(self.app.test_client())

    def backends(self) -> int:
        with self.maintenance.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"),
                                     {"name": self.name})

    def kill_connections(self) -> int:
        """Terminate every backend of the app's pool, and wait until they are gone."""
        with self.maintenance.connect() as connection:
            killed = connection.scalars(sa.text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": self.name}).all()
        assert all(killed)
        return len(killed)

    def kill_during(self, statement: str):
        """Kill the app's connections from another thread when the app is about to send `statement`
        (a regex on the SQL; "COMMIT" for the commit): the request goes on over a dead connection."""
        return KillDuring(self, statement)

    def close(self) -> None:
        self.engine.dispose()
        self.maintenance.dispose()


class KillDuring:
    def __init__(self, killed_app: KilledApp, statement: str):
        self.killed_app = killed_app
        self.pattern = re.compile(statement, re.IGNORECASE)
        self.reached, self.done = threading.Event(), threading.Event()
        self.killed = 0
        self.fired = False

    def _pause_here(self) -> None:
        if self.fired:
            return
        self.fired = True
        self.reached.set()
        assert self.done.wait(10), "the killer thread never finished"

    def _before_statement(self, conn, cursor, statement, parameters, context, executemany):
        if self.pattern.search(statement):
            self._pause_here()

    def _before_commit(self, conn):
        if self.pattern.search("COMMIT"):
            self._pause_here()

    def _killer(self) -> None:
        if self.reached.wait(10):
            self.killed = self.killed_app.kill_connections()
        self.done.set()

    def __enter__(self):
        engine = self.killed_app.engine
        event.listen(engine, "before_cursor_execute", self._before_statement)
        event.listen(engine, "commit", self._before_commit)
        self.thread = threading.Thread(target=self._killer, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.reached.set()  # a request that never reached the statement still lets the killer go
        self.thread.join(15)
        event.remove(self.killed_app.engine, "before_cursor_execute", self._before_statement)
        event.remove(self.killed_app.engine, "commit", self._before_commit)


@pytest.fixture
def killed_app(app, postgres_url):
    killed = KilledApp(postgres_url)
    yield killed
    killed.close()


@pytest.fixture
def author(killed_app, member) -> Visitor:
    visitor = killed_app.visitor()
    visitor.sign_in(member.username)
    return visitor


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- Killed between two requests: the pool holds dead connections ------------------------------------

def test_reads_and_help_answer_after_the_pool_s_connections_were_killed(killed_app, author, other_member):
    post_id = make_post(other_member).id
    reads = [page.format(post=post_id) for page in READS]
    for visitor in (author, killed_app.visitor()):  # signed in, and not
        before = {page: visitor.get(page).status_code for page in reads}
        assert set(before.values()) <= {200, 302}, before  # /notifications sends visitors to sign in
        assert killed_app.kill_connections() >= 1, "the pool held connections to kill"
        after = {page: visitor.get(page).status_code for page in reads}
        assert after == before


def test_a_write_after_the_pool_s_connections_were_killed_is_made_once(killed_app, author, member):
    key = form_key(author, "/posts/new")
    assert killed_app.kill_connections() >= 1
    sent = author.post("/posts/new", {**NEW_POST, "submission_key": key})
    assert sent.status_code == 302
    assert count(Post, Post.author_id == member.id) == 1


# --- Killed while a request is running ---------------------------------------------------------------

@pytest.mark.parametrize("statement", [r"FROM posts\b", r"FROM users\b"])
def test_a_read_whose_connection_is_killed_midway_answers_503_and_the_next_one_200(killed_app, author, other_member,
                                                                                   statement):
    post_id = make_post(other_member).id
    with killed_app.kill_during(statement) as kill:
        midway = author.get(f"/posts/{post_id}")
    assert kill.killed >= 1
    # Losing the member's own row on the way in reads the page on as a visitor; losing the post is a 503.
    assert midway.status_code in (200, 503)
    assert "Traceback" not in midway.get_data(as_text=True)
    assert author.get(f"/posts/{post_id}").status_code == 200


@pytest.mark.parametrize("statement", [r"FROM users\b", r"FROM (notifications|member_notices|posts)\b"])
def test_the_help_page_answers_when_its_connection_is_killed_midway(killed_app, author, statement):
    with killed_app.kill_during(statement) as kill:
        page = author.get("/help")
    assert kill.killed >= 1
    assert page.status_code == 200
    assert "988" in page.get_data(as_text=True)  # the US lifeline, from the hotlines data file


def assert_failed_cleanly(answer) -> None:
    """A 503 that asks to try again, and doesn't tell the browser the words were sent (it keeps the draft)."""
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503, page
    assert answer.headers.get("Retry-After")
    assert "try again" in page and 'href="/help"' in page
    assert SUBMITTED_MARKER not in page


#: Killed while loading the signed-in member, while storing the post and its hashtags, and at the commit.
@pytest.mark.parametrize("statement", [r"FROM users\b", r"INSERT INTO posts\b",
                                       r"INSERT INTO (hashtags|post_hashtags)\b",
                                       "COMMIT"])
def test_a_new_post_killed_midway_fails_cleanly_and_its_retry_makes_it_once(killed_app, author, member, statement):
    key = form_key(author, "/posts/new")
    sent = {**NEW_POST, "body": NEW_POST["body"] + " #Insomnia", "submission_key": key}
    assert author.token  # read now: fetching it inside would be the request the kill lands on
    with killed_app.kill_during(statement) as kill:
        failed = author.post("/posts/new", sent)
    assert kill.killed >= 1
    assert_failed_cleanly(failed)
    assert count(Post, Post.author_id == member.id) == 0
    with author.client.session_transaction() as session:
        assert "submitted" not in session  # so no later page lets the browser drop the draft
    retried = author.post("/posts/new", sent)
    assert retried.status_code == 302
    assert count(Post, Post.author_id == member.id) == 1
    assert SUBMITTED_MARKER + f'"{key}"' in author.get(retried.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("statement", [r"INSERT INTO replies\b", r"UPDATE posts\b", "COMMIT"])
def test_a_reply_killed_midway_leaves_no_half_of_it_and_its_retry_makes_it_once(killed_app, author, member,
                                                                                 other_member, statement):
    post = make_post(other_member)
    post_id = post.id
    key = form_key(author, f"/posts/{post_id}")
    sent = {"body": "You're not alone in this.", "submission_key": key}
    with killed_app.kill_during(statement) as kill:
        failed = author.post(f"/posts/{post_id}/replies", sent)
    assert kill.killed >= 1
    assert_failed_cleanly(failed)
    assert count(Reply, Reply.post_id == post_id) == 0
    db.session.refresh(post)
    assert post.reply_count == 0 and post.first_response_at is None
    assert author.post(f"/posts/{post_id}/replies", sent).status_code == 302
    assert count(Reply, Reply.post_id == post_id) == 1
    db.session.refresh(post)
    assert post.reply_count == 1


# --- Away when the app starts ------------------------------------------------------------------------

def test_an_app_started_while_its_database_was_away_recovers_when_it_is_back(app, database_url, member, tmp_path):
    url = sa.make_url(database_url)
    door = None
    if url.get_backend_name() == "sqlite":
        # A database file in a directory that isn't there yet; it appears, migrated, later.
        moved = tmp_path / "later" / "kindred.sqlite3"
        started = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{moved}"})

        def bring_back():
            moved.parent.mkdir()
            # sqlite3's own `with` ends a transaction and leaves the connection open (3.13 warns of that).
            with closing(sqlite3.connect(url.database)) as source, closing(sqlite3.connect(moved)) as copy:
                source.backup(copy)
    else:
        door = RedisDoor(f"tcp://{url.host}:{url.port or 5432}")  # a TCP door, shut: connections are refused
        through_door = url.set(host="127.0.0.1", port=door.port).render_as_string(hide_password=False)
        started = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": through_door})
        bring_back = door.open
    started.test_client_class = RequestInItsOwnContext
    visitor = Visitor(started.test_client())
    try:
        assert visitor.get("/").status_code == 503
        assert visitor.get("/help").status_code == 200
        bring_back()
        assert visitor.get("/").status_code == 200
        visitor.sign_in(member.username)
        assert visitor.post("/posts/new", NEW_POST).status_code == 302
        if door is not None:
            assert count(Post, Post.author_id == member.id) == 1
    finally:
        with started.app_context():
            db.engine.dispose()
        if door is not None:
            door.shut()
