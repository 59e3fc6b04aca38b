"""Turn member Markdown into safe HTML and plain-text excerpts.

Pure: no Flask. The caller passes `tag_url` to build hashtag links.

Decisions worth knowing:
- Raw HTML is never honoured; it shows as text. bleach then re-checks the
  output against an allow-list, as a second line of defence.
- Headings are moved down two levels (# -> h3, ## -> h4, deeper -> h6) so a
  post can never compete with the page's own h1/h2.
- Images are never embedded (no requests to third-party hosts from a
  reader's browser): ![alt](url) becomes a plain link to url, showing alt
  (or the url when alt is empty).
- Every link except hashtag links gets rel="nofollow ugc noopener".
- Hashtag links show as '#Name' and read <a href=".." class="hashtag">.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator

import bleach
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from forum.hashtags import iter_hashtag_spans

LINK_REL = "nofollow ugc noopener"
HEADING_SHIFT = 2

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_ALIGNMENTS = frozenset({"left", "center", "right"})
_ALIGN_STYLE_RE = re.compile(r"text-align:\s*(\w+)")
_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_TRIM_CHARS = " \t,;:.-–—"


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """Decide whether bleach keeps an attribute."""
    if tag == "a":
        return name in ("href", "title", "rel") or (
            name == "class" and value == "hashtag"
        )
    if tag in ("th", "td"):
        return name == "align" and value in _ALIGNMENTS
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


def _is_safe_url(url: str) -> bool:
    """Return True for relative URLs and allowed protocols."""
    scheme = _SCHEME_RE.match(url)
    return scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS


def _inline_text(tokens: list[Token] | None) -> str:
    """Return the plain text of inline tokens (an image's alt, say)."""
    parts: list[str] = []
    for token in tokens or ():
        if token.type in ("text", "code_inline", "text_special"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_inline_text(token.children))
    return "".join(parts)


def _link(href: str, text: str, **attrs: str) -> list[Token]:
    """Build link_open, text, link_close tokens."""
    opening = Token("link_open", "a", 1, attrs={"href": href, **attrs})
    return [opening, Token("text", "", 0, content=text), Token("link_close", "a", -1)]


def _hashtag_tokens(text: str, tag_url: Callable[[str], str]) -> list[Token]:
    """Split a text token's content into text and hashtag links."""
    tokens: list[Token] = []
    pos = 0
    for start, end, name in iter_hashtag_spans(text):
        if start > pos:
            tokens.append(Token("text", "", 0, content=text[pos:start]))
        tokens += _link(tag_url(name), f"#{name}", **{"class": "hashtag"})
        pos = end
    if pos < len(text):
        tokens.append(Token("text", "", 0, content=text[pos:]))
    return tokens


def _rewrite_inline(children: list[Token], tag_url: Callable[[str], str]) -> list[Token]:
    """Add rel to links, unembed images and link hashtags in plain text."""
    out: list[Token] = []
    depth = 0  # inside a link: no hashtag links or image links (no nesting)
    for token in children:
        if token.type == "link_open":
            depth += 1
            token.attrSet("rel", LINK_REL)
        elif token.type == "link_close":
            depth -= 1
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            alt = _inline_text(token.children) or src
            if depth or not _is_safe_url(src):
                out.append(Token("text", "", 0, content=alt))
            else:
                out += _link(src, alt, rel=LINK_REL)
            continue
        elif token.type == "text" and not depth and "#" in token.content:
            out += _hashtag_tokens(token.content, tag_url)
            continue
        out.append(token)
    return out


def _rewrite_block(token: Token) -> None:
    """Shift headings down and turn table alignment styles into align."""
    if token.type in ("heading_open", "heading_close"):
        level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
        token.tag = f"h{level}"
    elif token.type in ("th_open", "td_open"):
        style = _ALIGN_STYLE_RE.search(str(token.attrGet("style") or ""))
        token.attrs.pop("style", None)
        if style:
            token.attrSet("align", style.group(1))


def _kindred_rule(state: StateCore) -> None:
    """Core rule: adapt the token stream to the forum's rules."""
    # Registered after text_join, so 'recovery.' and '#drug' are one text
    # token, and after linkify, so URLs are already links we can skip.
    tag_url = state.env["tag_url"]
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _rewrite_inline(token.children, tag_url)
        else:
            _rewrite_block(token)


def _new_markdown(linkify: bool = True) -> MarkdownIt:
    """Build the Markdown parser: CommonMark, no raw HTML, tables, ~~del~~."""
    options = {"html": False, "linkify": linkify, "typographer": False}
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    if linkify:
        md.enable("linkify")
        md.core.ruler.push("kindred", _kindred_rule)
    return md


def _new_cleaner() -> bleach.Cleaner:
    """Build the allow-list sanitiser."""
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allow_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


#: Past this many "://" in a text, links are found by the linear rule alone (see _PerThread).
MANY_LINKS = 64


class _PerThread(threading.local):
    """Hold one parser and cleaner per thread (bleach and linkify keep state)."""

    def __init__(self) -> None:
        self.md = _new_markdown()
        # For texts full of URLs: markdown-it's inline linkify rule scans the rest of the paragraph at
        # every "://", quadratic on a run of URLs with no space between them (20k characters took
        # seconds).  The core rule alone still links them, in linear time; it only lets emphasis marks
        # inside a URL ("/*a*") split it, which no real post with this many links will miss.
        self.many_links_md = _new_markdown()
        self.many_links_md.inline.ruler.disable(["linkify"])
        self.plain_md = _new_markdown(linkify=False)
        self.cleaner = _new_cleaner()


_local = _PerThread()


def _block_batches(tokens: list[Token], per_batch: int = 32) -> Iterator[list[Token]]:
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
    md = _local.md if text.count("://") <= MANY_LINKS else _local.many_links_md
    env = {"tag_url": tag_url}
    tokens = md.parse(text, env)
    # Clean a few top-level blocks at a time: bleach's tree walker slows
    # down quadratically with the number of siblings, and blocks are
    # independent, so batches give the same HTML much faster on long posts.
    return "".join(
        _local.cleaner.clean(md.renderer.render(batch, md.options, env))
        for batch in _block_batches(tokens)
    )


def markdown_to_text(text: str) -> str:
    """Return the words of a Markdown text, markup removed, one-spaced."""
    parts: list[str] = []
    for token in _local.plain_md.parse(text):
        if token.type == "inline":
            parts.append(_inline_text(token.children))
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
