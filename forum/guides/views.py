"""The treatment guide library: /guides, filterable by tag, and one page per guide."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from forum.hashtags import hashtag_key, is_valid_hashtag
from forum.rendering import render_markdown
from forum.services.guides import community_tags
from forum.web_helpers import guide_library

bp = Blueprint("guides", __name__)


@bp.get("/guides")
def index():
    library = guide_library()
    wanted = request.args.get("tag", "").strip().lstrip("#")
    # Anything typed into the address is answered calmly: an unknown or impossible tag just matches nothing.
    tag = wanted if wanted and is_valid_hashtag(wanted) else None
    if not wanted:
        guides = list(library)
    else:
        guides = library.tagged(tag) if tag else []
    return render_template("guides/index.html", guides=guides, tag=tag, asked=bool(wanted),
                           tag_names=library.tag_names(), current_key=hashtag_key(tag) if tag else None,
                           hashtag_key=hashtag_key)


@bp.get("/guides/<slug>")
def show(slug: str):
    guide = guide_library().get(slug)
    if guide is None:
        abort(404)
    # A guide never changes while the app runs: render it once (the sanitiser is most of a page's time).
    rendered = current_app.extensions.setdefault("kindred_guide_html", {})
    body = rendered.get(slug)
    if body is None:
        body = rendered[slug] = render_markdown(guide.body, tag_url=lambda name: url_for("tags.show", name=name))
    return render_template("guides/show.html", guide=guide, body=body,
                           communities=community_tags(guide.tags), hashtag_key=hashtag_key)
