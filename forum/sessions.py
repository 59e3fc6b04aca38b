"""Signing a member in and out of this browser: the web half of forum.services.sign_ins."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from flask_login.config import COOKIE_DURATION

from forum.models import User
from forum.services.sign_ins import end_sign_in, start_sign_in


def sign_in_here(member: User, remember: bool = False) -> None:
    """Start a sign-in for `member` in this browser. The caller commits (the row must exist before the next
    request reads the cookie)."""
    # Nothing from before signing in carries over, so a session someone planted (fixation) opens nothing.
    session.clear()
    config = current_app.config
    # As long as the cookie would last: a year remembered, else Flask's limit on a signed session's age.
    lasts = config.get("REMEMBER_COOKIE_DURATION", COOKIE_DURATION) if remember \
        else config["PERMANENT_SESSION_LIFETIME"]
    start_sign_in(member, lasts if isinstance(lasts, timedelta) else timedelta(seconds=lasts))
    login_user(member, remember=remember)


def sign_out_here(member: User) -> None:
    """End this browser's sign-in: its session and remember-me cookies, or copies of them, open nothing now."""
    end_sign_in(member)
    logout_user()
