"""Fetch what a URL names, answering 404 or 403 so views repeat none of it."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from forum.extensions import db
from forum.models import Post, Reply
from forum.services.visibility import can_change, can_view_post, can_view_reply


def get_post(post_id: int, *, check_author: bool = False) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not can_view_post(current_user, post):
        abort(404)
    if check_author and not can_change(current_user, post):
        abort(403)
    return post


def get_reply(reply_id: int, *, check_author: bool = False) -> Reply:
    reply = db.session.get(Reply, reply_id)
    if reply is None or not can_view_reply(current_user, reply):
        abort(404)
    if check_author and not can_change(current_user, reply):
        abort(403)
    return reply
