"""Whether what a member typed shows anything: the rule every title, post, reply and optional field is held to."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forum.typed_text import (
    BLANK_LOOKING,
    UNSEEN_CATEGORIES,
    has_visible_text,
    is_unseen,
    markdown_shows_text,
    normalise_newlines,
    nothing_if_invisible,
)

#: Texts that look like nothing on the page, as the audit found them and as they are shared to fake a blank.
BLANK_TEXTS = [
    "", " ", "\t\n\r\n", "\u200b\u200b", "\u200c\u200d\u2060", "\ufeff", "\u00ad", "\u200e\u200f",
    "\u3164", "\u2800", "\u115f\u1160", "\uffa0", "\u00a0\u2003\u3000", "\u2028\u2029", "\u034f", "\ufe0f",
    "\U000e0020\U000e007f", "\x07\x1b", "\u17b4", "\u180e", "\U0001d159",
]
#: Texts with something to see, however little (a full stop, an emoji, a combining accent, Hangul, Braille).
SHOWING_TEXTS = ["a", ".", "\u200bhi", "\U0001f49c", "\u2800\u2801", "한", "\u3164가", "x\u0301", "·", "0"]


@pytest.mark.parametrize("text", BLANK_TEXTS)
def test_text_of_blanks_and_invisible_characters_shows_nothing(text):
    assert not has_visible_text(text)


@pytest.mark.parametrize("text", SHOWING_TEXTS)
def test_text_with_one_visible_character_shows_something(text):
    assert has_visible_text(text)


@pytest.mark.parametrize("markdown", [
    "&#8203;", "&nbsp;", "&#x3164;", "[]()", "[](https://example.org)", "---", "# ", ">", "```\n```", "* \u200b",
    "\u200b\n\n\u3164", "[\u200b](https://example.org)", "**\u2800**",
])
def test_markdown_that_renders_no_words_shows_nothing(markdown):
    assert not markdown_shows_text(markdown)


@pytest.mark.parametrize("markdown", [
    "ok", "#hope", "`x`", "![](https://example.org/a.png)", "<https://example.org>", "[link](x)", "&amp;",
    "```\nprint()\n```", "> still here",
])
def test_markdown_with_any_word_shows_something(markdown):
    assert markdown_shows_text(markdown)


@pytest.mark.parametrize("text,kept", [("\u200b", ""), ("\u3164 \u2800", ""), (" grief ", " grief "), (None, None)])
def test_an_optional_field_that_shows_nothing_is_empty(text, kept):
    assert nothing_if_invisible(text) == kept


def _unseen_characters() -> list[str]:
    return [chr(cp) for cp in range(0x110000)
            if cp in BLANK_LOOKING or unicodedata.category(chr(cp)) in UNSEEN_CATEGORIES]


UNSEEN = _unseen_characters()
VISIBLE = st.characters(categories=("L", "N", "P", "S"), exclude_characters=[chr(cp) for cp in BLANK_LOOKING])


@given(st.lists(st.sampled_from(UNSEEN), max_size=40).map("".join))
def test_any_run_of_unseen_characters_shows_nothing(text):
    assert not has_visible_text(text)
    assert not markdown_shows_text(text)


@given(st.lists(st.sampled_from(UNSEEN), max_size=20).map("".join), VISIBLE,
       st.lists(st.sampled_from(UNSEEN), max_size=20).map("".join))
def test_one_letter_number_or_symbol_among_them_shows(before, char, after):
    assert has_visible_text(before + char + after)


@given(st.text(max_size=200))
def test_text_shows_something_exactly_when_a_character_of_it_is_not_unseen(text):
    assert has_visible_text(text) == any(not is_unseen(char) for char in text)
    if markdown_shows_text(text):  # what renders to words was typed with something visible in it
        assert has_visible_text(text)


def test_a_post_length_of_invisible_characters_shows_nothing():
    # (How long it takes is a benchmark's question, not a test's: a wall-clock bound fails on a loaded machine.)
    assert not markdown_shows_text("\u200b" * 20_000)
    assert markdown_shows_text("\u200b" * 19_999 + "a")


@pytest.mark.parametrize("sent,kept", [
    ("a\r\nb", "a\nb"), ("a\rb", "a\nb"), ("a\nb", "a\nb"), ("a\r\r\nb", "a\n\nb"), ("a\n\rb", "a\n\nb"),
    ("\r\n\r\n", "\n\n"), ("", ""), (None, None),
])
def test_every_line_break_is_kept_as_one_newline(sent, kept):
    assert normalise_newlines(sent) == kept


@given(st.text(alphabet=st.sampled_from("ab \r\n\u2028"), max_size=60))
def test_newlines_change_only_how_lines_end_never_the_lines(text):
    kept = normalise_newlines(text)
    assert "\r" not in kept and normalise_newlines(kept) == kept
    assert kept.split("\n") == text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert len(kept) == len(text) - text.count("\r\n")  # what a browser's maxlength counted
