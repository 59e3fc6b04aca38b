"""Only moderators and admins reach /moderation: everyone else is refused, anonymous visitors sent to sign in."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def moderator_required(view):
    @wraps(view)
    @login_required
    def guarded(*args, **kwargs):
        if not current_user.is_moderator:
            abort(403, description="This part of the site is for moderators.")
        return view(*args, **kwargs)

    return guarded


def moderate_blueprint(blueprint) -> None:
    """Guard every view of a moderation blueprint, so a forgotten decorator can't open one up."""

    @blueprint.before_request
    @login_required
    def only_moderators():
        if not current_user.is_moderator:
            abort(403, description="This part of the site is for moderators.")
