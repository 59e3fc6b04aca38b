"""Who is calling the API, and what they may do: a personal access token (Authorization: Bearer …), or the
browser's session with its CSRF token on every write."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from flask import abort, g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from forum.errors import database_unavailable_response
from forum.extensions import db, login_manager
from forum.models import AccessToken
from forum.services.tokens import note_use, token_for_secret
from forum.web_helpers import unless_database_fails

BEARER = re.compile(r"Bearer[ \t]+(\S+)[ \t]*", re.IGNORECASE)
NO_SUCH_TOKEN = ("That token doesn't open anything: it may have been revoked, or mistyped. Make a new one "
                 "in your settings.")
READ_ONLY_TOKEN = "This token can only read. Make one that can read and write in your settings to do this."
SIGN_IN = "Sign in first: send a personal access token as 'Authorization: Bearer kdr_…', or use the site's session."
CSRF_NEEDED = ("Signed in with the browser, writes need the page's CSRF token in the X-CSRFToken header "
               "(or use a personal access token).")


def authenticate() -> None:
    """Before each API request: a request carrying a token is that token's member, and only theirs (a browser
    session sent beside it doesn't count); a wrong or revoked token is refused at once."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    match = BEARER.fullmatch(header)
    if match is None:
        abort(401, description="Send a personal access token as 'Authorization: Bearer kdr_…'.")
    token = token_for_secret(match.group(1))
    if token is None:
        abort(401, description=NO_SUCH_TOKEN)
    g.api_token = token
    # Flask-Login's own way to set the request's member (what its request_loader does), without a session.
    login_manager._update_request_context_with_user(token.member)
    _remember_use(token)


def _remember_use(token: AccessToken) -> None:
    """Note the token's use (at most once a minute) in its own small transaction, so the member sees in
    settings when each token was last used. A database that fails here doesn't fail the request."""
    def write() -> bool:
        if note_use(token):
            db.session.commit()
        return True

    unless_database_fails(write, False, "the token's last use")


def calling_token() -> AccessToken | None:
    return g.get("api_token")


def member_required(*, writes: bool) -> Callable:
    """Let the view run only for a signed-in member; for writes, a token that may write, or a session's CSRF."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if g.get("member_unreachable"):
                    return database_unavailable_response()
                abort(401, description=SIGN_IN)
            token = calling_token()
            if writes and token is not None and not token.can_write:
                abort(403, description=READ_ONLY_TOKEN)
            if writes and token is None:
                try:
                    validate_csrf(request.headers.get("X-CSRFToken"))
                except ValidationError:
                    abort(400, description=CSRF_NEEDED)
            return view(*args, **kwargs)
        return wrapped
    return decorate
