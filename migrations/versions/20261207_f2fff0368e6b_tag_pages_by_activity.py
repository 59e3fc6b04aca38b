"""tag pages by activity: post_hashtags.last_activity_at, kept in step with posts by triggers, and its index

Revision ID: f2fff0368e6b
Revises: b7d9f1a3c5e7
Create Date: 2026-12-07 05:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'f2fff0368e6b'
down_revision = 'b7d9f1a3c5e7'
branch_labels = None
depends_on = None

# The database keeps the copy in step, whatever writes: the services, a tag merge's INSERT ... SELECT, the
# seeding scripts, a repair by hand. A row that arrives without the time gets its post's; a post whose activity
# moves takes its rows with it.
SQLITE_TRIGGERS = {
    "post_hashtags_activity_insert": """
        CREATE TRIGGER post_hashtags_activity_insert AFTER INSERT ON post_hashtags
        WHEN NEW.last_activity_at IS NULL BEGIN
            UPDATE post_hashtags SET last_activity_at = (SELECT last_activity_at FROM posts WHERE id = NEW.post_id)
            WHERE post_id = NEW.post_id AND hashtag_id = NEW.hashtag_id;
        END""",
    "posts_activity_to_tags": """
        CREATE TRIGGER posts_activity_to_tags AFTER UPDATE OF last_activity_at ON posts
        WHEN NEW.last_activity_at IS NOT OLD.last_activity_at BEGIN
            UPDATE post_hashtags SET last_activity_at = NEW.last_activity_at WHERE post_id = NEW.id;
        END""",
}
POSTGRESQL_FUNCTIONS = [
    """CREATE FUNCTION post_hashtags_activity_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.last_activity_at IS NULL THEN
            SELECT last_activity_at INTO NEW.last_activity_at FROM posts WHERE id = NEW.post_id;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER post_hashtags_activity_insert BEFORE INSERT ON post_hashtags
    FOR EACH ROW EXECUTE FUNCTION post_hashtags_activity_insert()""",
    """CREATE FUNCTION posts_activity_to_tags() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE post_hashtags SET last_activity_at = NEW.last_activity_at WHERE post_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER posts_activity_to_tags AFTER UPDATE OF last_activity_at ON posts
    FOR EACH ROW WHEN (NEW.last_activity_at IS DISTINCT FROM OLD.last_activity_at)
    EXECUTE FUNCTION posts_activity_to_tags()""",
]


def upgrade():
    # ADD COLUMN, not batch mode: on SQLite a rebuild of post_hashtags would drop its full-text triggers.
    op.add_column('post_hashtags', sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE post_hashtags SET last_activity_at = "
               "(SELECT last_activity_at FROM posts WHERE posts.id = post_hashtags.post_id)")
    op.create_index('ix_post_hashtags_hashtag_activity', 'post_hashtags',
                    ['hashtag_id', 'last_activity_at', 'post_id'])
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_TRIGGERS.values():
            op.execute(statement)
    else:
        for statement in POSTGRESQL_FUNCTIONS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS posts_activity_to_tags ON posts")
        op.execute("DROP TRIGGER IF EXISTS post_hashtags_activity_insert ON post_hashtags")
        op.execute("DROP FUNCTION IF EXISTS posts_activity_to_tags()")
        op.execute("DROP FUNCTION IF EXISTS post_hashtags_activity_insert()")
    op.drop_index('ix_post_hashtags_hashtag_activity', table_name='post_hashtags')
    # DROP COLUMN, not batch mode, for the same reason (SQLite 3.35 and newer drop a column in place).
    op.drop_column('post_hashtags', 'last_activity_at')
