"""/search: a plain GET form and its results, usable without JavaScript."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from forum.extensions import limiter
from forum.pagination import BadCursor
from forum.services.search import SearchFilters, search
from forum.web_helpers import matching_guides

bp = Blueprint("search", __name__)

#: The time filter's choices as the form words them, in order.
WITHIN_CHOICES = (("", "Any time"), ("day", "Past day"), ("week", "Past week"), ("month", "Past month"),
                  ("year", "Past year"))


@bp.get("/search")
@limiter.limit("120 per minute")
def index():
    args = request.args
    filters = SearchFilters.from_query(args)
    text = args.get("q", "")
    page = None
    guides = []
    if text.strip():
        try:
            page = search(current_user, text, filters, args.get("after"), current_app.config["POSTS_PER_PAGE"])
        except BadCursor:
            abort(400)
        if not args.get("after") and not filters.author:  # guides have no author; shown above the first page
            guides = matching_guides(text, filters.tag)
    return render_template("search/index.html", page=page, text=text, filters=filters, guides=guides,
                           within_choices=WITHIN_CHOICES)

