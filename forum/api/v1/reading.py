"""What the API lets anyone read (posts, replies, tags, profiles) and a member read of their own
(notifications). Every list goes through the same feeds and visibility rule as the site's pages."""
from __future__ import annotations

from flask import abort, current_app, jsonify, request, url_for
from flask_login import current_user

from forum.api.v1 import shapes
from forum.api.v1.access import member_required
from forum.api.v1.blueprint import bp
from forum.api.v1.openapi import DOCUMENT
from forum.pagination import BadCursor
from forum.services import feeds
from forum.services.accounts import find_member
from forum.services.blocks import has_blocked
from forum.services.care import care_for_author
from forum.services.following import followed_tags_shown_to
from forum.services.hearts import hearted_in_thread
from forum.services.notifications.reading import lines_page, unread_count
from forum.services.tags import known_hashtag
from forum.services.threads import thread_page
from forum.services.visibility import shows_activity
from forum.web_helpers import get_post, matching_guides, viewer_country

BAD_CURSOR = "That cursor isn't one this API gave out; start again without it."


def _cursor() -> str | None:
    return request.args.get("cursor") or None


def _paged(fetch, *args):
    """Call a feed with the request's cursor; a cursor we didn't make is a 400 naming the parameter."""
    try:
        return fetch(*args, _cursor(), current_app.config["POSTS_PER_PAGE"])
    except BadCursor:
        abort(400, description=BAD_CURSOR)


@bp.get("/posts")
def latest_posts():
    """Latest activity first, as on the front page (tags the viewer muted left out)."""
    return jsonify(shapes.post_list(_paged(feeds.latest, current_user)))


@bp.get("/posts/<int:post_id>")
def post(post_id: int):
    """A post and a page of its replies in threads; `cursor` pages through the threads."""
    found = get_post(post_id)
    try:
        page = thread_page(found, current_user, _cursor(), current_app.config["REPLIES_PER_PAGE"])
    except BadCursor:
        abort(400, description=BAD_CURSOR)
    member = current_user if current_user.is_authenticated else None
    hearted_post, hearted = hearted_in_thread(member, found.id, [r.id for r in page.replies()]) if member \
        else (None, None)
    signals = page.replies() if page.signals is None else page.signals
    return jsonify(
        post=shapes.post_in_full(found, hearted_post),
        replies=shapes.threads(page, hearted), next_cursor=page.next_cursor,
        care=shapes.care(care_for_author(found, signals, current_user, viewer_country())),
    )


@bp.get("/tags")
def tags():
    """Tags that have visible posts, most used first."""
    try:
        page = feeds.tag_index(_cursor(), current_app.config["POSTS_PER_PAGE"])
    except BadCursor:
        abort(400, description=BAD_CURSOR)
    return jsonify(tags=[shapes.tag(found) for found in page.items], next_cursor=page.next_cursor)


@bp.get("/tags/<name>/posts")
def tagged_posts(name: str):
    """A tag's posts, latest activity first; a tag moderators merged answers with the one it became."""
    found = known_hashtag(current_user, name.lstrip("#"))
    if found is None:
        abort(404, description="No tag has that name.")
    return jsonify(tag=shapes.tag(found), **shapes.post_list(_paged(feeds.tagged, current_user, found)))


def _profile_or_404(username: str):
    found = find_member(username)
    if found is None:
        abort(404, description="No member has that name.")
    is_self = current_user.is_authenticated and current_user.id == found.id
    # The profile page's rule, and never for someone the viewer blocked.
    shown = shows_activity(current_user, found)
    blocked = current_user.is_authenticated and not is_self and has_blocked(current_user.id, found.id)
    return found, shown, shown and not blocked


@bp.get("/members/<username>")
def member(username: str):
    found, shown, _ = _profile_or_404(username)
    return jsonify(member=shapes.member(
        found, activity_shown=shown, hearts_received=feeds.hearts_received(found),
        # Following #PTSD says as much as posting there: followed tags are activity, kept private with it.
        followed_tags=[tag.name for tag in followed_tags_shown_to(current_user, found)] if shown else []))


@bp.get("/members/<username>/posts")
def member_posts(username: str):
    """The member's posts, newest first, when their profile shows them to this viewer; else an empty list."""
    found, _, listed = _profile_or_404(username)
    if not listed:
        return jsonify(posts=[], next_cursor=None)
    return jsonify(shapes.post_list(_paged(feeds.by_author, current_user, found)))


@bp.get("/notifications")
@member_required(writes=False)
def notifications():
    """The member's notifications as the page shows them: new ones first, then recently read ones; `cursor`
    pages on. Reading them marks nothing read."""
    try:
        page = lines_page(current_user, _cursor())
    except BadCursor:
        abort(400, description=BAD_CURSOR)
    return jsonify(notifications=[shapes.notification(line) for line in page.items],
                   unread=unread_count(current_user), next_cursor=page.next_cursor)


@bp.get("/search")
def search():
    """The search page's results as data, with the treatment guides that answer the words."""
    from forum.services.search import SearchFilters, search_data

    args = request.args
    filters = SearchFilters.from_query(args)
    text = args.get("q", "")
    try:
        found = search_data(current_user, text, filters, _cursor(), current_app.config["POSTS_PER_PAGE"])
    except BadCursor:
        abort(400, description=BAD_CURSOR)
    first_page = not _cursor() and not filters.author and text.strip()
    found["guides"] = [{"slug": guide.slug, "title": guide.title, "summary": guide.summary,
                        "snippet": guide.snippet, "url": url_for("guides.show", slug=guide.slug)}
                       for guide in (matching_guides(text, filters.tag) if first_page else [])]
    return jsonify(found)


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document describing every route here."""
    return jsonify(DOCUMENT)
