"""What the areas' views share, below the blueprints (none imports another): the request's one transaction, a
form's answer, loading what a URL names, a feed's page and the viewer's country.

A view makes one change through a service and commits once; a change the forum refuses (DomainError) is
rolled back whole, and the member is told why, beside the field it concerns or as a flashed message.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, request
from flask_login import current_user
from flask_wtf import FlaskForm

from forum.crisis.hotlines import countries
from forum.extensions import db
from forum.models import Post, Reply
from forum.pagination import BadCursor
from forum.services import DomainError
from forum.services.visibility import can_change, can_view_post, can_view_reply

#: A visitor's chosen country, kept in their own browser: the server records nothing about who asked.
COUNTRY_COOKIE = "help_country"


def commit_or_flash_refusal(change: Callable[[], object]) -> bool:
    """Make the change and commit it; if the forum refuses it, roll back and flash why. Return whether it
    was committed, so the view says what was done only then."""
    try:
        change()
    except DomainError as error:
        db.session.rollback()  # nothing half-done survives a refused change
        flash(error.message, "info")
        return False
    db.session.commit()
    return True


def show_refusal(form: FlaskForm, error: DomainError, default_field: str) -> None:
    """Roll back a refused change and put its message beside the field it names (or `default_field`), so
    the page is shown again with the member's input kept."""
    db.session.rollback()  # nothing half-done survives a refused change
    field = form[error.field] if error.field and error.field in form else form[default_field]
    field.errors = [*field.errors, error.message]


def form_status(form: FlaskForm) -> int:
    """The status of a page showing a form: 422 when something sent needs another look."""
    return 422 if form.errors else 200


def get_post(post_id: int, *, check_author: bool = False) -> Post:
    """The post a URL names, if the viewer may see it (else 404), and change it when asked (else 403)."""
    post = db.session.get(Post, post_id)
    if post is None or not can_view_post(current_user, post):
        abort(404)
    if check_author and not can_change(current_user, post):
        abort(403)
    return post


def get_reply(reply_id: int, *, check_author: bool = False) -> Reply:
    """The reply a URL names, if the viewer may see it (else 404), and change it when asked (else 403)."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or not can_view_reply(current_user, reply):
        abort(404)
    if check_author and not can_change(current_user, reply):
        abort(403)
    return reply


def page_of(fetch, *args):
    """Call a feed with the request's cursor; a cursor we didn't make is a bad request."""
    try:
        return fetch(*args, request.args.get("after"), current_app.config["POSTS_PER_PAGE"])
    except BadCursor:
        abort(400)


def viewer_country() -> str:
    """The member's chosen country, else the one this browser chose on /help, else the site's."""
    chosen = getattr(current_user, "country", "") if current_user.is_authenticated else ""
    if not chosen:
        remembered = request.cookies.get(COUNTRY_COOKIE, "")[:8].upper()
        chosen = remembered if remembered in {code for code, _ in countries()} else ""
    return (chosen or current_app.config["DEFAULT_COUNTRY"]).upper()
