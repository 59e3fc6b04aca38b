"""Browsing by hashtag."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from forum.extensions import db
from forum.feed.views import page_of
from forum.models import Hashtag
from forum.services import feeds
from forum.services.tags import find_hashtag

bp = Blueprint("tags", __name__)


@bp.get("/tags")
def index():
    return render_template("tags/index.html", page=page_of(feeds.tag_index))


@bp.get("/tags/<name>")
def show(name: str):
    tag = find_hashtag(name.lstrip("#"))
    if tag is None:
        abort(404)
    if tag.merged_into_id is not None:  # moderators merged it: old links lead to the tag it became
        target = db.session.get(Hashtag, tag.merged_into_id)
        if target is not None:
            return redirect(url_for("tags.show", name=target.name), code=301)
    return render_template("tags/show.html", tag=tag, page=page_of(feeds.tagged, current_user, tag))
