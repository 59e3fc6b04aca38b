"""Keep markdown-it linear with a small constant on hostile text, without dropping a member's words.

markdown-it-py tries every inline rule at every character that might start markup: ~5-50 µs each, so a
20,000-character post made of such characters ("#" * n, "*_" * n, "[(" * n, "<a" * n) took 100-500 ms
to parse. The limits, installed by `limit_inline_work`:

- Text runs stop only at characters an enabled rule starts with. markdown-it also stops at '#', '-', '@',
  '$', '%', '+', '=', '^', '{', '}' and '>' for plugins we don't use; the tokens are the same either way.
- Past a generous number of markers of one kind in a text (emphasis, code, links, autolinks), the rest of
  that kind are literal text, as if escaped: shown to readers exactly as typed, never removed.
- Past MAX_BARE_LINKS bare URLs in a text, the rest stay plain text (still shown, not linked).
- Block rules are not called for lines that cannot start their block (same tokens, fewer calls per line).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

#: Characters an enabled inline rule can start at: newline, image, entity, emphasis, linkify (':'),
#: autolink, link, escape, backticks, strikethrough.
_STARTS = "\n!&*:<[\\]_`~"
_STARTS_WITHOUT_LINKIFY = _STARTS.replace(":", "")

#: Markers counted per text, each kind with its own allowance, far above what a real post uses (a long post
#: with a hundred bold phrases has 400 '*'). Past it, the kind is literal.
MARKER_KINDS = {"*": "emphasis", "_": "emphasis", "~": "emphasis", "`": "code", "[": "link", "]": "link",
                "!": "link", "<": "autolink"}
MARKER_ALLOWANCE = {"emphasis": 1_000, "code": 400, "link": 400, "autolink": 200}
_RUN_RE = {kind: re.compile("[" + re.escape("".join(c for c, k in MARKER_KINDS.items() if k == kind)) + "]+")
           for kind in MARKER_ALLOWANCE}


@lru_cache(maxsize=32)
def _literal_run_re(spent: frozenset[str]) -> re.Pattern[str]:
    """Match markers of the spent kinds with the plain text between them, stopping at any other marker."""
    taken = "".join(c for c, kind in MARKER_KINDS.items() if kind in spent)
    return re.compile("(?:[" + re.escape(taken) + "]|[^" + re.escape(_STARTS) + "])+")


def _count_or_take_markers(state: StateInline, silent: bool) -> bool:
    """Inline rule: count markers; once a kind is past its allowance, take its runs as literal text."""
    src, pos = state.src, state.pos
    kind = MARKER_KINDS.get(src[pos])
    if kind is None or (src[pos] == "!" and not src.startswith("![", pos)):
        return False  # an exclamation mark in prose is no image
    counts = state.env.setdefault("kindred_markers", dict.fromkeys(MARKER_ALLOWANCE, 0))
    if counts[kind] < MARKER_ALLOWANCE[kind]:
        if not silent:  # lookahead (a link label's) reads the same markers again later
            run = _RUN_RE[kind].match(src, pos, state.posMax)
            assert run is not None
            counts[kind] += run.end() - pos
        return False
    # One step over the spent markers and the text between them: markdown-it would stop at each one.
    spent = frozenset(k for k, n in counts.items() if n >= MARKER_ALLOWANCE[k])
    run = _literal_run_re(spent).match(src, pos, state.posMax)
    assert run is not None
    if not silent:
        state.pending += run.group()
    state.pos = run.end()
    return True


#: The characters each block rule can start a line with. markdown-it asks every one of them, at every line of
#: a paragraph, whether it ends the paragraph (twice: setext headings ask too); a line starting otherwise
#: is answered here without the call.
BLOCK_STARTS = {"fence": "`~", "blockquote": ">", "hr": "*-_", "list": "*-+0123456789", "html_block": "<",
                "heading": "#"}


def _only_at(starts: str, rule):
    """Wrap a block rule so that lines starting with none of `starts` are refused at once."""
    def rule_if_it_can_start(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        if pos < state.eMarks[start_line] and state.src[pos] not in starts:
            return False
        return rule(state, start_line, end_line, silent)
    return rule_if_it_can_start


def limit_inline_work(md: MarkdownIt) -> None:
    """Install the limits on a parser (see the module docstring)."""
    block = md.block.ruler
    for rule in block.__rules__:
        if rule.name in BLOCK_STARTS:
            block.at(rule.name, _only_at(BLOCK_STARTS[rule.name], rule.fn), {"alt": rule.alt})
    linkify_inline = "linkify" in md.inline.ruler.get_active_rules()
    md.inline.terminator_re = re.compile("[" + re.escape(_STARTS if linkify_inline else _STARTS_WITHOUT_LINKIFY) + "]")
    md.inline.ruler.after("text", "kindred_markers", _count_or_take_markers)
    md.linkify = BareLinkBudget(md.linkify)


_SPACE_RE = re.compile(r"\s")
#: Bare URLs linked in one text; past it they stay plain text. Each costs markdown-it ~40 µs to normalise.
MAX_BARE_LINKS = 200


class BareLinkBudget:
    """Stand in for md.linkify (linkify-it), linking at most MAX_BARE_LINKS bare URLs per parse.

    One per parser, and parsers are per thread; `reset` before each parse.
    """

    def __init__(self, linkify) -> None:
        self._linkify = linkify
        self.left = MAX_BARE_LINKS

    def reset(self) -> None:
        self.left = MAX_BARE_LINKS

    def pretest(self, text: str) -> bool:
        return self.left > 0 and self._linkify.pretest(text)

    def test(self, text: str) -> bool:
        return self.left > 0 and self._linkify.test(text)

    def match(self, text: str, chunk: int = 1_000):
        """Return the text's links, at most what is left of the budget.

        linkify-it scans the whole text however few links are wanted, so a long text is read a chunk at a
        time, cut at whitespace (no link holds whitespace), stopping once the budget is spent.
        """
        links = []
        start = 0
        while start < len(text) and len(links) < self.left:
            space = _SPACE_RE.search(text, start + chunk) if len(text) - start > chunk else None
            end = space.start() if space else len(text)
            for link in self._linkify.match(text[start:end]) or []:
                link.index += start
                link.last_index += start
                links.append(link)
            start = end
        links = links[: self.left]
        self.left -= len(links)
        return links

    def match_at_start(self, text: str):
        link = self._linkify.match_at_start(text) if self.left > 0 else None
        self.left -= link is not None
        return link
