"""Post cards kept as HTML, keyed by everything they show: a list page renders 20 of them, a third of its time.

A card (templates/_macros/posts.html, `post_card`) is the same for every viewer who is shown the post, except
for one preference (whether content-warned posts open), and it changes with the post's fields and with the
clock ("3 hours ago"). The key is made of exactly the values the macro reads, the two time phrases included,
so a kept card is served only where the macro would write the same HTML: nothing is ever invalidated, because
nothing kept can go stale; a changed title, count, status or tag is a different key, and the old card ages
out of a bounded LRU (CARD_CACHE_ENTRIES per worker; 0 turns it off). Which posts a viewer may see is decided
before, by the list's query: a card is looked up only for a post already on the viewer's page.

When the macro starts reading something new, add it to _key (tests/test_card_cache.py renders every card
both ways and compares).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from markupsafe import Markup

from forum.bounded import BoundedLRU
from forum.models import Post, utcnow
from forum.timewords import how_long_ago

_EXTENSION = "kindred.card_cache"


def _key(post: Post, opens_warnings: bool) -> tuple:
    """Every value post_card reads, in the form it writes them."""
    now = utcnow()
    author = post.author
    return (request.script_root, post.id, post.status, post.title, post.excerpt, post.content_warning,
            opens_warnings and bool(post.content_warning), author.username, author.role,
            tuple(tag.name for tag in post.hashtags), post.reply_count, post.heart_count,
            post.created_at.isoformat(), how_long_ago(post.created_at, now),
            post.last_activity_at.isoformat() if post.last_activity_at else "",
            how_long_ago(post.last_activity_at, now) if post.last_activity_at else "")


def kept_card(post: Post, render: Callable[[Post], str], opens_warnings: bool) -> Markup:
    """The card `render` (the post_card macro) writes for this post, from memory when it wrote the same before."""
    cache: BoundedLRU[tuple, Markup] | None = current_app.extensions.get(_EXTENSION)
    if cache is None:
        return Markup(render(post))
    key = _key(post, opens_warnings)
    card = cache.get(key)
    if card is None:
        card = Markup(render(post))
        if _key(post, opens_warnings) == key:  # not when a minute turned while it rendered ("5" or "6 minutes")
            cache.put(key, card)
    return card


def init_app(app: Flask) -> None:
    capacity = int(app.config.get("CARD_CACHE_ENTRIES", 0))
    if capacity > 0:
        app.extensions[_EXTENSION] = BoundedLRU(capacity)
    app.jinja_env.globals["kept_card"] = kept_card
