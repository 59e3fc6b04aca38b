"""Personal access tokens: made, found and revoked. The secret itself is never stored, only its hash."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from forum.extensions import db
from forum.models import AccessToken, TokenScope, User, utcnow
from forum.models.token import TOKEN_NAME_MAX
from forum.services import DomainError

#: Every secret starts with this, so a token pasted somewhere it shouldn't be is recognisable (and scannable).
PREFIX = "kdr_"
#: Characters of the secret kept to tell tokens apart: the prefix and six of the random part.
HINT_LENGTH = len(PREFIX) + 6
#: A member's live tokens, at most; more is a sign of a script making them in a loop.
MAX_LIVE_TOKENS = 20
#: last_used_at moves at most this often: a busy script must not turn every read into a write.
USE_RESOLUTION = timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    """sha256 of the secret, hex. A plain fast hash is enough: the secret is 256 random bits, not a password."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(member: User, name: str, scope: TokenScope | str) -> tuple[AccessToken, str]:
    """Make a token; return it with its secret, which the member is shown once and nobody can see again."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the token a name, so you know later what uses it.", field="name")
    if len(name) > TOKEN_NAME_MAX:
        raise DomainError(f"Names can be up to {TOKEN_NAME_MAX} characters.", field="name")
    if len(live_tokens(member)) >= MAX_LIVE_TOKENS:
        raise DomainError(f"You have {MAX_LIVE_TOKENS} tokens already; revoke one you no longer use first.",
                          field="name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user_id=member.id, name=name, secret_hash=secret_hash(secret), hint=secret[:HINT_LENGTH],
                        scope=TokenScope(scope).value, created_at=utcnow())
    db.session.add(token)
    db.session.flush()
    return token, secret


def live_tokens(member: User) -> list[AccessToken]:
    """The member's tokens that still work, newest first."""
    return list(db.session.scalars(select(AccessToken).where(AccessToken.user_id == member.id,
                                                             AccessToken.revoked_at.is_(None))
                                   .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())))


def revoke_token(member: User, token_id: int) -> AccessToken | None:
    """Revoke one of the member's own tokens; None when they have no such live token."""
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != member.id or token.is_revoked:
        return None
    token.revoked_at = utcnow()
    db.session.flush()
    return token


def revoke_every_token(member: User, now: datetime | None = None) -> int:
    """Revoke all the member's live tokens at once; return how many were revoked."""
    return db.session.execute(update(AccessToken).where(AccessToken.user_id == member.id,
                                                        AccessToken.revoked_at.is_(None))
                              .values(revoked_at=now or utcnow())).rowcount or 0


def token_for_secret(secret: str) -> AccessToken | None:
    """The live token this secret opens, or None. Looked up on every request: a revoked token stops at once."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return db.session.scalar(select(AccessToken).where(AccessToken.secret_hash == secret_hash(secret),
                                                       AccessToken.revoked_at.is_(None)))


def note_use(token: AccessToken, now: datetime | None = None) -> bool:
    """Record that the token was used, unless that was recorded less than USE_RESOLUTION ago.

    Return whether anything was written (the caller commits). The conditional UPDATE keeps two requests
    at the same moment from both writing.
    """
    now = now or utcnow()
    stale = now - USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale:
        return False
    changed = db.session.execute(
        update(AccessToken).where(AccessToken.id == token.id,
                                  or_(AccessToken.last_used_at.is_(None), AccessToken.last_used_at <= stale))
        .values(last_used_at=now), execution_options={"synchronize_session": False}).rowcount
    return changed > 0
