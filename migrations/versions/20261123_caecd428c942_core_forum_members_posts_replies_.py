"""core forum: members, posts, replies, hashtags, hearts

Revision ID: caecd428c942
Revises:
Create Date: 2026-11-23 19:12:57.095405
"""
import sqlalchemy as sa
from alembic import op

revision = 'caecd428c942'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hashtags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hashtags')),
    sa.UniqueConstraint('key', name=op.f('uq_hashtags_key'))
    )
    with op.batch_alter_table('hashtags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hashtags_post_count'), ['post_count'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=30), nullable=False),
    sa.Column('username_key', sa.String(length=30), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('bio', sa.String(length=500), nullable=False),
    sa.Column('country', sa.String(length=8), nullable=False),
    sa.CheckConstraint("role IN ('member', 'moderator', 'admin')", name=op.f('ck_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username_key', name=op.f('uq_users_username_key'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_joined_at'), ['joined_at'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.Column('heart_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('visible', 'pending', 'hidden', 'removed')", name=op.f('ck_posts_status_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_posts_status_last_activity', ['status', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_posts_status_unanswered', ['status', 'first_response_at', 'created_at', 'id'], unique=False)

    op.create_table('post_hashtags',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('hashtag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hashtag_id'], ['hashtags.id'], name=op.f('fk_post_hashtags_hashtag_id_hashtags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_hashtags_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'hashtag_id', name=op.f('pk_post_hashtags'))
    )
    with op.batch_alter_table('post_hashtags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_hashtags_hashtag_id'), ['hashtag_id'], unique=False)

    op.create_table('replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heart_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('visible', 'pending', 'hidden', 'removed')", name=op.f('ck_replies_status_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_replies_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['replies.id'], name=op.f('fk_replies_parent_id_replies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_replies_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replies'))
    )
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replies_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_post_id'), ['post_id'], unique=False)

    op.create_table('hearts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(post_id IS NULL) <> (reply_id IS NULL)', name=op.f('ck_hearts_one_target')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_hearts_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_id'], ['replies.id'], name=op.f('fk_hearts_reply_id_replies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_hearts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearts')),
    sa.UniqueConstraint('user_id', 'post_id', name=op.f('uq_hearts_user_id_post_id')),
    sa.UniqueConstraint('user_id', 'reply_id', name=op.f('uq_hearts_user_id_reply_id'))
    )
    with op.batch_alter_table('hearts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearts_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearts_reply_id'), ['reply_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearts_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('hearts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearts_user_id'))
        batch_op.drop_index(batch_op.f('ix_hearts_reply_id'))
        batch_op.drop_index(batch_op.f('ix_hearts_post_id'))

    op.drop_table('hearts')
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replies_post_id'))
        batch_op.drop_index(batch_op.f('ix_replies_parent_id'))
        batch_op.drop_index(batch_op.f('ix_replies_created_at'))
        batch_op.drop_index(batch_op.f('ix_replies_author_id'))

    op.drop_table('replies')
    with op.batch_alter_table('post_hashtags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_hashtags_hashtag_id'))

    op.drop_table('post_hashtags')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_status_unanswered')
        batch_op.drop_index('ix_posts_status_last_activity')
        batch_op.drop_index(batch_op.f('ix_posts_created_at'))
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))

    op.drop_table('posts')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_joined_at'))

    op.drop_table('users')
    with op.batch_alter_table('hashtags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hashtags_post_count'))

    op.drop_table('hashtags')
