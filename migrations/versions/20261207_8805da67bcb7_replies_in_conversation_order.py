"""replies in conversation order: an index on (post_id, created_at, id)

Revision ID: 8805da67bcb7
Revises: f2fff0368e6b
Create Date: 2026-12-07 06:05:00.000000
"""
from alembic import op

revision = '8805da67bcb7'
down_revision = 'f2fff0368e6b'
branch_labels = None
depends_on = None


def upgrade():
    # A post's replies in the order the conversation reads: finding the page that holds a reply (the landing after
    # a heart or a reply, a reply's lasting link) walks it instead of sorting the post's replies.
    op.create_index('ix_replies_post_conversation', 'replies', ['post_id', 'created_at', 'id'])


def downgrade():
    op.drop_index('ix_replies_post_conversation', table_name='replies')
