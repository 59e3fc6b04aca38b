"""Sign-ins: each browser signed in to an account holds its own random token, and ending one makes its cookies
worthless at once.

The session and the remember-me cookie carry the token (Flask-Login keeps `User.get_id()` in both), never the
member's id: an id outlives its member (on SQLite it was handed to the next to register) and a cookie naming
one could never be taken back. The database keeps only the token's SHA-256.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, delete, select

from forum.extensions import db
from forum.models import SignIn, User, utcnow
from forum.services.blocks import blocked_ids_column, remember_blocked_ids
from forum.services.tokens import revoke_every_token
from forum.services.visibility import own_hidden_post_ids_column, remember_own_hidden_post_ids

#: 256 random bits: a token nobody can guess, whatever they know about the member.
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_sign_in(member: User, lasts: timedelta, now: datetime | None = None) -> str:
    """Record a new sign-in for `member` lasting as long as its cookie (`lasts`), and give `member` its token
    so Flask-Login puts it in the cookies. Sign-ins that have run out, anyone's, are cleared on the way."""
    now = now or utcnow()
    db.session.execute(delete(SignIn).where(SignIn.expires_at <= now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(SignIn(member_id=member.id, token_hash=token_hash(token), created_at=now, expires_at=now + lasts))
    db.session.flush()
    member.sign_in_token = token
    return token


def member_signed_in_with(token: str, now: datetime | None = None) -> User | None:
    """The member whose live sign-in `token` is, or None (ended, run out, or never issued)."""
    if not token or len(token) > 100:
        return None
    found = db.session.execute(_signed_in_member(), {"token_hash": token_hash(token),
                                                     "now": now or utcnow()}).first()
    if found is None:
        return None
    member, own_hidden, blocked = found
    remember_own_hidden_post_ids(member, own_hidden)  # one query fewer on every list the member opens
    remember_blocked_ids(member, blocked)  # and on every post page
    member.sign_in_token = token
    return member


@cache
def _signed_in_member() -> Select:
    """member_signed_in_with's query, built once: every request of a signed-in member runs it, and building its
    subqueries again each time cost more than running it."""
    return (select(User, own_hidden_post_ids_column(), blocked_ids_column())
            .join(SignIn, SignIn.member_id == User.id)
            .where(SignIn.token_hash == bindparam("token_hash"), SignIn.expires_at > bindparam("now")))


def end_sign_in(member: User) -> None:
    """End the sign-in `member` was loaded with: its session and remember-me cookies open nothing any more."""
    if member.sign_in_token:
        db.session.execute(delete(SignIn).where(SignIn.member_id == member.id,
                                                SignIn.token_hash == token_hash(member.sign_in_token)))


def end_every_sign_in(member: User, except_this_one: bool = False) -> int:
    """End the member's sign-ins on every device (or every other one) and revoke all their access tokens;
    return how many sign-ins ended.

    Tokens go too, even the ones "this one" made: a token is a sign-in that never expires, and one made in a
    click at an unlocked screen would otherwise outlive "sign out everywhere" and a changed password.
    """
    revoke_every_token(member)
    statement = delete(SignIn).where(SignIn.member_id == member.id)
    if except_this_one and member.sign_in_token:
        statement = statement.where(SignIn.token_hash != token_hash(member.sign_in_token))
    return db.session.execute(statement).rowcount or 0

