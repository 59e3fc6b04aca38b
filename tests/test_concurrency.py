"""Races through the app: many members doing the same thing to the same post or tag at the same moment.

Each member is a thread with its own test client, so each request has its own app context, database
session and connection, as under a multi-worker server. A barrier releases them together. Whatever
the order the database lets them through, no one gets an error, nothing is lost or stored twice, and
counters are exact.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from forum.extensions import db
from forum.models import (
    Flag,
    Heart,
    ModerationAction,
    Notification,
    Post,
    PostStatus,
    Priority,
    Reply,
    Role,
    TagFollow,
)
from forum.services.moderation.queue import add_reason
from forum.services.tags import find_hashtag
from tests.helpers import Visitor, make_established_member, make_member, make_post

RACERS = 10
#: Seconds any one request may take before the race counts as hung (a deadlock PostgreSQL failed to break).
PATIENCE = 30


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Hash the racers' passwords cheaply: ten members sign up and in before each race, and the race is the test."""
    monkeypatch.setattr("forum.models.user.generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


def signed_in_visitors(app, count: int, prefix: str, established: bool = False) -> list[Visitor]:
    """`count` new members, each signed in on their own client, with a CSRF token already in hand.

    `established` members joined days ago and have written, so their flags count toward auto-hiding.
    """
    visitors = []
    for i in range(count):
        visitor = Visitor(app.test_client())
        make = make_established_member if established else make_member
        visitor.sign_in(make(f"{prefix}_{i}").username)
        assert visitor.token
        visitors.append(visitor)
    return visitors


def race(requests: list[Callable[[], object]]) -> list[int]:
    """Send the requests from one thread each, all released at once; return their status codes in order."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int | BaseException | None] = [None] * len(requests)

    def run(index: int) -> None:
        barrier.wait()
        try:
            statuses[index] = requests[index]().status_code
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's own thread
            statuses[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PATIENCE)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    errors = [status for status in statuses if isinstance(status, BaseException)]
    assert not errors, errors
    db.session.expire_all()  # what the threads committed, not what this session remembers
    return statuses


def count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def test_members_flagging_one_post_at_once_are_all_stored_and_hide_it_once(app, member):
    # The threshold is the number of flaggers, so the hide depends on every flag being counted, and
    # every request starts while the post is still visible to its flagger.
    app.config["FLAG_HIDE_THRESHOLD"] = RACERS
    post = make_post(member)
    flaggers = signed_in_visitors(app, RACERS, "flagger", established=True)

    url = f"/posts/{post.id}/flag"
    statuses = race([lambda v=v: v.post(url, {"reason": "spam"}) for v in flaggers])

    assert statuses == [302] * RACERS
    assert count(select(Flag).where(Flag.post_id == post.id)) == RACERS
    assert db.session.get(Post, post.id).status == PostStatus.HIDDEN.value
    assert count(select(ModerationAction).where(ModerationAction.post_id == post.id,
                                                ModerationAction.action == "auto_hide")) == 1


def test_flags_after_the_threshold_wait_their_turn_and_hide_nothing_twice(app, member):
    app.config["FLAG_HIDE_THRESHOLD"] = 3
    post = make_post(member)
    flaggers = signed_in_visitors(app, RACERS, "flagger", established=True)

    url = f"/posts/{post.id}/flag"
    statuses = race([lambda v=v: v.post(url, {"reason": "harassment"}) for v in flaggers])

    # A flagger whose request began after the hide finds the post gone from view: 404, not an error.
    assert set(statuses) <= {302, 404} and statuses.count(302) >= 3
    assert count(select(Flag).where(Flag.post_id == post.id)) == statuses.count(302)
    assert db.session.get(Post, post.id).status == PostStatus.HIDDEN.value
    assert count(select(ModerationAction).where(ModerationAction.post_id == post.id,
                                                ModerationAction.action == "auto_hide")) == 1


def test_members_hearting_one_post_at_once_each_count_once(app, member):
    post = make_post(member)
    hearts = signed_in_visitors(app, RACERS // 2, "heart")
    # Each member double-clicks: two requests each, at the same moment.
    url = f"/posts/{post.id}/heart"
    statuses = race([lambda v=v: v.post(url, {"hearted": "1"}) for v in hearts * 2])

    assert statuses == [302] * RACERS
    assert count(select(Heart).where(Heart.post_id == post.id)) == len(hearts)
    assert db.session.get(Post, post.id).heart_count == len(hearts)
    assert count(select(Notification).where(Notification.recipient_id == member.id,
                                            Notification.group_key == f"heart:post:{post.id}")) == len(hearts)


def test_members_replying_to_one_post_at_once_are_all_answered_and_counted(app, member):
    post = make_post(member)
    repliers = signed_in_visitors(app, RACERS, "replier")

    url = f"/posts/{post.id}/replies"
    statuses = race([lambda i=i, v=v: v.post(url, {"body": f"With you, from {i}."})
                     for i, v in enumerate(repliers)])

    assert statuses == [302] * RACERS
    bodies = db.session.scalars(select(Reply.body).where(Reply.post_id == post.id)).all()
    assert sorted(bodies) == sorted(f"With you, from {i}." for i in range(RACERS))
    stored = db.session.get(Post, post.id)
    assert stored.reply_count == RACERS
    assert stored.first_response_at is not None


def test_members_following_one_tag_at_once_follow_it_once_each(app, member):
    make_post(member, body="Today was long. #Anxiety")
    tag = find_hashtag("Anxiety")
    followers = signed_in_visitors(app, RACERS // 2, "follower")

    statuses = race([lambda v=v: v.post("/tags/Anxiety/follow") for v in followers * 2])

    assert statuses == [302] * RACERS
    follows = db.session.execute(select(TagFollow.user_id, TagFollow.mode).where(TagFollow.hashtag_id == tag.id)).all()
    assert len(follows) == len({user_id for user_id, _ in follows}) == len(followers)
    assert {mode for _, mode in follows} == {"follow"}


# --- Deletion racing other writes ---------------------------------------------------------------------
# Each of these holds the requests at a chosen point, so the one interleaving that broke is met every run: both
# requests have read the post, then the deletion commits, then the other goes on. Row locks decide who goes
# first, and they are PostgreSQL's: SQLite lets one writer in at a time, and these stay on the [postgresql] case.

@pytest.fixture
def postgresql(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks decide these races: they run on PostgreSQL (set TEST_DATABASE_URL)")


def held(monkeypatch, module, name: str, before: Callable[[], object] = lambda: None,
         after: Callable[[], object] = lambda: None) -> None:
    """Make `module.name` call `before()` first and `after()` once it has returned, as a request runs it."""
    original = getattr(module, name)

    def run(*args, **kwargs):
        before()
        result = original(*args, **kwargs)
        after()
        return result

    monkeypatch.setattr(module, name, run)


def then(respond: Callable[[], object], done: threading.Event) -> Callable[[], object]:
    """`respond`, and `done` set once its answer (so its commit) is in."""
    def run():
        response = respond()
        done.set()
        return response
    return run


def test_a_post_deleted_twice_at_once_is_deleted_once_and_both_answers_say_so(app, member, postgresql, monkeypatch):
    from forum.posts import views
    post_id = make_post(member).id
    clicks = [Visitor(app.test_client()) for _ in range(2)]
    for click in clicks:
        click.sign_in(member.username)
    both_read = threading.Barrier(2, timeout=PATIENCE)
    held(monkeypatch, views, "delete_post", before=both_read.wait)

    statuses = race([lambda v=v: v.post(f"/posts/{post_id}/delete") for v in clicks])

    assert statuses == [302, 302]
    assert db.session.get(Post, post_id) is None


def test_a_reply_sent_as_its_post_is_deleted_is_refused_with_its_words_kept(app, member, postgresql, monkeypatch):
    from forum.posts import views
    post_id = make_post(member).id
    author, replier = Visitor(app.test_client()), signed_in_visitors(app, 1, "replier")[0]
    author.sign_in(member.username)
    both_read, deleted = threading.Barrier(2, timeout=PATIENCE), threading.Event()
    held(monkeypatch, views, "delete_post", before=both_read.wait)
    held(monkeypatch, views, "add_reply", before=lambda: (both_read.wait(), deleted.wait(PATIENCE)))

    statuses = race([then(lambda: author.post(f"/posts/{post_id}/delete"), deleted),
                     lambda: replier.post(f"/posts/{post_id}/replies", {"body": "I'm here with you."})])

    assert statuses == [302, 404]  # the page that says it went away while they wrote, with their words
    assert count(select(Reply).where(Reply.post_id == post_id)) == 0


def test_a_heart_sent_as_its_post_is_deleted_is_a_calm_404(app, member, postgresql, monkeypatch):
    from forum.posts import views
    post_id = make_post(member).id
    author, fan = Visitor(app.test_client()), signed_in_visitors(app, 1, "fan")[0]
    author.sign_in(member.username)
    both_read, deleted = threading.Barrier(2, timeout=PATIENCE), threading.Event()
    held(monkeypatch, views, "delete_post", before=both_read.wait)
    held(monkeypatch, views, "set_heart", before=lambda: (both_read.wait(), deleted.wait(PATIENCE)))

    statuses = race([then(lambda: author.post(f"/posts/{post_id}/delete"), deleted),
                     lambda: fan.post(f"/posts/{post_id}/heart", {"hearted": "1"})])

    assert statuses == [302, 404]
    assert count(select(Heart).where(Heart.post_id == post_id)) == 0


def test_a_new_post_keeps_a_tag_whose_last_other_post_is_deleted_meanwhile(app, member, postgresql, monkeypatch):
    """The deletion forgets tags no post uses any more; the new post had found this one and links to it."""
    from forum.posts import views
    from forum.services import posts
    post_id = make_post(member, body="Only this post says it. #LateSpring").id
    author, writer = Visitor(app.test_client()), signed_in_visitors(app, 1, "writer")[0]
    author.sign_in(member.username)
    found, deleted = threading.Event(), threading.Event()
    held(monkeypatch, posts, "hashtags_named", after=lambda: (found.set(), deleted.wait(PATIENCE)))
    held(monkeypatch, views, "delete_post", before=lambda: found.wait(PATIENCE))

    statuses = race([then(lambda: author.post(f"/posts/{post_id}/delete"), deleted),
                     lambda: writer.post("/posts/new", {"title": "Spring", "body": "Me too. #LateSpring"})])

    assert statuses == [302, 302]
    tag = find_hashtag("LateSpring")
    assert tag is not None and tag.post_count == 1
    assert [p.title for p in db.session.scalars(select(Post))] == ["Spring"]
    assert [t.key for t in db.session.scalars(select(Post)).one().hashtags] == [tag.key]


def test_a_reply_sent_as_a_moderator_locks_the_post_is_refused_with_its_words_kept(app, member, postgresql,
                                                                                   monkeypatch):
    """The replier read the post open; the lock commits before the reply goes on: the locked read sees it."""
    from forum.moderation import views as moderation_views
    from forum.posts import views
    post = make_post(member, title="Heated")
    item = add_reason(post, "flag", {"label": "Harassment"}, Priority.ROUTINE)
    db.session.commit()
    post_id, item_id, version = post.id, item.id, item.version
    moderator, replier = Visitor(app.test_client()), signed_in_visitors(app, 1, "replier")[0]
    moderator.sign_in(make_member("lock_mod", Role.MODERATOR).username)
    both_read, locked = threading.Barrier(2, timeout=PATIENCE), threading.Event()
    held(monkeypatch, moderation_views, "take_action", before=both_read.wait)
    held(monkeypatch, views, "add_reply", before=lambda: (both_read.wait(), locked.wait(PATIENCE)))

    statuses = race([then(lambda: moderator.post(f"/moderation/items/{item_id}/act",
                                                 {"action": "lock", "version": str(version)}), locked),
                     lambda: replier.post(f"/posts/{post_id}/replies", {"body": "Words that came too late."})])

    assert statuses == [302, 422]  # refused where the reply box was, its words kept
    assert db.session.get(Post, post_id).replies_locked
    assert count(select(Reply).where(Reply.post_id == post_id)) == 0


@pytest.mark.parametrize("answered", [False, True], ids=["removed", "kept-as-placeholder"])
def test_a_crisis_reply_deleted_twice_at_once_leaves_one_welfare_check(app, member, other_member, postgresql,
                                                                       monkeypatch, answered):
    """A double-clicked delete (JS off): both answers are calm, and moderators get one check to act on, not two."""
    from forum.models import WelfareCheck
    from forum.posts import views
    from tests.helpers import make_reply
    post = make_post(other_member, title="Anyone awake?", body="Long night.")
    reply = make_reply(member, post, body="I want to end my life tonight")
    if answered:
        make_reply(other_member, post, body="Please stay with us.", parent=reply)
    reply_id = reply.id
    clicks = [Visitor(app.test_client()) for _ in range(2)]
    for click in clicks:
        click.sign_in(member.username)
    both_read = threading.Barrier(2, timeout=PATIENCE)
    held(monkeypatch, views, "delete_reply", before=both_read.wait)

    statuses = race([lambda v=v: v.post(f"/replies/{reply_id}/delete") for v in clicks])

    assert statuses == [302, 302]
    assert count(select(WelfareCheck)) == 1
