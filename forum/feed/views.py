"""The front page: the latest activity, and the posts still waiting for a reply."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from forum.pagination import BadCursor
from forum.services import feeds

bp = Blueprint("feed", __name__)


def page_of(fetch, *args):
    """Call a feed with the request's cursor; a cursor we didn't make is a bad request."""
    try:
        return fetch(*args, request.args.get("after"), current_app.config["POSTS_PER_PAGE"])
    except BadCursor:
        abort(400)


@bp.get("/")
def latest():
    page = page_of(feeds.latest, current_user)
    return render_template("feed/index.html", page=page, tab="latest")


@bp.get("/needs-reply")
def needs_reply():
    page = page_of(feeds.needs_reply, current_user)
    return render_template("feed/index.html", page=page, tab="needs-reply")
