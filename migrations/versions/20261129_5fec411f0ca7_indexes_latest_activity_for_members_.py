"""indexes: latest activity for members' feeds, a tag's newest posts

Revision ID: 5fec411f0ca7
Revises: a65430c356b6
Create Date: 2026-11-29 21:58:00.000000
"""
from alembic import op

revision = '5fec411f0ca7'
down_revision = 'a65430c356b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_last_activity', ['last_activity_at', 'id'], unique=False)

    # (hashtag_id, post_id) leads with hashtag_id, so it also serves everything the old index did.
    with op.batch_alter_table('post_hashtags', schema=None) as batch_op:
        batch_op.create_index('ix_post_hashtags_hashtag_post', ['hashtag_id', 'post_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_post_hashtags_hashtag_id'))


def downgrade():
    with op.batch_alter_table('post_hashtags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_hashtags_hashtag_id'), ['hashtag_id'], unique=False)
        batch_op.drop_index('ix_post_hashtags_hashtag_post')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_last_activity')
