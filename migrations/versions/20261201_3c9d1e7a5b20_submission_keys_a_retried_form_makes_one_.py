"""submission keys: a retried form makes one post or reply

Revision ID: 3c9d1e7a5b20
Revises: 5fec411f0ca7
Create Date: 2026-12-01 10:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '3c9d1e7a5b20'
down_revision = '5fec411f0ca7'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns and unique indexes: SQLite adds both without copying the tables.
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_posts_author_submission_key', ['author_id', 'submission_key'], unique=True)

    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_replies_author_submission_key', ['author_id', 'submission_key'], unique=True)


def downgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index('ix_replies_author_submission_key')
        batch_op.drop_column('submission_key')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_author_submission_key')
        batch_op.drop_column('submission_key')
