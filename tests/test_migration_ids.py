"""Migration d4b8f0a2c6e1: SQLite's tables rebuilt so ids are never handed out twice, with every row, index,
foreign key and CHECK carried over, and back again on downgrade."""
import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from forum.extensions import db

BEFORE, THIS = "7b1e4d2c9a30", "d4b8f0a2c6e1"
#: A few rows of the tables people link to, as the revision before this one stores them (ids left to the database).
ROWS = {
    "users": lambda n, ids: {"username": f"member_{n}", "username_key": f"member_{n}", "password_hash": "x",
                             "role": "member", "joined_at": "2026-01-01 00:00:00", "bio": "", "country": ""},
    "posts": lambda n, ids: {"author_id": ids["users"][0], "title": f"Post {n}", "body": "Day by day.",
                             "body_html": "<p>Day by day.</p>", "excerpt": "Day by day.", "status": "visible",
                             "created_at": "2026-01-02 00:00:00", "last_activity_at": "2026-01-02 00:00:00",
                             "reply_count": 0, "heart_count": 0},
    "replies": lambda n, ids: {"post_id": ids["posts"][0], "author_id": ids["users"][0], "body": f"Reply {n}",
                               "body_html": f"<p>Reply {n}</p>", "status": "visible",
                               "created_at": "2026-01-02 01:00:00", "heart_count": 0},
}


def insert(connection, table: str, n: int, ids: dict) -> int:
    values = ROWS[table](n, ids)
    statement = sa.text(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(':' + c for c in values)}) "
                        "RETURNING id")
    return connection.execute(statement, values).scalar_one()


def structure(tables) -> dict:
    """What a table promises beyond its columns, as reflection sees it (column order and names of unnamed
    things aside)."""
    inspector = sa.inspect(db.engine)
    found = {}
    for table in tables:
        found[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted((fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"],
                                    fk["options"].get("ondelete") or "") for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                              for ix in inspector.get_indexes(table)),
            "unique": sorted((uq["name"] or "", tuple(uq["column_names"]))
                             for uq in inspector.get_unique_constraints(table)),
            "checks": sorted((ck["name"] or "", " ".join(ck["sqltext"].split()))
                             for ck in inspector.get_check_constraints(table)),
        }
    return found


def tables_with_ids() -> list[str]:
    return [table.name for table in db.metadata.sorted_tables
            if len(table.primary_key.columns) == 1 and isinstance(table.primary_key.columns[0].type, sa.Integer)]


@pytest.fixture
def at_the_revision_before(app):
    db.session.remove()
    downgrade(revision=BEFORE)
    yield
    upgrade()


def test_ids_continue_past_a_deleted_highest_id_after_upgrading_a_database_with_rows(at_the_revision_before):
    ids: dict[str, list[int]] = {}
    with db.engine.begin() as connection:
        for table in ROWS:
            ids[table] = [insert(connection, table, n, ids) for n in range(3)]
    upgrade(revision=THIS)
    with db.engine.begin() as connection:
        for table in ("replies", "posts", "users"):  # children first: the highest of each, not the first
            connection.execute(sa.text(f"DELETE FROM {table} WHERE id = :id"), {"id": ids[table][-1]})
        fresh = {}
        for table in ROWS:
            fresh[table] = insert(connection, table, 10, ids)
        kept = {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() for table in ROWS}
    assert all(fresh[table] > ids[table][-1] for table in ROWS), (fresh, ids)
    assert kept == {"users": 3, "posts": 3, "replies": 3}


def test_upgrade_and_downgrade_keep_every_index_foreign_key_and_check(at_the_revision_before):
    present = set(sa.inspect(db.engine).get_table_names())  # tables later revisions add aren't here yet
    tables = [t for t in tables_with_ids() if t in present]
    assert {"users", "posts", "replies"} <= set(tables)
    before = structure(tables)
    assert "ck_users_username_valid" in {name for name, _ in before["users"]["checks"]}
    assert ("fk_replies_parent_id_replies", ("parent_id",), "replies", "CASCADE") in before["replies"]["foreign_keys"]
    upgrade(revision=THIS)
    after = structure(tables)
    new_columns = {"username_changed_at", "recovery_code_hash"}
    assert new_columns <= {name for name, _, _ in after["users"]["columns"]}
    after["users"]["columns"] = [column for column in after["users"]["columns"] if column[0] not in new_columns]
    assert after == before
    downgrade(revision=BEFORE)
    assert structure(tables) == before


def test_every_sqlite_table_with_an_id_never_reuses_one(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's sequences never hand out an id twice; AUTOINCREMENT is SQLite's")
    with db.engine.connect() as connection:
        schema = dict(connection.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    tables = tables_with_ids()
    assert {"users", "posts", "replies", "sign_ins", "past_usernames"} <= set(tables)
    assert [table for table in tables if "AUTOINCREMENT" not in schema[table]] == []
