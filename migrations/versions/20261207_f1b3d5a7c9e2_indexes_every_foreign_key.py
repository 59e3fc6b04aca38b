"""indexes: every foreign key leads an index, so deleting or merging what it points to never scans the table

Revision ID: f1b3d5a7c9e2
Revises: e6a2c4f8b0d3
Create Date: 2026-12-07 03:15:00.000000
"""
from alembic import op

revision = 'f1b3d5a7c9e2'
down_revision = 'e6a2c4f8b0d3'
branch_labels = None
depends_on = None

#: (table, column): deleting a member, post, reply, tag or action sets these to NULL or deletes the rows, and
#: without an index the database reads the whole child table to find them (tests/test_schema_indexes.py).
FOREIGN_KEYS = (
    ('hashtags', 'merged_into_id'),
    ('member_notices', 'action_id'),
    ('member_notices', 'post_id'),
    ('member_notices', 'reply_id'),
    ('moderation_actions', 'undone_by_id'),
    ('moderation_items', 'claimed_by_id'),
    ('moderation_items', 'resolved_by_id'),
    ('notifications', 'hashtag_id'),
    ('watched_words', 'created_by_id'),
)


# Plain CREATE/DROP INDEX, not batch mode: on SQLite a batch rebuild would copy the tables and drop the
# full-text triggers on hashtags (a1c4e8f2b6d0); an index needs no rebuild on either database.
def upgrade():
    for table, column in FOREIGN_KEYS:
        op.create_index(f'ix_{table}_{column}', table, [column], unique=False)


def downgrade():
    for table, column in reversed(FOREIGN_KEYS):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
