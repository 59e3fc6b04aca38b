"""The front page: the latest activity, and the posts still waiting for a reply."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from forum.services import feeds
from forum.web_helpers import page_of

bp = Blueprint("feed", __name__)


@bp.get("/")
def latest():
    page = page_of(feeds.latest, current_user)
    return render_template("feed/index.html", page=page, tab="latest")


@bp.get("/needs-reply")
def needs_reply():
    page = page_of(feeds.needs_reply, current_user)
    return render_template("feed/index.html", page=page, tab="needs-reply")
