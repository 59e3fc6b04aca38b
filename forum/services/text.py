"""Turn what a member wrote into what the site stores and shows."""
from __future__ import annotations

from urllib.parse import quote

from forum.rendering import render_markdown, render_plain_excerpt

#: Where a hashtag links; the tags blueprint serves this path (a test keeps the two in step).
TAG_PATH = "/tags/{}"


def tag_path(name: str) -> str:
    return TAG_PATH.format(quote(name, safe=""))


def render_body(markdown: str) -> str:
    """Render a post or reply body to the sanitised HTML that is stored beside it."""
    return render_markdown(markdown, tag_url=tag_path)


def excerpt(markdown: str) -> str:
    return render_plain_excerpt(markdown, limit=240)
