"""Turn what a member wrote into what the site stores and shows."""
from __future__ import annotations

from urllib.parse import quote

from forum.rendering import render_markdown, render_plain_excerpt
from forum.services import DomainError
from forum.typed_text import has_visible_text, markdown_shows_text

#: Where a hashtag links; the tags blueprint serves this path (a test keeps the two in step).
TAG_PATH = "/tags/{}"
#: What a post or reply that would show nothing is told (the forms say it first, beside the field).
TITLE_NEEDED = "Give your post a title, even a few words."
WORDS_NEEDED = "Write a few words, however short."


def tag_path(name: str) -> str:
    return TAG_PATH.format(quote(name, safe=""))


def render_body(markdown: str) -> str:
    """Render a post or reply body to the sanitised HTML that is stored beside it."""
    return render_markdown(markdown, tag_url=tag_path)


def excerpt(markdown: str) -> str:
    return render_plain_excerpt(markdown, limit=240)


def ensure_something_shows(body: str, title: str | None = None) -> None:
    """Refuse a body (and a post's title) that would show nothing on the page: the forms refuse it first, and
    this is the last word for every other way in. A blank reply would take its post off "Needs a reply"."""
    if title is not None and not has_visible_text(title):
        raise DomainError(TITLE_NEEDED, field="title")
    if not markdown_shows_text(body):
        raise DomainError(WORDS_NEEDED, field="body")
