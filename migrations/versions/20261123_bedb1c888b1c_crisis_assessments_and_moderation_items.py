"""crisis assessments and moderation items

Revision ID: bedb1c888b1c
Revises: caecd428c942
Create Date: 2026-11-23 19:23:47.391245
"""
import sqlalchemy as sa
from alembic import op

revision = 'bedb1c888b1c'
down_revision = 'caecd428c942'
branch_labels = None
depends_on = None


def upgrade():
    # Existing posts and replies start as "none"; `flask --app forum crisis scan` assesses them.
    op.create_table('moderation_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f('ck_moderation_items_status_known')),
    sa.CheckConstraint('(post_id IS NULL) <> (reply_id IS NULL)', name=op.f('ck_moderation_items_one_target')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_moderation_items_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reply_id'], ['replies.id'], name=op.f('fk_moderation_items_reply_id_replies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_items')),
    sa.UniqueConstraint('post_id', name=op.f('uq_moderation_items_post_id')),
    sa.UniqueConstraint('reply_id', name=op.f('uq_moderation_items_reply_id'))
    )
    with op.batch_alter_table('moderation_items', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_items_queue', ['status', 'priority', 'opened_at'], unique=False)

    op.create_table('moderation_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['moderation_items.id'], name=op.f('fk_moderation_reasons_item_id_moderation_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_reasons'))
    )
    with op.batch_alter_table('moderation_reasons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_reasons_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_reasons_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crisis_level', sa.String(length=16), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('crisis_categories', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('crisis_matches', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_posts_crisis_level'), ['crisis_level'], unique=False)

    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crisis_level', sa.String(length=16), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('crisis_categories', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('crisis_matches', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_replies_crisis_level'), ['crisis_level'], unique=False)



def downgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replies_crisis_level'))
        batch_op.drop_column('crisis_matches')
        batch_op.drop_column('crisis_categories')
        batch_op.drop_column('crisis_level')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_crisis_level'))
        batch_op.drop_column('crisis_matches')
        batch_op.drop_column('crisis_categories')
        batch_op.drop_column('crisis_level')

    with op.batch_alter_table('moderation_reasons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_reasons_item_id'))
        batch_op.drop_index(batch_op.f('ix_moderation_reasons_created_at'))

    op.drop_table('moderation_reasons')
    with op.batch_alter_table('moderation_items', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_items_queue')

    op.drop_table('moderation_items')
