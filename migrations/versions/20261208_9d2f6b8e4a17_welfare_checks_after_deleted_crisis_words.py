"""welfare checks: a member whose open crisis item went with their deleted words, kept without the words

Revision ID: 9d2f6b8e4a17
Revises: a7d3f9c1e5b2
Create Date: 2026-12-08 10:00:00.000000

One new table and nothing else changed, so the downgrade is dropping it (checks not yet done are lost,
which is what removing the feature means).
"""
import sqlalchemy as sa
from alembic import op

revision = '9d2f6b8e4a17'
down_revision = 'a7d3f9c1e5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'welfare_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('categories', sa.JSON(), nullable=False),
        sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('picked_up_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('webhook_alerted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('email_alerted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('post', 'reply', 'reply_under_deleted_post')",
                           name=op.f('ck_welfare_checks_kind_known')),
        sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_welfare_checks_member_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_welfare_checks_done_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_welfare_checks')),
        sqlite_autoincrement=True,  # ids never reused (see d4b8f0a2c6e1)
    )
    with op.batch_alter_table('welfare_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welfare_checks_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_welfare_checks_done_by_id'), ['done_by_id'], unique=False)
        batch_op.create_index('ix_welfare_checks_waiting', ['done_at', 'raised_at'], unique=False)


def downgrade():
    with op.batch_alter_table('welfare_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_welfare_checks_waiting')
        batch_op.drop_index(batch_op.f('ix_welfare_checks_done_by_id'))
        batch_op.drop_index(batch_op.f('ix_welfare_checks_member_id'))
    op.drop_table('welfare_checks')
