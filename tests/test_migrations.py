"""The schema comes only from migrations, and the migrations say exactly what the models say."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from forum.extensions import db
from forum.services.search.schema import include_object


def schema_differences() -> list:
    with db.engine.connect() as connection:
        # The search index (an FTS5 table, or generated columns) lives only in the database, by design.
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": include_object})
        return compare_metadata(context, db.metadata)


def test_migrations_and_models_agree(app):
    assert schema_differences() == []


def test_migrations_run_down_to_nothing_and_back(app):
    db.session.remove()
    downgrade(revision="base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []


# Rows as the first revision stores them; every later revision must carry them forward untouched.
FIRST_REVISION = "caecd428c942"
EARLY_ROWS = {
    "users": [{"id": 1, "username": "Early_Bird", "username_key": "early_bird", "password_hash": "x",
               "role": "member", "joined_at": "2026-01-01 00:00:00", "bio": "", "country": "US"}],
    "hashtags": [{"id": 1, "key": "recovery", "name": "Recovery", "post_count": 1}],
    "posts": [{"id": 1, "author_id": 1, "title": "Day thirty", "body": "Thirty days today. #Recovery",
               "body_html": "<p>Thirty days today.</p>", "excerpt": "Thirty days today.",
               "status": "visible", "created_at": "2026-01-02 00:00:00",
               "last_activity_at": "2026-01-02 01:00:00", "reply_count": 1, "heart_count": 1}],
    "post_hashtags": [{"post_id": 1, "hashtag_id": 1}],
    "replies": [{"id": 1, "post_id": 1, "author_id": 1, "body": "Proud of you.", "body_html": "<p>Proud</p>",
                 "status": "visible", "created_at": "2026-01-02 01:00:00", "heart_count": 0}],
    "hearts": [{"id": 1, "user_id": 1, "post_id": 1, "created_at": "2026-01-02 02:00:00"}],
}


def test_upgrading_a_database_with_content_keeps_every_row(app):
    """SQLite rebuilds tables to alter them; with foreign keys enforced, dropping the old `posts`
    would cascade into replies, hearts and tags. Members' words must survive every upgrade."""
    db.session.remove()
    downgrade(revision="base")
    upgrade(revision=FIRST_REVISION)
    with db.engine.begin() as connection:
        for table, rows in EARLY_ROWS.items():
            columns = list(rows[0])
            statement = sa.text(f"INSERT INTO {table} ({', '.join(columns)}) "
                                f"VALUES ({', '.join(':' + c for c in columns)})")
            connection.execute(statement, rows)
    upgrade()
    with db.engine.connect() as connection:
        counts = {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                  for table in EARLY_ROWS}
        title = connection.execute(sa.text("SELECT title FROM posts WHERE id = 1")).scalar_one()
    assert counts == {table: len(rows) for table, rows in EARLY_ROWS.items()}
    assert title == "Day thirty"
    assert schema_differences() == []
