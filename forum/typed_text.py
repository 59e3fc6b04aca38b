"""What a member typed, before it is kept: is anything visible in it at all, and its line breaks made one kind.

Pure: no Flask. A title of two zero-width spaces, or a reply of one Hangul filler, passes a `str.strip()` check
but shows as nothing: an unclickable link in the feeds, or a blank reply that takes a post off "Needs a reply"
and leaves its author unanswered. Whether a text shows anything is decided here, once, for every form.
"""
from __future__ import annotations

import re
import unicodedata

from forum.rendering import markdown_to_text

#: Categories that draw nothing by themselves: format characters (zero-width spaces and joiners, direction
#: marks, the soft hyphen, tag characters), controls, and every space and line or paragraph separator.
UNSEEN_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})

#: Characters Unicode files as letters, symbols or marks that fonts draw as nothing: the Hangul fillers, the
#: blank Braille pattern, the combining grapheme joiner, Khmer's inherent vowels, the Mongolian free variation
#: selectors, the variation selectors and the musical null notehead. All are used to fake a blank name or post.
BLANK_LOOKING = frozenset({
    0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), 0x2800, 0x3164,
    *range(0xFE00, 0xFE10), 0xFFA0, 0x1D159, *range(0xE0100, 0xE01F0),
})

#: A line break as browsers send it (CRLF), or as old Macs wrote it (a lone CR).
_LINE_BREAK = re.compile(r"\r\n?")


def is_unseen(char: str) -> bool:
    """Whether one character, on its own, shows nothing on the page."""
    return ord(char) in BLANK_LOOKING or unicodedata.category(char) in UNSEEN_CATEGORIES


def has_visible_text(text: str) -> bool:
    """Whether anything visible is left once blanks and invisible characters are set aside (for plain text,
    such as a title)."""
    return any(not is_unseen(char) for char in text)


def markdown_shows_text(markdown: str) -> bool:
    """Whether a Markdown text (a post or a reply) shows any words once rendered.

    Read from the parse that renders it: `&#8203;` and `&nbsp;` become invisible characters, and `[]()`, `---`
    or an empty heading become markup with no words in it.
    """
    return has_visible_text(markdown) and has_visible_text(markdown_to_text(markdown))


def nothing_if_invisible(text: str | None) -> str | None:
    """An optional field's text, or "" when none of it would show (so a blank-looking content warning or bio is
    no content warning or bio at all)."""
    if isinstance(text, str) and not has_visible_text(text):
        return ""
    return text


def normalise_newlines(text: str | None) -> str | None:
    """Every line break as one "\\n", the way it is stored.

    A textarea's maxlength counts a line break as one character, but the browser sends it as two (CRLF): a
    20,000-character post with 200 lines arrived as 20,200 and was refused as too long. Lengths are checked,
    and text kept, after this.
    """
    return _LINE_BREAK.sub("\n", text) if isinstance(text, str) else text
