"""hashtag spellings: a tag is shown as the community writes it most, or as moderators chose

Revision ID: b7d9f1a3c5e7
Revises: f1b3d5a7c9e2
Create Date: 2026-12-07 04:10:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'b7d9f1a3c5e7'
down_revision = 'f1b3d5a7c9e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hashtag_spellings',
        sa.Column('hashtag_id', sa.Integer(), sa.ForeignKey('hashtags.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('spelling', sa.String(length=64), primary_key=True),
        sa.Column('uses', sa.Integer(), nullable=False),
    )
    # ADD COLUMN, not batch mode: on SQLite a batch rebuild would drop the full-text triggers on hashtags.
    op.add_column('hashtags', sa.Column('spelling_chosen', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Which spellings were written before is not recorded anywhere: each tag starts with its display spelling
    # used once for each of its posts, so another spelling overtakes it only by being written more from now on.
    op.execute("INSERT INTO hashtag_spellings (hashtag_id, spelling, uses) "
               "SELECT id, name, post_count FROM hashtags WHERE merged_into_id IS NULL")


def downgrade():
    # DROP COLUMN, not batch mode, for the same reason (SQLite 3.35 and newer drop a column in place).
    op.drop_column('hashtags', 'spelling_chosen')
    op.drop_table('hashtag_spellings')
