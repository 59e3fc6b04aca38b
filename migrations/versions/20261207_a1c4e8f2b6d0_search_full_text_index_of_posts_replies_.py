"""search: a full-text index of posts, replies and their hashtags

Revision ID: a1c4e8f2b6d0
Revises: d4b8f0a2c6e1
Create Date: 2026-12-07 00:20:00.000000

SQLite: one FTS5 table, `search_documents` (porter stemming over unicode61 words), holding every post
(rowid = the post's id; title, body, hashtag names) and every reply (rowid = minus the reply's id; body).
Triggers keep it in step with each write, whoever makes it: the services, a moderator's tag merge, an
account deletion, a cascade. Status is not indexed: search joins back to posts and replies and asks
forum.services.visibility, so hiding, removing and approving need no index change.

PostgreSQL: a generated `search_vector` column on posts (title weighted A, body C) and on replies (body),
each with a GIN index. Hashtags are matched through the hashtags table when searching.

Everything here is named in forum/services/search/schema.py, which also tells Alembic to leave it alone
when comparing the models with the database. A later migration that rebuilds `posts` or `replies` on
SQLite (batch mode copies and drops the table) drops their triggers with it and must create them again;
`flask --app forum search reindex` refills the index afterwards.
"""
from alembic import op

revision = 'a1c4e8f2b6d0'
down_revision = 'd4b8f0a2c6e1'
branch_labels = None
depends_on = None

# Written out here, not imported: this revision must keep meaning what it meant when it was written.
SQLITE_TAGS_OF_POST = ("coalesce((SELECT group_concat(hashtags.name, ' ') FROM post_hashtags "
                       "JOIN hashtags ON hashtags.id = post_hashtags.hashtag_id "
                       "WHERE post_hashtags.post_id = {post_id}), '')")

SQLITE_TRIGGERS = {
    "search_posts_insert": f"""
        CREATE TRIGGER search_posts_insert AFTER INSERT ON posts BEGIN
            INSERT INTO search_documents (rowid, title, body, tags)
            VALUES (NEW.id, NEW.title, NEW.body, {SQLITE_TAGS_OF_POST.format(post_id='NEW.id')});
        END""",
    "search_posts_update": """
        CREATE TRIGGER search_posts_update AFTER UPDATE OF title, body ON posts BEGIN
            UPDATE search_documents SET title = NEW.title, body = NEW.body WHERE rowid = NEW.id;
        END""",
    "search_posts_delete": """
        CREATE TRIGGER search_posts_delete AFTER DELETE ON posts BEGIN
            DELETE FROM search_documents WHERE rowid = OLD.id;
        END""",
    "search_replies_insert": """
        CREATE TRIGGER search_replies_insert AFTER INSERT ON replies BEGIN
            INSERT INTO search_documents (rowid, title, body, tags) VALUES (-NEW.id, '', NEW.body, '');
        END""",
    "search_replies_update": """
        CREATE TRIGGER search_replies_update AFTER UPDATE OF body ON replies BEGIN
            UPDATE search_documents SET body = NEW.body WHERE rowid = -NEW.id;
        END""",
    "search_replies_delete": """
        CREATE TRIGGER search_replies_delete AFTER DELETE ON replies BEGIN
            DELETE FROM search_documents WHERE rowid = -OLD.id;
        END""",
    "search_post_tags_insert": f"""
        CREATE TRIGGER search_post_tags_insert AFTER INSERT ON post_hashtags BEGIN
            UPDATE search_documents SET tags = {SQLITE_TAGS_OF_POST.format(post_id='NEW.post_id')}
            WHERE rowid = NEW.post_id;
        END""",
    "search_post_tags_delete": f"""
        CREATE TRIGGER search_post_tags_delete AFTER DELETE ON post_hashtags BEGIN
            UPDATE search_documents SET tags = {SQLITE_TAGS_OF_POST.format(post_id='OLD.post_id')}
            WHERE rowid = OLD.post_id;
        END""",
    "search_hashtags_rename": f"""
        CREATE TRIGGER search_hashtags_rename AFTER UPDATE OF name ON hashtags BEGIN
            UPDATE search_documents SET tags = {SQLITE_TAGS_OF_POST.format(post_id='search_documents.rowid')}
            WHERE rowid IN (SELECT post_id FROM post_hashtags WHERE hashtag_id = NEW.id);
        END""",
}

POSTGRES_VECTORS = {
    "posts": ("setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
              "setweight(to_tsvector('english', coalesce(body, '')), 'C')"),
    "replies": "setweight(to_tsvector('english', coalesce(body, '')), 'C')",
}


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_documents USING fts5(title, body, tags, "
                   "tokenize = 'porter unicode61')")
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
        # What is already written becomes searchable now.
        op.execute(f"INSERT INTO search_documents (rowid, title, body, tags) "
                   f"SELECT id, title, body, {SQLITE_TAGS_OF_POST.format(post_id='posts.id')} FROM posts")
        op.execute("INSERT INTO search_documents (rowid, title, body, tags) SELECT -id, '', body, '' FROM replies")
    else:
        for table, vector in POSTGRES_VECTORS.items():
            op.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                       f"GENERATED ALWAYS AS ({vector}) STORED")
            op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in reversed(list(SQLITE_TRIGGERS)):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_documents")
    else:
        for table in reversed(list(POSTGRES_VECTORS)):
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
