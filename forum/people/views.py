"""Members' profiles."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from forum.feed.views import page_of
from forum.services import feeds
from forum.services.accounts import find_member

bp = Blueprint("people", __name__)


@bp.get("/u/<username>")
def profile(username: str):
    member = find_member(username)
    if member is None:
        abort(404)
    return render_template("people/profile.html", member=member,
                           page=page_of(feeds.by_author, current_user, member))
