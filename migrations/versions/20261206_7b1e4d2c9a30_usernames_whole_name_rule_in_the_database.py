"""usernames: the whole-name rule in the database; names that broke it renamed first

Revision ID: 7b1e4d2c9a30
Revises: 3c9d1e7a5b20
Create Date: 2026-12-06 23:10:00.000000

The form's rule ended in `$`, which also matches before a final newline, so `admin\\n` or
`river_stones\\n` could be registered and showed as the staff member's name. Such rows are renamed
to the name without the characters the rule refuses (a suffix when that name is taken or kept by the
site), then a CHECK makes the database refuse them for good.
"""
import sqlalchemy as sa
from alembic import op

revision = '7b1e4d2c9a30'
down_revision = '3c9d1e7a5b20'
branch_labels = None
depends_on = None

# The rule as it stands in this revision (forum.models.user may change it later; this must not).
ALLOWED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
SHORTEST, LONGEST = 3, 30
CHECK = (f"length(username) BETWEEN {SHORTEST} AND {LONGEST} "
         f"AND trim(username, '{ALLOWED}') = '' AND username_key = lower(username)")
#: Names the site keeps for itself (forum.services.accounts.RESERVED_USERNAMES when this was written).
RESERVED = {"former-member", "deleted", "kindred", "moderator", "moderators", "admin"}


def follows_rule(username: str, key: str) -> bool:
    return (SHORTEST <= len(username) <= LONGEST and all(c in ALLOWED for c in username)
            and key == username.lower())


def new_name(username: str, taken: set[str]) -> str:
    """The name with every refused character dropped, padded if too short, suffixed if taken."""
    base = "".join(c for c in username.strip() if c in ALLOWED)[:LONGEST]
    if len(base) < SHORTEST:
        base = (base + "_member")[:LONGEST]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"_{n}"
        candidate = base[:LONGEST - len(suffix)] + suffix
    return candidate


def upgrade():
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('username', sa.String),
                     sa.column('username_key', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.username, users.c.username_key)
                              .order_by(users.c.id)).all()
    offending = [row for row in rows if not follows_rule(row.username, row.username_key)]
    # Every key in use now, so no rename can collide with a row not yet renamed either.
    taken = RESERVED | {row.username_key for row in rows}
    for row in offending:
        name = new_name(row.username, taken)
        taken.add(name.lower())
        connection.execute(users.update().where(users.c.id == row.id)
                           .values(username=name, username_key=name.lower()))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_users_username_valid'), CHECK)


def downgrade():
    # Renamed members keep their new names: the old ones were the problem.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_username_valid'), type_='check')
