"""moderation alerts and health: remember which crisis items were alerted, per channel; index flags by date

Revision ID: e6a2c4f8b0d3
Revises: c3e7a9b1d5f2
Create Date: 2026-12-07 00:15:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'e6a2c4f8b0d3'
down_revision = 'c3e7a9b1d5f2'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns: SQLite adds them without copying the table, and no existing item counts as alerted.
    with op.batch_alter_table('moderation_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_alerted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('email_alerted_at', sa.DateTime(timezone=True), nullable=True))

    # /moderation/health counts recent flags by reason.
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_created_at')

    # Dropping a column copies the table on SQLite: keep AUTOINCREMENT (ids never reused, d4b8f0a2c6e1).
    with op.batch_alter_table('moderation_items', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('email_alerted_at')
        batch_op.drop_column('webhook_alerted_at')
