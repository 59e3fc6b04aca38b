"""The one Markdown parse of a member's text: the tokens its page is rendered from, and the facts read from them.

Pure: no Flask. The hashtags stored for a post are read from the very tokens the renderer turns into links,
so what is stored and what the page links cannot disagree (a hand-written scanner for code spans and fences
beside markdown-it did, on hundreds of random inputs). @mentions are read from the same tokens.

Decisions worth knowing:
- Raw HTML is never honoured; it is text.
- Headings move down two levels (# -> h3, ## -> h4, deeper -> h6) so a post can never compete with the
  page's own h1/h2.
- Images are never embedded (no requests to third-party hosts from a reader's browser): ![alt](url) becomes a
  plain link to url, showing alt (or the url when alt is empty).
- Every link except hashtag links gets rel="nofollow ugc noopener noreferrer": the site sends
  Referrer-Policy: same-origin, but an app showing the API's HTML may not, and the page a reader leaves
  from (a post about their health) is nobody else's to know.
- A hashtag is a "hashtag" token, linked when rendered: text outside code, link text and URLs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from forum.hashtags import MAX_HASHTAGS_PER_POST, iter_hashtag_spans, merge_hashtags
from forum.markup_limits import limit_inline_work
from forum.sanitise import ALLOWED_PROTOCOLS

LINK_REL = "nofollow ugc noopener noreferrer"
HEADING_SHIFT = 2
#: Past this many "://" in a text, links are found by the linear core rule alone (see _PerThread).
MANY_LINKS = 64
#: Lines formatted as Markdown; past them a text shows as typed (its words, line breaks and hashtags kept).
#: markdown-it-py spends 15-50 µs on each line of a list, quote or table: a 20,000-character post of 5,000
#: one-word list items took 250 ms to save. No real post comes near this many lines.
MAX_FORMATTED_LINES = 500
#: Lines of an as-typed tail per paragraph, so the sanitiser's batches stay small.
_TAIL_LINES_PER_PARAGRAPH = 32

_ALIGN_STYLE_RE = re.compile(r"text-align:\s*(\w+)")
_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_safe_url(url: str) -> bool:
    """Return True for relative URLs and allowed protocols."""
    scheme = _SCHEME_RE.match(url)
    return scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS


def inline_text(tokens: Sequence[Token] | None) -> str:
    """Return the plain text of inline tokens (an image's alt, a paragraph's words)."""
    parts: list[str] = []
    for token in tokens or ():
        if token.type in ("text", "code_inline", "text_special", "typed"):
            parts.append(token.content)
        elif token.type == "hashtag":
            parts.append(f"#{token.content}")
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(inline_text(token.children))
    return "".join(parts)


def _link(href: str, text: str, **attrs: str) -> list[Token]:
    """Build link_open, text, link_close tokens."""
    opening = Token("link_open", "a", 1, attrs={"href": href, **attrs})
    return [opening, Token("text", "", 0, content=text), Token("link_close", "a", -1)]


def _split_hashtags(text: str) -> list[Token]:
    """Split a text token's content into text and hashtag tokens."""
    tokens: list[Token] = []
    pos = 0
    for start, end, name in iter_hashtag_spans(text):
        if start > pos:
            tokens.append(Token("text", "", 0, content=text[pos:start]))
        tokens.append(Token("hashtag", "a", 0, content=name))
        pos = end
    if pos < len(text):
        tokens.append(Token("text", "", 0, content=text[pos:]))
    return tokens


def _rewrite_inline(children: list[Token]) -> list[Token]:
    """Add rel to links, unembed images and mark hashtags in plain text."""
    out: list[Token] = []
    depth = 0  # inside a link: no hashtag links or image links (links cannot nest)
    for token in children:
        if token.type == "link_open":
            depth += 1
            token.attrSet("rel", LINK_REL)
        elif token.type == "link_close":
            depth -= 1
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            alt = inline_text(token.children) or src
            if depth or not is_safe_url(src):
                out.append(Token("text", "", 0, content=alt))
            else:
                out += _link(src, alt, rel=LINK_REL)
            continue
        elif token.type == "text" and not depth and "#" in token.content:
            out += _split_hashtags(token.content)
            continue
        out.append(token)
    return out


def _rewrite_block(token: Token) -> None:
    """Shift headings down, drop fences' language and turn table alignment styles into align."""
    if token.type in ("heading_open", "heading_close"):
        token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
    elif token.type == "fence":
        token.info = ""  # a language class the sanitiser would strip anyway; without it, no work for bleach
    elif token.type in ("th_open", "td_open"):
        style = _ALIGN_STYLE_RE.search(str(token.attrGet("style") or ""))
        token.attrs.pop("style", None)
        if style:
            token.attrSet("align", style.group(1))


def _kindred_rule(state: StateCore) -> None:
    """Core rule: adapt the token stream to the forum's rules."""
    # Registered after text_join, so 'recovery.' and '#drug' are one text token, and after linkify, so URLs
    # are already links whose text holds no hashtags.
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _rewrite_inline(token.children)
        else:
            _rewrite_block(token)


def _render_hashtag(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """Render a hashtag token as <a href=".." class="hashtag">#Name</a>; env["tag_url"] builds the href."""
    name = tokens[idx].content
    return f'<a href="{escapeHtml(env["tag_url"](name))}" class="hashtag">#{escapeHtml(name)}</a>'


def _render_typed(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    """Render text shown as typed: escaped, each line break a <br>."""
    return escapeHtml(tokens[idx].content).replace("\n", "<br>\n")


def _new_markdown(inline_linkify: bool = True, limited: bool = True) -> MarkdownIt:
    """Build the parser: CommonMark, no raw HTML, tables, ~~del~~, bare URLs linked, the forum's rule.

    limited=False leaves out the limits on hostile text, so a test can show they change nothing else.
    """
    options = {"html": False, "linkify": True, "typographer": False}
    md = MarkdownIt("commonmark", options).enable(["table", "strikethrough", "linkify"])
    if not inline_linkify:
        md.inline.ruler.disable(["linkify"])
    if limited:
        limit_inline_work(md)
    md.core.ruler.push("kindred", _kindred_rule)
    md.add_render_rule("hashtag", _render_hashtag)
    md.add_render_rule("typed", _render_typed)
    return md


class _PerThread(threading.local):
    """Hold the parsers per thread (linkify keeps state)."""

    def __init__(self) -> None:
        self.md = _new_markdown()
        # For texts full of URLs: markdown-it's inline linkify rule scans the rest of the paragraph at every
        # "://", quadratic on a run of URLs with no space between them (20k characters took seconds). The
        # core rule alone still links them, in linear time; it only lets emphasis marks inside a URL ("/*a*")
        # split it, which no real post with this many links will miss.
        self.many_links_md = _new_markdown(inline_linkify=False)


_local = _PerThread()


@dataclass(frozen=True)
class ParsedText:
    """A member's Markdown, parsed once. The tokens are shared between callers: read them, never change them."""

    tokens: tuple[Token, ...]
    #: Every hashtag the page links, without '#', first spelling, in order, no repeats by key.
    hashtags: tuple[str, ...]


@lru_cache(maxsize=4)
def parse_markdown(text: str) -> ParsedText:
    """Parse member Markdown with the forum's rules.

    Cached: saving a post reads its hashtags, renders it and cuts its excerpt from this one parse. Only a
    few texts are kept: a long hostile text's tokens can take megabytes.
    """
    head, tail = _split_at_line(text, MAX_FORMATTED_LINES)
    md = _local.md if head.count("://") <= MANY_LINKS else _local.many_links_md
    md.linkify.reset()  # type: ignore[union-attr]  # a BareLinkBudget: see limit_inline_work
    tokens = md.parse(head)
    if tail:
        tokens += _as_typed(tail)
    names = (token.content for token in _inline_children(tokens) if token.type == "hashtag")
    return ParsedText(tuple(tokens), tuple(merge_hashtags(names, limit=None)))


def _split_at_line(text: str, lines: int) -> tuple[str, str]:
    """The text up to the end of its `lines`th line, and the rest ("" when it has no more lines than that)."""
    if text.count("\n") < lines:
        return text, ""
    cut = -1
    for _ in range(lines):
        cut = text.index("\n", cut + 1)
    return text[: cut + 1], text[cut + 1 :]


def _as_typed(text: str) -> list[Token]:
    """Paragraphs showing text as it was typed: escaped, line breaks kept, hashtags marked as everywhere else.

    One "typed" token per run of text (rendered with its line breaks: _render_typed), not one per line: making
    thousands of tokens cost as much as the parse it saves.
    """
    tokens: list[Token] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.split("\n")
        for start in range(0, len(lines), _TAIL_LINES_PER_PARAGRAPH):
            chunk = "\n".join(lines[start : start + _TAIL_LINES_PER_PARAGRAPH])
            if not chunk.strip():
                continue
            children = [Token("typed", "", 0, content=part.content) if part.type == "text" else part
                        for part in (_split_hashtags(chunk) if "#" in chunk else [Token("text", "", 0, content=chunk)])]
            inline = Token("inline", "", 0, content=chunk, children=children, level=1)  # inside the <p>
            tokens += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
    return tokens


def _inline_children(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "inline" and token.children:
            yield from token.children


def render_tokens(tokens: Sequence[Token], tag_url: Callable[[str], str]) -> str:
    """Render parsed tokens to HTML (not yet sanitised); tag_url(name) gives a hashtag's href."""
    md = _local.md
    return md.renderer.render(tokens, md.options, {"tag_url": tag_url})


def extract_hashtags(text: str, *, limit: int | None = MAX_HASHTAGS_PER_POST) -> list[str]:
    """Return the hashtags the rendered text links, without '#', first spelling, in order.

    Tags in code, in link text and in URLs are not hashtags. At most `limit` distinct tags are returned (pass
    None to get them all, e.g. to warn about too many).
    """
    if "#" not in text:
        return []
    return merge_hashtags(parse_markdown(text).hashtags, limit=limit)


def words_outside_code(text: str) -> Iterator[str]:
    """Yield the runs of plain text a reader sees as words: no code, no URLs hidden behind link text."""
    for token in _inline_children(parse_markdown(text).tokens):
        if token.type in ("text", "typed"):
            yield token.content
        elif token.type == "hashtag":
            yield f"#{token.content}"
