"""The allow-list every piece of member HTML passes through before it is stored or shown.

Pure: no Flask. This is the only module that knows bleach (a test keeps it so), so the sanitiser can be
swapped here alone. The renderer never emits raw member HTML; this is the second line of defence behind it.
"""

from __future__ import annotations

import threading

import bleach

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_ALIGNMENTS = frozenset({"left", "center", "right"})


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """Decide whether an attribute stays: links, table alignment and a list's start number only."""
    if tag == "a":
        return name in ("href", "title", "rel") or (name == "class" and value == "hashtag")
    if tag in ("th", "td"):
        return name == "align" and value in _ALIGNMENTS
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


class _PerThread(threading.local):
    """Hold one cleaner per thread: bleach's Cleaner keeps parser state between calls."""

    def __init__(self) -> None:
        self.cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=_allow_attribute,
                                      protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True)


_local = _PerThread()


def sanitise_html(html: str) -> str:
    """Return html with every tag, attribute and URL scheme outside the allow-list removed."""
    return _local.cleaner.clean(html)
