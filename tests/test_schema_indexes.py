"""Every foreign key is indexed in the migrated database: deleting or merging the row it points to, and
listing what belongs to it, must not scan the whole child table."""
import sqlalchemy as sa

from forum.extensions import db


def unindexed_foreign_keys() -> list[str]:
    """Name each foreign key whose columns do not lead some index (or the primary key) of its table.

    A composite index serves lookups on its leading columns only, so `(post_id, user_id)` covers a key on
    `post_id` but not one on `user_id`.
    """
    inspector = sa.inspect(db.engine)
    missing = []
    for table in inspector.get_table_names():
        leading = [tuple(index["column_names"]) for index in inspector.get_indexes(table)]
        leading += [tuple(unique["column_names"]) for unique in inspector.get_unique_constraints(table)]
        leading.append(tuple(inspector.get_pk_constraint(table)["constrained_columns"]))
        for key in inspector.get_foreign_keys(table):
            columns = tuple(key["constrained_columns"])
            if not any(found[:len(columns)] == columns for found in leading):
                missing.append(f"{table}.{'/'.join(columns)}")
    return sorted(missing)


def test_every_foreign_key_leads_an_index(app):
    missing = unindexed_foreign_keys()
    assert missing == [], "foreign keys no index leads with: " + ", ".join(missing)
