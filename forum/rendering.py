"""Turn member Markdown into safe HTML and plain-text excerpts.

Pure: no Flask. The caller passes `tag_url` to build hashtag links. The parse and its rules live in
forum/markup.py (so hashtags are read from the same tokens); the allow-list lives in forum/sanitise.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from markdown_it.token import Token

from forum.markup import inline_text, parse_markdown, render_tokens
from forum.sanitise import sanitise_html

_TRIM_CHARS = " \t,;:.-–—"


def _block_batches(tokens: Sequence[Token], per_batch: int = 32) -> Iterator[Sequence[Token]]:
    """Split a token stream into runs of a few whole top-level blocks."""
    start, blocks = 0, 0
    for i, token in enumerate(tokens):
        if token.level == 0 and token.nesting <= 0:
            blocks += 1
            if blocks == per_batch:
                yield tokens[start : i + 1]
                start, blocks = i + 1, 0
    if start < len(tokens):
        yield tokens[start:]


def render_markdown(text: str, *, tag_url: Callable[[str], str]) -> str:
    """Render member Markdown to sanitised, deterministic HTML.

    tag_url(name) gives the href for a hashtag (name has no '#').
    """
    tokens = parse_markdown(text).tokens
    # Sanitise a few top-level blocks at a time: bleach's tree walker slows down quadratically with the
    # number of siblings, and blocks are independent, so batches give the same HTML much faster on long posts.
    return "".join(sanitise_html(render_tokens(batch, tag_url)) for batch in _block_batches(tokens))


def markdown_to_text(text: str) -> str:
    """Return the words of a Markdown text, markup removed, one-spaced."""
    parts: list[str] = []
    for token in parse_markdown(text).tokens:
        if token.type == "inline":
            parts.append(inline_text(token.children))
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
        parts.append(" ")
    return " ".join("".join(parts).split())


def _cut(text: str, limit: int) -> str:
    """Shorten text to at most limit characters at a word boundary, add '…'."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in head:
        head = head[: head.rindex(" ")]  # drop the half word
    head = head.rstrip(_TRIM_CHARS) or text[: limit - 1]
    return head + "…"


def render_plain_excerpt(text: str, limit: int = 240) -> str:
    """Return a plain-text excerpt of Markdown for feed cards.

    No HTML in the output (the template escapes it); at most `limit`
    characters including the trailing '…'.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return _cut(markdown_to_text(text), limit)
