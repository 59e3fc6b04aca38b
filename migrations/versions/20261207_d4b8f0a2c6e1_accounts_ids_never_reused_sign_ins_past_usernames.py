"""accounts: ids never reused on SQLite; sign-ins that can be ended; past usernames; recovery codes

Revision ID: d4b8f0a2c6e1
Revises: 7b1e4d2c9a30
Create Date: 2026-12-07 00:20:00.000000

Without AUTOINCREMENT SQLite gives the highest id out again after its row is deleted, and sessions carried
only that id: a deleted member's cookies opened the next member's account. Every SQLite table with a numeric
id is rebuilt with AUTOINCREMENT (rows, indexes, foreign keys and CHECKs carried over; the counter starts
after the highest id present). PostgreSQL's sequences never reuse an id, so there it is left alone.

Sessions now name a row of `sign_ins` instead of a member id, so every browser signed in before this
revision is signed out once.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd4b8f0a2c6e1'
down_revision = '7b1e4d2c9a30'
branch_labels = None
depends_on = None

#: Every table with a numeric id at this revision, parents before children.
TABLES_WITH_IDS = (
    'users', 'hashtags', 'posts', 'replies', 'hearts', 'moderation_items', 'moderation_reasons', 'flags',
    'moderation_actions', 'watched_words', 'member_notices', 'revisions', 'notifications',
)


def rebuild_on_sqlite(autoincrement: bool) -> None:
    """Copy each table into a new one with (or without) AUTOINCREMENT; Alembic's batch mode carries the rows,
    indexes, foreign keys and named CHECK constraints across (env.py has switched foreign keys off meanwhile)."""
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in TABLES_WITH_IDS:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': autoincrement}):
            pass


def upgrade():
    rebuild_on_sqlite(autoincrement=True)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('recovery_code_hash', sa.String(length=255), nullable=True))

    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_sign_ins_member_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_ins_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ins_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_ins_member_id'), ['member_id'], unique=False)

    op.create_table('past_usernames',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=30), nullable=False),
    sa.Column('username_key', sa.String(length=30), nullable=False),
    sa.Column('kept_until', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_past_usernames_member_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_past_usernames')),
    sa.UniqueConstraint('username_key', name=op.f('uq_past_usernames_username_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('past_usernames', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_past_usernames_kept_until'), ['kept_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_past_usernames_member_id'), ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('past_usernames', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_past_usernames_member_id'))
        batch_op.drop_index(batch_op.f('ix_past_usernames_kept_until'))
    op.drop_table('past_usernames')

    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_ins_member_id'))
        batch_op.drop_index(batch_op.f('ix_sign_ins_expires_at'))
    op.drop_table('sign_ins')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('recovery_code_hash')
        batch_op.drop_column('username_changed_at')

    rebuild_on_sqlite(autoincrement=False)
