"""Find, validate and normalise hashtags in member posts.

Everything here is pure: plain strings in, plain values out, no Flask.

Names are handled WITHOUT the leading '#'. Which '#words' of a post are
hashtags is read from its Markdown parse (forum/markup.py, extract_hashtags),
so that code, links and URLs are judged exactly as the page renders them;
this module says what a hashtag looks like in a run of plain text. Names keep the spelling the member used first;
``hashtag_key`` gives the case- and width-insensitive identity used to
de-duplicate and to look tags up.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator

MAX_HASHTAGS_PER_POST = 30
MIN_TAG_LEN = 2
MAX_TAG_LEN = 50


def _combining_marks() -> str:
    """Return a regex class body of every combining mark (Unicode category M)."""
    # Python's \w leaves out marks, which would cut Hindi, Thai or Hebrew tags
    # in half. Marks live below U+20000 plus the variation selectors in plane
    # 14; scanning just those once at import costs ~20 ms.
    cat = unicodedata.category
    scan = (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
    marks = [cp for cp in scan if cat(chr(cp))[0] == "M"]
    ranges: list[list[int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


#: What counts as a letter of a word, as the body of a regex character class (use it as ``[{WORD_CHARS}]``):
#: ``\w`` plus every combining mark, so words in Hindi, Thai or Hebrew are not cut in half. Shared with
#: anything else that must agree with hashtags on where a word begins and ends (watched words).
WORD_CHARS = r"\w" + _combining_marks()

# A '#' run counts only at a boundary: not after a word character (C#,
# page#top), '&' (HTML entities like &#39;) or '/' (URL fragments). The
# check is done in Python: a look-behind here would run at every position.
# The run is taken whole, from its first '#' only, and never given back:
# `#+` tried from every '#' of a long run without a word after it made
# "#" * n quadratic (4.7 s at 8,000). A match could only ever start at a
# run's first '#' anyway, since every '#' of a run sees the same word.
_CANDIDATE_RE = re.compile(rf"(?<!#)#++([{WORD_CHARS}]+)")
_NOT_BEFORE_RE = re.compile(rf"[{WORD_CHARS}&/#]")
_NAME_RE = re.compile(rf"[{WORD_CHARS}]+")

# Anything that looks like a URL, up to the next whitespace. Possessive
# quantifiers and the look-behinds keep this linear on hostile input.
_URL_RE = re.compile(
    r"""
    (?<![\w+.-])
    (?:
        [a-z][a-z0-9+.-]*+://       # scheme://
      | www\.                       # www.
      | [\w-]++(?:\.[\w-]++)++/     # domain.tld/path
    )\S*+
    """,
    re.IGNORECASE | re.VERBOSE,
)

_FIELD_SPLIT_RE = re.compile(r"[\s,]+")


def hashtag_key(name: str) -> str:
    """Return the identity of a tag: no leading '#', NFKC, casefolded."""
    # NFKC again after casefold: casefolding can un-normalise a few letters.
    folded = unicodedata.normalize("NFKC", name.lstrip("#")).casefold()
    return unicodedata.normalize("NFKC", folded).lstrip("#")


def hashtag_error(name: str) -> str | None:
    """Say why a name is not a valid hashtag, or return None if it is.

    Leading '#'s are ignored. The reason completes "'C#' is not a valid
    hashtag: ...".
    """
    name = name.lstrip("#")
    if name and not _NAME_RE.fullmatch(name):
        return "use only letters, numbers and underscores"
    if name and not name[0].isalpha():
        return "start with a letter"
    if len(name) < MIN_TAG_LEN:
        return f"use at least {MIN_TAG_LEN} characters"
    if len(name) > MAX_TAG_LEN:
        return f"use at most {MAX_TAG_LEN} characters"
    return None


def is_valid_hashtag(name: str) -> bool:
    """Return True if name (leading '#'s ignored) is a valid hashtag."""
    return hashtag_error(name) is None


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of URL-looking runs in text."""
    return [m.span() for m in _URL_RE.finditer(text)]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Return True if pos falls inside one of the sorted, disjoint spans."""
    i = bisect_right(spans, (pos, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def iter_hashtag_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, name) for each valid hashtag in plain text.

    text[start:end] is the whole '#...' run including repeated '#'s; name
    has no '#'. No Markdown awareness: forum/markup.py calls this on the
    parse's text tokens only.
    """
    if "#" not in text:
        return
    urls: list[tuple[int, int]] | None = None
    for match in _CANDIDATE_RE.finditer(text):
        start, name = match.start(), match.group(1)
        if start and _NOT_BEFORE_RE.match(text, start - 1):
            continue
        # The regex already checked the characters; only length and the
        # first letter are left (str.isalpha is exactly "category L*").
        if not MIN_TAG_LEN <= len(name) <= MAX_TAG_LEN or not name[0].isalpha():
            continue
        if start and not text[start - 1].isspace():
            # Only a '#' glued to earlier text can sit inside a URL or a
            # Markdown link target like [top](#top).
            if start >= 2 and text.startswith("](", start - 2):
                continue
            if urls is None:
                urls = _url_spans(text)
            if _inside(urls, start):
                continue
        yield start, match.end(), name


def merge_hashtags(
    *groups: Iterable[str], limit: int | None = MAX_HASHTAGS_PER_POST
) -> list[str]:
    """Join names in order, dropping repeats by key, keeping first spellings."""
    seen: set[str] = set()
    merged: list[str] = []
    for group in groups:
        for name in group:
            if limit is not None and len(merged) >= limit:
                return merged
            key = hashtag_key(name)
            if key and key not in seen:
                seen.add(key)
                merged.append(name.lstrip("#"))
    return merged


def _field_entries(text: str) -> list[str]:
    """Split the composer's tags field on spaces and commas."""
    return [entry for entry in _FIELD_SPLIT_RE.split(text) if entry]


def parse_tags_field(text: str) -> list[str]:
    """Return the valid tags of the "tags" field, '#' optional, no repeats."""
    valid = (e for e in _field_entries(text) if is_valid_hashtag(e))
    return merge_hashtags(valid, limit=None)


def invalid_tags_in_field(text: str) -> list[str]:
    """Return the entries of the "tags" field that are not valid, as typed."""
    invalid = [e for e in _field_entries(text) if not is_valid_hashtag(e)]
    return list(dict.fromkeys(invalid))


def tags_field_problem(text: str) -> str | None:
    """What is wrong with the "tags" field, in words for its author, or None when every entry is a hashtag.

    The composer shows it beside the field with the form's other messages; creating the post asks again.
    """
    invalid = invalid_tags_in_field(text)
    if not invalid:
        return None
    shown = ", ".join(f"“{tag}”" for tag in invalid[:5])
    return (f"These aren't hashtags we can use: {shown}. A hashtag starts with a letter, then letters, "
            f"digits or _ ({MIN_TAG_LEN} to {MAX_TAG_LEN} characters).")
