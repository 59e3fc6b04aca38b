"""access tokens: members' personal tokens for the JSON API, kept as hashes

Revision ID: c3e7a9b1d5f2
Revises: a1c4e8f2b6d0
Create Date: 2026-12-07 00:10:00.000000

One new table and nothing else changed, so the downgrade is dropping it (the tokens stop working, which
is what removing the API means).
"""
import sqlalchemy as sa
from alembic import op

revision = 'c3e7a9b1d5f2'
down_revision = 'a1c4e8f2b6d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'access_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('hint', sa.String(length=16), nullable=False),
        sa.Column('scope', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('read', 'write')", name=op.f('ck_access_tokens_scope_known')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_tokens_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_tokens')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_access_tokens_secret_hash')),
        sqlite_autoincrement=True,  # ids never reused (see d4b8f0a2c6e1)
    )
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('access_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_tokens_user_id'))
    op.drop_table('access_tokens')
