"""notifications: a partial index of each member's unread, newest first

Revision ID: 5b3e9a1c7d24
Revises: 9d2f6b8e4a17
Create Date: 2026-12-08 12:00:00.000000

The badge and the notifications page walk a member's newest unread notifications and stop. The older index
(recipient_id, read_at, created_at) could serve that walk, but PostgreSQL's planner guesses a couple of hundred
unread rows for a member who has 11,000 (it multiplies the two columns' selectivities) and reads them all by
bitmap. This one holds only unread rows and, on PostgreSQL, their group key too, so the walk is an index-only
scan whatever the guess. SQLite has partial indexes but no INCLUDE.
"""
import sqlalchemy as sa
from alembic import op

revision = '5b3e9a1c7d24'
down_revision = '9d2f6b8e4a17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_notifications_unread_newest', 'notifications', ['recipient_id', 'created_at', 'id'],
                    postgresql_include=['group_key'], postgresql_where=sa.text('read_at IS NULL'),
                    sqlite_where=sa.text('read_at IS NULL'))


def downgrade():
    op.drop_index('ix_notifications_unread_newest', table_name='notifications')
