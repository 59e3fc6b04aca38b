"""The treatment guide library: /guides, filterable by tag, and one page per guide."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, render_template, request, url_for

from forum.hashtags import hashtag_key, is_valid_hashtag
from forum.rendering import render_markdown
from forum.services.guides import community_tags, display_spellings
from forum.web_helpers import guide_library

bp = Blueprint("guides", __name__)
#: A guide's headings sit right under the page's h1: one level down, not the two a post's body moves
#: (forum.rendering), so the outline has no gap (h1, then h3).
BODY_HEADING = re.compile(r"<(/?)h([3-6])>")


def guide_html(markdown: str) -> str:
    """A guide's body as HTML: rendered like a post, headings one level higher, and each table in a region
    the keyboard can reach and scroll, since a wide one scrolls sideways on a phone."""
    html = render_markdown(markdown, tag_url=lambda name: url_for("tags.show", name=name))
    html = BODY_HEADING.sub(lambda found: f"<{found[1]}h{int(found[2]) - 1}>", html)
    region = ('<div class="table-scroll" role="region" tabindex="0" '
              'aria-label="Table, scrolls sideways on a small screen">')
    return html.replace("<table>", region + "<table>").replace("</table>", "</table></div>")


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
    # The filter shows each tag as the community spells it (#PTSD on its tag page, post cards and search, so
    # here too), not as a guide's author happened to write it; the address the filter links to says the same.
    spellings = display_spellings([*library.tag_names(), *([tag] if tag else [])])
    tag_names = sorted({spellings[hashtag_key(name)] for name in library.tag_names()}, key=str.casefold)
    return render_template("guides/index.html", guides=guides, tag=spellings[hashtag_key(tag)] if tag else None,
                           asked=bool(wanted), tag_names=tag_names, current_key=hashtag_key(tag) if tag else None,
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
        body = rendered[slug] = guide_html(guide.body)
    return render_template("guides/show.html", guide=guide, body=body,
                           communities=community_tags(guide.tags), hashtag_key=hashtag_key)
