"""moderators' verdicts on danger: was the writer of an item in danger, who said so, when, and what the
detector had said

Revision ID: a7d3f9c1e5b2
Revises: 8805da67bcb7
Create Date: 2026-12-07 15:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = 'a7d3f9c1e5b2'
down_revision = '8805da67bcb7'
branch_labels = None
depends_on = None

VERDICT_KNOWN = "danger_verdict IS NULL OR danger_verdict IN ('in_danger', 'not_in_danger')"


def upgrade():
    # The check constraint makes SQLite copy the table: keep AUTOINCREMENT (ids never reused, d4b8f0a2c6e1).
    with op.batch_alter_table('moderation_items', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('danger_verdict', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('danger_verdict_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('danger_verdict_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('danger_verdict_level', sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_moderation_items_danger_verdict_by_id_users'), 'users',
                                    ['danger_verdict_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_moderation_items_danger_verdict_known'), VERDICT_KNOWN)
        batch_op.create_index('ix_moderation_items_danger_verdict_by_id', ['danger_verdict_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('moderation_items', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_index('ix_moderation_items_danger_verdict_by_id')
        batch_op.drop_constraint(batch_op.f('ck_moderation_items_danger_verdict_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_moderation_items_danger_verdict_by_id_users'), type_='foreignkey')
        batch_op.drop_column('danger_verdict_level')
        batch_op.drop_column('danger_verdict_at')
        batch_op.drop_column('danger_verdict_by_id')
        batch_op.drop_column('danger_verdict')
