"""A write is answered once and made once: a retried or doubled submit of the same form makes one post or reply,
and nothing after the commit can turn a saved write into an error."""
from __future__ import annotations

import logging
import re
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Post, Reply
from tests.helpers import Visitor, make_post, make_reply
from tests.test_faults import RATELIMIT_LOG, limiter_sees_redis_fresh, rate_limited_app, redis_door  # noqa: F401

KEY_INPUT = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')
NEW_POST = {"title": "Can't sleep again", "body": "Third night in a row. Anyone else awake?"}
#: Words the crisis detector answers, so the author lands on their help instead of their reply.
IN_DISTRESS = "I can't do this anymore, I want to die."


def form_key(visitor: Visitor, url: str) -> str:
    match = KEY_INPUT.search(visitor.get(url).get_data(as_text=True))
    assert match, f"{url} offers no submission key"
    return match.group(1)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_new_post_form_carries_a_fresh_key_each_time_it_is_shown(signed_in):
    assert form_key(signed_in, "/posts/new") != form_key(signed_in, "/posts/new")


def test_a_post_submitted_twice_is_made_once_and_both_answers_lead_to_it(signed_in):
    key = form_key(signed_in, "/posts/new")
    first = signed_in.post("/posts/new", {**NEW_POST, "submission_key": key})
    again = signed_in.post("/posts/new", {**NEW_POST, "submission_key": key})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    post = db.session.scalars(select(Post)).one()
    assert first.headers["Location"] == f"/posts/{post.id}"


def test_a_reply_submitted_twice_is_made_once_and_both_answers_lead_to_it(signed_in_other, member):
    post = make_post(member)
    key = form_key(signed_in_other, f"/posts/{post.id}")
    sent = {"body": "You're not alone in this.", "submission_key": key}
    answers = [signed_in_other.post(f"/posts/{post.id}/replies", sent) for _ in range(2)]
    reply = db.session.scalars(select(Reply)).one()
    assert [a.headers["Location"] for a in answers] == [f"/posts/{post.id}#reply-{reply.id}"] * 2
    db.session.refresh(post)
    assert post.reply_count == 1


def test_the_same_words_from_a_new_form_are_a_new_reply(signed_in_other, member):
    """Only the form's key makes a submit a retry: saying the same thing twice on purpose is allowed."""
    post = make_post(member)
    for _ in range(2):
        key = form_key(signed_in_other, f"/posts/{post.id}")
        signed_in_other.post(f"/posts/{post.id}/replies", {"body": "Sending a hug.", "submission_key": key})
    assert count(Reply) == 2


def test_another_members_key_finds_nothing_of_theirs(signed_in, signed_in_other, member):
    key = form_key(signed_in, "/posts/new")
    mine = signed_in.post("/posts/new", {**NEW_POST, "submission_key": key})
    theirs = signed_in_other.post("/posts/new", {"title": "Mine", "body": "My own words.", "submission_key": key})
    assert count(Post) == 2
    assert theirs.status_code == 302 and theirs.headers["Location"] != mine.headers["Location"]


@pytest.mark.parametrize("odd_key", ["", "short", "x" * 65, "not a key!" * 3])
def test_a_missing_or_odd_key_still_posts(signed_in, odd_key):
    assert signed_in.post("/posts/new", {**NEW_POST, "submission_key": odd_key}).status_code == 302
    assert signed_in.post("/posts/new", {**NEW_POST, "submission_key": odd_key}).status_code == 302
    assert count(Post) == 2  # without a key we can't tell a retry, so nothing is refused


def test_a_form_sent_twice_at_the_same_moment_makes_one_post(app, member, monkeypatch):
    """Both submits pass the "made already?" look-up before either writes: the unique index decides."""
    racers = [Visitor(app.test_client()) for _ in range(2)]
    for racer in racers:
        racer.sign_in(member.username)
        assert racer.token
    key = form_key(racers[0], "/posts/new")
    both_looked = threading.Barrier(2, timeout=10)
    from forum.posts import views
    create_post = views.create_post

    def create_after_both_looked(*args, **kwargs):
        both_looked.wait()
        return create_post(*args, **kwargs)

    monkeypatch.setattr(views, "create_post", create_after_both_looked)
    answers: list = [None, None]

    def submit(index: int) -> None:
        try:
            answers[index] = racers[index].post("/posts/new", {**NEW_POST, "submission_key": key})
        except BaseException as error:  # noqa: BLE001 - reported in the test's thread
            answers[index] = error

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [getattr(a, "status_code", a) for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert count(Post) == 1


# --- Nothing after the commit ------------------------------------------------------------------------

class AfterCommit:
    """The SQL a request runs after its commit: `watch()` before the request, then read `statements`."""

    def __init__(self):
        self.committed = threading.Event()
        self.statements: list[str] = []

    def watch(self) -> None:
        self.committed.clear()
        self.statements.clear()

    def on_commit(self, session) -> None:
        if not session.in_nested_transaction():  # the request's commit, not a savepoint released inside it
            self.committed.set()

    def on_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.committed.is_set():
            self.statements.append(statement)


@pytest.fixture
def after_commit(app):
    watcher = AfterCommit()
    event.listen(Session, "after_commit", watcher.on_commit)
    event.listen(db.engine, "before_cursor_execute", watcher.on_execute)
    yield watcher
    event.remove(Session, "after_commit", watcher.on_commit)
    event.remove(db.engine, "before_cursor_execute", watcher.on_execute)


@pytest.mark.parametrize("body", ["Thinking of you tonight.", IN_DISTRESS])
def test_nothing_after_a_new_reply_is_committed_touches_the_database(signed_in_other, member, body, after_commit):
    """A reply's landing page is found with a query: done after the commit, a failing database answered a
    saved reply with an error, and the member sent it again."""
    post = make_post(member)
    make_reply(member, post, "Anyone around?")  # the landing needs a page cursor among others' replies
    assert signed_in_other.token
    after_commit.watch()
    answer = signed_in_other.post(f"/posts/{post.id}/replies", {"body": body})
    assert answer.status_code == 302
    assert after_commit.committed.is_set() and after_commit.statements == []


@pytest.mark.parametrize("body", [NEW_POST["body"], IN_DISTRESS])
def test_nothing_after_a_new_post_is_committed_touches_the_database(signed_in, body, after_commit):
    after_commit.watch()
    assert signed_in.post("/posts/new", {"title": "Tonight", "body": body}).status_code == 302
    assert after_commit.committed.is_set() and after_commit.statements == []


def test_nothing_after_an_edit_or_a_heart_is_committed_touches_the_database(signed_in, signed_in_other, member,
                                                                           after_commit):
    post = make_post(member)
    reply = make_reply(member, post)
    for visitor, url, data in [
        (signed_in, f"/posts/{post.id}/edit", {"title": "A hard week", "body": "Edited: still hard."}),
        (signed_in, f"/replies/{reply.id}/edit", {"body": "Edited reply."}),
        (signed_in_other, f"/posts/{post.id}/heart", {"hearted": "1"}),
    ]:
        assert visitor.token
        after_commit.watch()
        assert visitor.post(url, data, headers={"Accept": "application/json"}
                            if url.endswith("heart") else {}).status_code in (200, 302)
        assert after_commit.committed.is_set() and after_commit.statements == [], url


def test_redis_lost_after_the_write_leaves_its_answer_alone(app, database_url, member, redis_door,  # noqa: F811
                                                            limiter_sees_redis_fresh, caplog):  # noqa: F811
    """The limit is counted before the view; after it, nothing asks Redis anything (no rate-limit headers),
    so Redis lost mid-request can't fail a saved post or flip the limits to memory."""
    if not database_url.startswith("sqlite"):
        pytest.skip("Redis is the same whatever the database; once is enough")
    redis_door.open()
    limited = rate_limited_app(database_url, redis_door.url)
    armed = threading.Event()

    @limited.after_request
    def lose_redis(response):  # runs before the limiter's own after-request (Flask runs them last-in first)
        if armed.is_set():
            redis_door.shut()
        return response

    visitor = Visitor(limited.test_client())
    visitor.sign_in(member.username)
    assert visitor.token  # read now: fetching it later would be a request of its own, losing Redis early
    armed.set()
    caplog.set_level(logging.INFO, logger=RATELIMIT_LOG)
    answer = visitor.post("/posts/new", NEW_POST)
    assert answer.status_code == 302
    assert count(Post) == 1
    assert not [r.getMessage() for r in caplog.records if r.name == RATELIMIT_LOG and r.levelno >= logging.WARNING]
