"""The demo community loads through the same services members use, and loading it twice adds nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.demo.seed import seed_demo
from forum.extensions import db
from forum.models import Hashtag, Heart, Notification, Post, Reply, User, utcnow


def totals() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Post, Reply, Heart, Hashtag)}


def seeded_once_on_postgresql(app) -> None:
    """Seeding takes ~10 s on PostgreSQL: there, only the test of what seeding stores seeds it; what the other
    tests read of it is the same on either database."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the demo is seeded by the test of what seeding stores; once is enough")


def test_seeding_stores_matching_counters_and_seeding_twice_adds_nothing(app):
    first = seed_demo()
    db.session.commit()
    for post in db.session.scalars(select(Post)):
        replies = db.session.scalar(select(func.count()).where(Reply.post_id == post.id))
        hearts = db.session.scalar(select(func.count()).where(Heart.post_id == post.id))
        assert (post.reply_count, post.heart_count) == (replies, hearts), post.title
        assert post.last_activity_at >= post.created_at

    after_first = totals()
    second = seed_demo()
    db.session.commit()
    assert after_first == totals()
    assert (second.members_created, second.posts_created, second.replies_created, second.hearts_given) == (0, 0, 0, 0)
    assert first.posts_created == after_first["Post"] >= 38 and after_first["Reply"] >= 140


def test_demo_has_posts_waiting_for_a_reply_and_a_moderator(app, client):
    seeded_once_on_postgresql(app)
    seed_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(User).where(User.role == "moderator")) >= 1
    html = client.get("/needs-reply").get_data(as_text=True)
    assert html.count('class="card post-card') >= 5


def test_seed_demo_command_prints_the_log_ins(app):
    seeded_once_on_postgresql(app)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "moderator" in result.output and "kindred-demo" in result.output


def test_demo_notifications_carry_the_time_of_what_they_announce(app):
    seeded_once_on_postgresql(app)
    now = utcnow()
    seed_demo(now=now)
    db.session.flush()
    notifications = db.session.scalars(select(Notification)).all()
    assert notifications, "the demo's replies and hearts should notify their authors"
    assert all(n.created_at <= now for n in notifications)
    assert any(now - n.created_at > timedelta(days=7) for n in notifications)
    # Old ones are read; the last few days' are waiting, so the page has something new but not a flood.
    assert all(n.read_at is not None for n in notifications if now - n.created_at > timedelta(days=3))
    assert any(n.read_at is None for n in notifications)
