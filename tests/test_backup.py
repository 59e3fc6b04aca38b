"""Backups taken while members write, and restores into an empty database that find every committed row."""
from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from contextlib import closing

import pytest
import sqlalchemy as sa

from forum.backup import BackupError, backup_database, restore_database
from forum.extensions import db
from forum.models import Post, User
from forum.services.posts import create_post
from forum.services.replies import add_reply
from tests.helpers import make_member, make_post, make_reply

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
#: Earlier posts in the database, so that copying it takes long enough for commits to land meanwhile.
HISTORY_POSTS = 2000
#: Seconds to wait for the writer to reach a count of commits before calling it stuck.
PATIENCE = 20


class SteadyWriter(threading.Thread):
    """A member posting and another replying, each write committed on its own, until told to stop."""

    def __init__(self, app, author_id: int, replier_id: int):
        super().__init__(daemon=True)
        self.app, self.author_id, self.replier_id = app, author_id, replier_id
        #: ("posts" | "replies", id) in the order their commits returned.
        self.committed: list[tuple[str, int]] = []
        self.error: BaseException | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            with self.app.app_context():  # its own session and connection, as a second server worker has
                author, replier = db.session.get(User, self.author_id), db.session.get(User, self.replier_id)
                post = None
                for n in range(10**6):
                    if self.stopping.is_set():
                        break
                    if n % 3 == 0:
                        post = create_post(author, f"Night {n}", f"Still awake, night {n}. #Insomnia")
                        db.session.commit()
                        self.committed.append(("posts", post.id))
                    else:
                        reply = add_reply(replier, post, f"Still here with you ({n}).")
                        db.session.commit()
                        self.committed.append(("replies", reply.id))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test, in its own thread
            self.error = error

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + PATIENCE
        while len(self.committed) < count and self.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.error is None, self.error
        assert len(self.committed) >= count, f"the writer committed only {len(self.committed)} rows"

    def finish(self) -> None:
        self.stopping.set()
        self.join(PATIENCE)
        assert not self.is_alive(), "the writer never stopped"
        assert self.error is None, self.error


def scalars(engine: sa.Engine, sql: str) -> list:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(sql)).scalars())


def rows(engine: sa.Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def assert_counters_match_rows(engine: sa.Engine) -> None:
    """Every stored counter equals what the rows say: no write was copied half-way."""
    assert rows(engine, """
        SELECT p.id, p.reply_count, (SELECT count(*) FROM replies r WHERE r.post_id = p.id AND r.status = 'visible')
        FROM posts p WHERE p.reply_count != (SELECT count(*) FROM replies r
                                             WHERE r.post_id = p.id AND r.status = 'visible')""") == []
    assert rows(engine, """
        SELECT h.key, h.post_count FROM hashtags h WHERE h.post_count != (
            SELECT count(*) FROM post_hashtags ph JOIN posts p ON p.id = ph.post_id
            WHERE ph.hashtag_id = h.id AND p.status = 'visible')""") == []


@on_sqlite
def test_a_backup_of_a_busy_sqlite_database_restores_every_row_committed_before_it(app, tmp_path):
    author, replier = make_member("night_owl"), make_member("early_lark")
    history = "A longer night than most, written down so it is somewhere. " * 60
    db.session.execute(sa.insert(Post), [{"author_id": author.id, "title": f"Earlier night {n}", "body": history,
                                           "body_html": history} for n in range(HISTORY_POSTS)])
    db.session.commit()
    earlier = {("posts", id_) for id_ in scalars(db.engine, "SELECT id FROM posts")}
    writer = SteadyWriter(app, author.id, replier.id)
    writer.start()
    try:
        writer.wait_for(30)
        committed_before = len(writer.committed)
        written = backup_database(db.engine.url, tmp_path / "kindred.sqlite3")
        writer.wait_for(committed_before + 15)  # members kept writing through the backup and after it
    finally:
        writer.finish()
    assert written.kind == "sqlite" and written.size > 0

    restored_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    restore_database(restored_url, written.path)

    restored = sa.create_engine(restored_url)
    try:
        found = {("posts", id_) for id_ in scalars(restored, "SELECT id FROM posts")} | \
                {("replies", id_) for id_ in scalars(restored, "SELECT id FROM replies")}
        assert earlier <= found
        found -= earlier
        # One writer commits in order, so a consistent snapshot is exactly its first k commits, with k at
        # least the number committed before the backup began.
        snapshot = len(found)
        assert committed_before <= snapshot <= len(writer.committed)
        assert found == set(writer.committed[:snapshot])
        assert set(scalars(restored, "SELECT username FROM users")) == {"night_owl", "early_lark"}
        assert_counters_match_rows(restored)
        assert scalars(restored, "PRAGMA integrity_check") == ["ok"]
        assert rows(restored, "PRAGMA foreign_key_check") == []
        assert scalars(restored, "SELECT version_num FROM alembic_version") == \
            scalars(db.engine, "SELECT version_num FROM alembic_version")
    finally:
        restored.dispose()


@on_sqlite
def test_restore_refuses_a_database_that_holds_rows_and_leaves_it_untouched(app, member, tmp_path):
    post = make_post(member, title="Still here")
    runner = app.test_cli_runner()
    backup = tmp_path / "kindred.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    make_reply(member, post, "Later words, written after the backup.")

    result = runner.invoke(args=["restore", str(backup)])

    assert result.exit_code == 1
    assert "is not empty" in result.output and "users" in result.output and "Traceback" not in result.output
    db.session.expire_all()
    assert scalars(db.engine, "SELECT body FROM replies") == ["Later words, written after the backup."]


@on_sqlite
def test_restore_into_an_existing_empty_sqlite_database_replaces_it_whole(app, member, tmp_path):
    make_post(member, title="Still here")
    written = backup_database(db.engine.url, tmp_path / "kindred.sqlite3")
    target = tmp_path / "migrated-but-empty.sqlite3"
    with closing(sqlite3.connect(target)) as connection:
        connection.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT)")

    restored = restore_database(f"sqlite:///{target}", written.path)

    assert restored.method == "SQLite's online backup API"
    engine = sa.create_engine(f"sqlite:///{target}")
    try:
        assert scalars(engine, "SELECT title FROM posts") == ["Still here"]
        assert scalars(engine, "SELECT username FROM users") == ["river_stone"]
    finally:
        engine.dispose()


@on_sqlite
def test_backup_says_what_it_wrote_and_replaces_a_file_only_with_force(app, member, tmp_path):
    runner = app.test_cli_runner()
    backup = tmp_path / "kindred.sqlite3"
    backup.write_text("an older copy")

    refused = runner.invoke(args=["backup", str(backup)])
    assert refused.exit_code == 1 and "already exists" in refused.output and "--force" in refused.output
    assert backup.read_text() == "an older copy"

    written = runner.invoke(args=["backup", "--force", str(backup)])
    assert written.exit_code == 0, written.output
    assert str(backup) in written.output and "SQLite" in written.output
    assert f"{backup.stat().st_size:,} bytes" in written.output
    assert oct(backup.stat().st_mode & 0o777) == oct(0o600)  # members' health data: the owner's eyes only
    assert [p.name for p in tmp_path.iterdir()] == ["kindred.sqlite3"]  # no partial file left behind


@pytest.mark.parametrize("target, message", [
    ("missing-folder/kindred.sqlite3", "does not exist"),
    (".", "is a folder"),
])
def test_backup_refuses_a_path_it_cannot_write_with_a_reason(tmp_path, target, message):
    source = tmp_path / "live.sqlite3"
    source.write_bytes(b"")
    with pytest.raises(BackupError, match=message):
        backup_database(f"sqlite:///{source}", tmp_path / target)


def test_a_postgresql_backup_without_pg_dump_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH where no pg_dump lives
    with pytest.raises(BackupError, match="pg_dump was not found on PATH.*postgresql-client"):
        backup_database("postgresql+psycopg://kindred@127.0.0.1/kindred", tmp_path / "kindred.dump")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def empty_postgres_database(database_url):
    """A new, empty PostgreSQL database beside the test database, dropped afterwards."""
    source = sa.make_url(database_url)
    target = source.set(database=f"{source.database}_restore")
    maintenance = sa.create_engine(source, isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with maintenance.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))

    drop()  # left behind by an interrupted run
    with maintenance.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    try:
        yield target
    finally:
        drop()
        maintenance.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                    reason="PostgreSQL backup skipped: pg_dump and pg_restore are not on PATH")
@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL backup skipped: set TEST_DATABASE_URL to run it")
def test_a_postgresql_backup_restores_every_row_into_an_empty_database(app, member, other_member,
                                                                        empty_postgres_database, tmp_path):
    post = make_post(member, title="Day thirty", body="Thirty days today. #Recovery")
    make_reply(other_member, post, "Proud of you.")
    make_reply(member, post, "Thank you, it means a lot.")
    backup = tmp_path / "kindred.dump"

    written = app.test_cli_runner().invoke(args=["backup", str(backup)])
    assert written.exit_code == 0, written.output
    assert "pg_dump --format=custom" in written.output and "PostgreSQL" in written.output

    restored = restore_database(empty_postgres_database, backup)
    assert restored.kind == "postgresql"

    engine = sa.create_engine(empty_postgres_database)
    try:
        for table in db.metadata.sorted_tables:
            assert scalars(engine, f"SELECT count(*) FROM {table.name}") == \
                scalars(db.engine, f"SELECT count(*) FROM {table.name}"), table.name
        assert rows(engine, "SELECT title, reply_count FROM posts") == [("Day thirty", 2)]
        assert sorted(scalars(engine, "SELECT body FROM replies")) == ["Proud of you.", "Thank you, it means a lot."]
        assert_counters_match_rows(engine)
        assert scalars(engine, "SELECT version_num FROM alembic_version") == [restored.revision]
        assert restored.revision == scalars(db.engine, "SELECT version_num FROM alembic_version")[0]
        # New rows get new ids: the sequences came with the data.
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO hashtags (key, name, post_count) VALUES ('new', 'New', 0)"))
    finally:
        engine.dispose()

    with pytest.raises(BackupError, match="is not empty"):
        restore_database(empty_postgres_database, backup)
