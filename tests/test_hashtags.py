"""Hashtag rules, as members actually write them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forum.hashtags import (
    MAX_HASHTAGS_PER_POST,
    MAX_TAG_LEN,
    WORD_CHARS,
    hashtag_error,
    hashtag_key,
    invalid_tags_in_field,
    is_valid_hashtag,
    iter_hashtag_spans,
    merge_hashtags,
    parse_tags_field,
    tags_field_problem,
)
from forum.markup import extract_hashtags

TRAILING_TAGS = [
    "MentalHealth", "Depression", "Suicide", "Anxiety", "PTSD", "CPTSD", "OCD",
    "BPD", "Bipolar", "ADHD", "Recovery", "Sobriety", "AA", "NA", "Grief",
    "Selfcare", "Therapy", "Hope", "Insomnia", "Loneliness", "Panic",
    "EatingDisorder", "Trauma", "Healing", "YouAreNotAlone",
]

EXTRACT_CASES = [
    # (text, expected tags)
    ("#Depression", ["Depression"]),
    ("feeling low #depression today", ["depression"]),
    ("#Überleben #ДепрессиЯ #日本", ["Überleben", "ДепрессиЯ", "日本"]),
    ("#हिंदी #ซึมเศร้า", ["हिंदी", "ซึมเศร้า"]),
    ("#snake_case #a1b2", ["snake_case", "a1b2"]),
    ("#ab", ["ab"]),
    ("#" + "a" * MAX_TAG_LEN, ["a" * MAX_TAG_LEN]),
    ("#" + "a" * (MAX_TAG_LEN + 1), []),
    # Boundaries: a tag starts the text or follows whitespace or punctuation.
    ("recovery.#drugaddiction", ["drugaddiction"]),
    ("(#PTSD)", ["PTSD"]),
    ('"#quote"', ["quote"]),
    ("line one\n#NextLine", ["NextLine"]),
    ("I code in C# and F#", []),
    ("page#top", []),
    ("it&#39;s fine &#x27;", []),
    ("see https://x.org/a#b", []),
    ("see www.x.org/#frag", []),
    ("see x.org/path#Frag", []),
    ("(https://x.org/?q=1&#Frag)", []),
    ("see https://x.org/page?#Frag", []),
    ("see x.org/a.#Frag and www.x.org?#Frag", []),
    ("#tag,https://x.org/a?#frag", ["tag"]),
    ("go to [top](#top) #real", ["real"]),
    # Link text is not a hashtag: the page cannot link inside a link, and stored tags are the linked ones.
    ("[#inlink](https://x.org) #out", ["out"]),
    ("**#bold** _#em_ ~~#gone~~", ["bold", "em", "gone"]),
    ("| #cell |\n|---|\n| #row |", ["cell", "row"]),
    # Repeated '#' counts once.
    ("##Depression", ["Depression"]),
    ("###Anxiety and ## heading", ["Anxiety"]),
    # Single letters are not tags.
    ("#d isability", []),
    ("#Z Zoloft", []),
    ("#a Anxiety", []),
    # Trailing punctuation is not part of a tag.
    ("#PTSD.", ["PTSD"]),
    ("#OCD!", ["OCD"]),
    ("#Anxiety,", ["Anxiety"]),
    ("#Hope...", ["Hope"]),
    ("#BPD)", ["BPD"]),
    ("#Hope…", ["Hope"]),
    ("#Hope😊", ["Hope"]),
    # Digits-only or starting with a digit: not a tag.
    ("#1", []),
    ("#2day", []),
    ("#_underscore", []),
    # Markdown: code holds no tags; headings need a space so are not tags.
    ("use `#notatag` here #yes", ["yes"]),
    ("``#double ` tick`` #yes", ["yes"]),
    ("```\n#fenced\n```\n#after", ["after"]),
    ("~~~python\n#fenced\n~~~", []),
    ("para\n\n    #indented code\n\n#after", ["after"]),
    ("para\n    #lazy continuation", ["lazy"]),
    ("- item\n\n    #list_continuation", ["list_continuation"]),
    ("# Heading\n## Subheading", []),
    ("unclosed `#tick #stays", ["tick", "stays"]),
    ("`code\n\nnew paragraph #tag`", ["tag"]),
    # Dedup keeps the first spelling.
    ("#depression ... #Depression #DEPRESSION", ["depression"]),
    ("#Ｄｅｐｒｅｓｓｉｏｎ #depression", ["Ｄｅｐｒｅｓｓｉｏｎ"]),
    # 25 trailing tags is common; all come out, in order.
    ("so tired.\n\n" + " ".join(f"#{t}" for t in TRAILING_TAGS), TRAILING_TAGS),
    ("", []),
    ("no tags at all", []),
]


@pytest.mark.parametrize(("text", "expected"), EXTRACT_CASES)
def test_extract_hashtags(text: str, expected: list[str]) -> None:
    assert extract_hashtags(text) == expected


def test_extract_caps_at_the_limit_unless_told_otherwise() -> None:
    text = " ".join(f"#tag{i}" for i in range(MAX_HASHTAGS_PER_POST + 5))
    assert len(extract_hashtags(text)) == MAX_HASHTAGS_PER_POST
    assert len(extract_hashtags(text, limit=None)) == MAX_HASHTAGS_PER_POST + 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#Hope", [(0, 5, "Hope")]),
        ("a ##Hope.", [(2, 8, "Hope")]),
        ("x (#PTSD)", [(3, 8, "PTSD")]),
        ("C# #ok", [(3, 6, "ok")]),
        # No Markdown awareness: code is the caller's business.
        ("`#code`", [(1, 6, "code")]),
    ],
)
def test_iter_hashtag_spans(text: str, expected: list[tuple[int, int, str]]) -> None:
    spans = list(iter_hashtag_spans(text))
    assert spans == expected
    for start, end, name in spans:
        assert text[start:end].lstrip("#") == name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("#Depression", "depression"),
        ("depression", "depression"),
        ("DEPRESSION", "depression"),
        ("##Depression", "depression"),
        ("Ｄｅｐｒｅｓｓｉｏｎ", "depression"),
        ("Straße", "strasse"),
        ("ÜBERLEBEN", "überleben"),
    ],
)
def test_hashtag_key(name: str, key: str) -> None:
    assert hashtag_key(name) == key


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Depression", True),
        ("#Depression", True),
        ("日本", True),
        ("a1", True),
        ("a", False),
        ("", False),
        ("#", False),
        ("1", False),
        ("2day", False),
        ("_x", False),
        ("C#", False),
        ("self-care", False),
        ("a" * MAX_TAG_LEN, True),
        ("a" * (MAX_TAG_LEN + 1), False),
    ],
)
def test_is_valid_hashtag(name: str, valid: bool) -> None:
    assert is_valid_hashtag(name) is valid
    assert (hashtag_error(name) is None) is valid


@pytest.mark.parametrize(
    ("field", "tags", "invalid"),
    [
        ("depression, #Anxiety  PTSD", ["depression", "Anxiety", "PTSD"], []),
        ("", [], []),
        (" , ,, ", [], []),
        ("anxiety #Anxiety ANXIETY", ["anxiety"], []),
        ("C#, recovery", ["recovery"], ["C#"]),
        ("#a self-care #1 C# C#", [], ["#a", "self-care", "#1", "C#"]),
        ("##Hope\tgrief\nloss", ["Hope", "grief", "loss"], []),
    ],
)
def test_tags_field(field: str, tags: list[str], invalid: list[str]) -> None:
    assert parse_tags_field(field) == tags
    assert invalid_tags_in_field(field) == invalid


@pytest.mark.parametrize("field", ["", "hope, #Grief", " , ,, "])
def test_a_tags_field_of_hashtags_has_no_problem(field: str) -> None:
    assert tags_field_problem(field) is None


def test_a_tags_field_problem_names_what_to_change_and_how() -> None:
    problem = tags_field_problem("hope #1bad C# #1bad")
    assert problem is not None and problem.startswith("These aren't hashtags we can use: “#1bad”, “C#”.")
    assert "starts with a letter" in problem and "2 to 50 characters" in problem


def test_a_tags_field_problem_shows_at_most_five_entries() -> None:
    problem = tags_field_problem(" ".join(f"#{n}x" for n in range(9)))
    assert problem is not None and "“#4x”" in problem and "“#5x”" not in problem


def test_merge_hashtags_dedupes_across_sources() -> None:
    merged = merge_hashtags(["Hope", "grief"], ["#hope", "Loss"], limit=None)
    assert merged == ["Hope", "grief", "Loss"]
    assert merge_hashtags(["a1", "b1", "c1"], limit=2) == ["a1", "b1"]


hashtaggy_text = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(["#", "##", " ", "\n", "`", "```\n", "C#", "#Hope", "#hope",
                         "https://x.org/", "www.", ".", "(", ")", "&", "/"]),
    ),
    max_size=30,
).map("".join)


@given(hashtaggy_text)
def test_extracted_tags_are_valid_and_unique(text: str) -> None:
    tags = extract_hashtags(text, limit=None)
    assert all(is_valid_hashtag(tag) for tag in tags)
    keys = [hashtag_key(tag) for tag in tags]
    assert len(keys) == len(set(keys))


@given(hashtaggy_text)
def test_every_span_is_a_valid_hashtag_run(text: str) -> None:
    for start, end, name in iter_hashtag_spans(text):
        assert text[start] == "#"
        assert text[start:end].lstrip("#") == name
        assert is_valid_hashtag(name)


@given(st.text())
def test_field_parsing_never_loses_an_entry(field: str) -> None:
    tags, invalid = parse_tags_field(field), invalid_tags_in_field(field)
    assert all(is_valid_hashtag(tag) for tag in tags)
    assert not any(is_valid_hashtag(entry) for entry in invalid)


# WORD_CHARS is public so other rules (watched words) find words exactly where hashtags do.
@pytest.mark.parametrize("word", ["hope", "Überleben", "हिंदी", "ซึมเศร้า", "שָׁלוֹם", "snake_case", "a1"])
def test_word_chars_keep_a_whole_word_with_its_marks(word):
    assert re.fullmatch(f"[{WORD_CHARS}]+", word)


@pytest.mark.parametrize("char", [" ", "#", "-", "/", "&", ".", "’"])
def test_word_chars_leave_out_spaces_and_punctuation(char):
    assert not re.fullmatch(f"[{WORD_CHARS}]", char)


# Anything a member controls is processed in linear time: "#" * n used to be quadratic (4.7 s at 8,000).
WORST_CASES = {"hashes": "#" * 20_000, "hash-letter": "#a" * 10_000, "letter-hash": "a#" * 10_000,
               "fragments": "x/#" * 6_667, "link targets": "](#a" * 5_000, "code ticks": "`#" * 10_000,
               "hash runs": ("#" * 99 + " ") * 200}


@pytest.mark.parametrize("text", WORST_CASES.values(), ids=WORST_CASES.keys())
def test_a_20000_character_worst_case_is_fast(text: str) -> None:
    import time

    # CPU time, once (a repeat may be answered from a cache): a wall-clock timing once took 1.0 s under a
    # loaded `make test` (the machine, not the code: 17 ms alone).  Quadratic would still take seconds of CPU.
    started = time.process_time()
    extract_hashtags(text, limit=None)
    assert time.process_time() - started < 0.5  # ~5-40 ms here; quadratic was over 30 s
