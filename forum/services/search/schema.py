"""Names of the search machinery the migration a1c4e8f2b6d0 builds, which the models don't describe.

SQLite keeps an FTS5 table (and FTS5's own shadow tables beside it); PostgreSQL keeps a generated column
and a GIN index on posts and on replies. Neither fits SQLAlchemy's models, so Alembic is told to leave
them out when it compares the models with the database (migrations/env.py, tests/test_migrations.py).
"""
from __future__ import annotations

#: SQLite: rowid = a post's id, or minus a reply's id; columns title, body, tags (the post's hashtag names).
SQLITE_TABLE = "search_documents"
#: FTS5 names its own tables after the virtual one: search_documents_data, _idx, _content, _docsize, _config.
SQLITE_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
#: PostgreSQL: the generated tsvector column on posts and replies, and its index.
POSTGRES_COLUMN = "search_vector"
POSTGRES_INDEXES = frozenset({"ix_posts_search_vector", "ix_replies_search_vector"})


def is_search_machinery(name: str | None, type_: str) -> bool:
    """Whether a table, column or index is the search index's rather than the models'."""
    if not name:
        return False
    if type_ == "table":
        return name == SQLITE_TABLE or any(name == SQLITE_TABLE + suffix for suffix in SQLITE_SHADOW_SUFFIXES)
    if type_ == "column":
        return name == POSTGRES_COLUMN
    if type_ == "index":
        return name in POSTGRES_INDEXES
    return False


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object hook: compare everything except the search index, which only the database has."""
    return not (reflected and compare_to is None and is_search_machinery(name, type_))
