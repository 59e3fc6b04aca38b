"""The one parse: the hashtags stored for a text are the hashtags its page links, whatever the text."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.hashtags import hashtag_key
from forum.markup import extract_hashtags, parse_markdown, words_outside_code
from forum.rendering import render_markdown

TAG_PREFIX = "/tags/"


class _HashtagHrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("class") == "hashtag":
            self.hrefs.append(attrs["href"])


def linked_keys(text: str) -> set[str]:
    """The tags the rendered page links, read back from its <a class="hashtag"> hrefs."""
    parser = _HashtagHrefs()
    parser.feed(render_markdown(text, tag_url=lambda name: TAG_PREFIX + quote(hashtag_key(name))))
    parser.close()
    return {unquote(href.removeprefix(TAG_PREFIX)) for href in parser.hrefs}


def stored_keys(text: str) -> set[str]:
    return {hashtag_key(name) for name in extract_hashtags(text, limit=None)}


#: Pieces of Markdown that change whether a '#word' is a hashtag: code, fences, links, URLs, emphasis,
#: raw HTML, headings, lists, quotes, tables, escapes.
MARKDOWNISH = st.lists(
    st.one_of(
        st.text(alphabet="ab#` \n*_[]()<>!\\~|-.:/&", max_size=8),
        st.sampled_from([
            "#Hope", "#hope", "##Grief", "#ab", " ", "\n", "\n\n", "`", "``", "```\n", "~~~\n", "    ",
            "[", "](", ")", "](#top)", "[#inlink](https://x.org)", "![#alt](https://x.org/a.png)",
            "https://x.org/", "www.x.org/#frag", "x.org/a#b", "*", "**", "_", "~~", "<a href='#x'>", "<b>",
            "</b>", "<!-- #c -->", "# ", "## ", "> ", "- ", "1. ", "| a |\n|---|\n| ", "\\#", "&#35;", "C#",
            "page#top", "\t",
        ]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH)
def test_stored_hashtags_are_the_linked_hashtags(text: str) -> None:
    assert stored_keys(text) == linked_keys(text)


@pytest.mark.parametrize(("text", "tags"), [
    ("`#code` #out", {"out"}),
    ("``#double ` tick`` #yes", {"yes"}),
    ("```\n#fenced\n```\n#after", {"after"}),
    ("para\n\n    #indented\n\n#after", {"after"}),
    ("- item\n\n    #in_the_item", {"in_the_item"}),
    ("[#linktext](https://x.org) https://x.org/#frag <https://x.org/#auto>", set()),
    ("<b>#raw</b>", {"raw"}),          # raw HTML is text on the page, so its words count
    ("# #Heading", {"heading"}),
])
def test_stored_and_linked_agree_on_the_shapes_that_used_to_differ(text: str, tags: set[str]) -> None:
    assert stored_keys(text) == linked_keys(text) == tags


def test_the_parse_is_shared_not_repeated() -> None:
    text = "one parse for #Hope and rendering"
    assert parse_markdown(text) is parse_markdown(text)


def test_words_outside_code_leave_code_out() -> None:
    words = " ".join(words_outside_code("say `@code_name` to\n\n```\n@fenced\n```\n\n**@sam**"))
    assert "@sam" in words and "code_name" not in words and "fenced" not in words


# Growth, not a millisecond figure: 20k characters may take at most 8x what 5k takes (linear is 4x).
HOSTILE_SHAPES = {"hashes": "#", "hash-letter": "#a", "letter-hash": "a#", "fragments": "x/#", "ticks": "`#",
                  "emphasis": "*_", "brackets": "[(", "quotes": "> ", "nested list": "  - ", "tags": "<a",
                  "urls": "http://a.", "table": "|a"}


def _best_time(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        parse_markdown.cache_clear()
        started = time.perf_counter()
        extract_hashtags(text, limit=None)
        render_markdown(text, tag_url=lambda name: TAG_PREFIX + name)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("unit", HOSTILE_SHAPES.values(), ids=HOSTILE_SHAPES.keys())
def test_hostile_shapes_grow_linearly(unit: str) -> None:
    def sized(n: int) -> str:
        return (unit * (n // len(unit) + 1))[:n]

    assert _best_time(sized(20_000)) < 8 * _best_time(sized(5_000)) + 0.005
