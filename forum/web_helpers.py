"""What the areas' views share, below the blueprints (none imports another): the request's one transaction, a
form's answer, loading what a URL names, a feed's page, the viewer's country and the guides a search finds.

A view makes one change through a service and commits once; a change the forum refuses (DomainError) is
rolled back whole, and the member is told why, beside the field it concerns or as a flashed message.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, flash, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from forum.crisis.hotlines import INTERNATIONAL, Hotline, countries, hotlines_for
from forum.extensions import db
from forum.guides.loader import GuideLibrary
from forum.guides.search import search_guides
from forum.models import Post, Reply, User
from forum.pagination import BadCursor
from forum.services import DomainError
from forum.services.threads import load_post_with_hashtags
from forum.services.visibility import can_change, can_view_post, can_view_reply

log = logging.getLogger(__name__)
T = TypeVar("T")
Content = TypeVar("Content", Post, Reply)

#: Where the app keeps the treatment guides it loaded and checked at start-up (forum.web.register).
GUIDES_EXTENSION = "kindred_guides"

#: A visitor's chosen country, kept in their own browser: the server records nothing about who asked.
COUNTRY_COOKIE = "help_country"

#: The choice for everyone whose country we have no lines for: the international directories lead their help.
ELSEWHERE = (INTERNATIONAL, "Elsewhere / another country")


def rollback_quietly() -> None:
    """Roll the session back, even when the database behind it is gone (the next request reconnects)."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("Rolling back failed too; the connection is dropped", exc_info=True)


def unless_database_fails(read: Callable[[], T], fallback: T, what: str) -> T:
    """Run a read a page can do without; if the database fails, log it and go on with `fallback`."""
    try:
        return read()
    except SQLAlchemyError as error:
        log.warning("Showing the page without %s: the database failed (%s)", what, type(error).__name__)
        rollback_quietly()
        return fallback


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
    return _get_content(Post, post_id, can_view_post, check_author, load=load_post_with_hashtags)


def get_reply(reply_id: int, *, check_author: bool = False) -> Reply:
    """The reply a URL names, if the viewer may see it (else 404), and change it when asked (else 403)."""
    return _get_content(Reply, reply_id, can_view_reply, check_author, load=_load_reply_with_post)


def _load_reply_with_post(reply_id: int) -> Reply | None:
    """The reply and its post in one query (whether the viewer may see it depends on both); the post's hashtags
    only if something asks for them (their eager loading would cost a query a heart or a flag doesn't need)."""
    return db.session.scalars(select(Reply).where(Reply.id == reply_id)
                              .options(joinedload(Reply.post, innerjoin=True).lazyload(Post.hashtags))).first()


def _get_content(model: type[Content], content_id: int, can_view: Callable[[User, Content], bool],
                 check_author: bool, load: Callable[[int], Content | None] | None = None) -> Content:
    content = load(content_id) if load else db.session.get(model, content_id)
    if content is None or not can_view(current_user, content):
        abort(404)
    if check_author and not can_change(current_user, content):
        abort(403)
    return content


def page_of(fetch, *args):
    """Call a feed with the request's cursor; a cursor we didn't make is a bad request."""
    try:
        return fetch(*args, request.args.get("after"), current_app.config["POSTS_PER_PAGE"])
    except BadCursor:
        abort(400)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country with lines, then "elsewhere", whose help leads with the directories."""
    return [*countries(), ELSEWHERE]


def country_name(code: str) -> str:
    """The name a person knows their country by, not its code."""
    return dict(country_choices()).get(code, code)


def viewer_country() -> str:
    """The member's chosen country, else the one this browser chose on /help, else the site's."""
    chosen = getattr(current_user, "country", "") if current_user.is_authenticated else ""
    if not chosen:
        remembered = request.cookies.get(COUNTRY_COOKIE, "")[:8].upper()
        chosen = remembered if remembered in {code for code, _ in country_choices()} else ""
    return (chosen or current_app.config["DEFAULT_COUNTRY"]).upper()


def footer_line() -> tuple[str, Hotline | None]:
    """(country name, the first line to call there) for the footer on every page: the viewer's country, so
    nobody outside the US is shown only the US number. None where the first line has no number to call
    (elsewhere: the directories lead, and the help page is the link)."""
    country = viewer_country()
    first = hotlines_for([], country)[0]
    return country_name(country), (first if first.tel_href and not first.directory else None)


def guide_library() -> GuideLibrary:
    """The treatment guides this app loaded and checked at start-up."""
    return current_app.extensions[GUIDES_EXTENSION]


def matching_guides(text: str, tag: str = "", limit: int = 3) -> list:
    """The treatment guides that answer the search (and carry the tag, when one is asked for)."""
    found = search_guides(guide_library(), text, limit=limit if not tag else 50)
    if tag:
        wanted = tag.lstrip("#").casefold()
        tagged = {guide.slug for guide in guide_library().tagged(wanted)}
        found = [match for match in found if match.slug in tagged][:limit]
    return found
