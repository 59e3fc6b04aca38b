"""Reading a search box's text: pure, no app. What members type never reaches a database's query syntax."""
import time

import pytest

from forum.services.search.query import (
    MARK_START,
    MARK_STOP,
    MAX_QUERY_CHARACTERS,
    MAX_TERMS,
    Term,
    fts5_query,
    highlighted,
    parse_query,
    websearch_text,
    without_common_words,
)


@pytest.mark.parametrize("text, fts5, websearch", [
    ("sleep", '("sleep")', "sleep"),
    ("first week sober", '("first" AND "week" AND "sober")', "first week sober"),
    ('"first week" sober', '("first week" AND "sober")', '"first week" sober'),
    ("sleep or rest", '("sleep") OR ("rest")', "sleep or rest"),
    ("sleep -pills", '("sleep") NOT ("pills")', "sleep -pills"),
    ("self-care", '("self" AND "care")', "self care"),
    ("#Recovery", '("Recovery")', "Recovery"),
    ('title:hope', '("title" AND "hope")', "title hope"),
    ('NEAR(a b)', '("NEAR" AND "a" AND "b")', "NEAR a b"),
    ('hope*', '("hope")', "hope"),
    ('^start', '("start")', "start"),
    ('AND NOT', '("AND" AND "NOT")', "AND NOT"),
    ('unbalanced "quote here', '("unbalanced" AND "quote" AND "here")', "unbalanced quote here"),
])
def test_queries_become_quoted_words_in_each_syntax(text, fts5, websearch):
    parsed = parse_query(text)
    assert fts5_query(parsed) == fts5
    assert websearch_text(parsed) == websearch


@pytest.mark.parametrize("text", ["", "   ", '""', "***", "-alone", "or", "or or", "\x00\ud800", "^*:()"])
def test_nothing_to_look_for_is_an_empty_query(text):
    assert parse_query(text).is_empty


def test_a_leading_minus_alone_is_dropped_with_its_alternative():
    parsed = parse_query("-pills or sleep")
    assert parsed.alternatives == ((Term(("sleep",)),),)


def test_long_queries_are_cut_and_say_so():
    many = parse_query(" ".join(f"word{n}" for n in range(MAX_TERMS + 5)))
    assert sum(len(terms) for terms in many.alternatives) == MAX_TERMS and many.shortened
    assert parse_query("a" * (MAX_QUERY_CHARACTERS + 1)).shortened
    assert not parse_query("a few words").shortened


def test_parsing_hostile_text_takes_linear_time():
    worst = '"-' * 10_000 + "a" * 20_000
    # CPU time: other load on the machine stretches wall-clock time, not this.
    started = time.process_time()
    parse_query(worst)
    assert time.process_time() - started < 0.5


@pytest.mark.parametrize("raw, html", [
    (f"a {MARK_START}relapse{MARK_STOP} <b>", "a <mark>relapse</mark> &lt;b&gt;"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    (f"{MARK_STOP}stray{MARK_START}open", "stray<mark>open</mark>"),
    (f"{MARK_START}{MARK_START}x{MARK_STOP}{MARK_STOP}", "<mark>x</mark>"),
    ("", ""),
    (None, ""),
])
def test_snippets_escape_everything_but_the_marks(raw, html):
    assert str(highlighted(raw)) == html


@pytest.mark.parametrize("text, kept", [
    ("the", ""),
    ("the and of it", ""),
    ("The relapse", '("relapse")'),
    ('"one day at a time"', '("one day at a time")'),
    ("sleep -the", '("sleep")'),
    ("the or sleep", '("sleep")'),
])
def test_common_single_words_are_left_out_but_phrases_keep_them(text, kept):
    parsed = without_common_words(parse_query(text))
    assert (fts5_query(parsed) if not parsed.is_empty else "") == kept
