"""The treatment guide files: they parse, a malformed one is refused by name, search ranks them sensibly, and
none of them borrows a sentence from the public articles they were written from. Pure: no app, no database."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from forum import create_app
from forum.guides.loader import (
    LIBRARY_DIR,
    Guide,
    GuideError,
    GuideLibrary,
    load_library,
    load_library_once,
    parse_guide,
)
from forum.guides.search import search_guides, stem
from forum.markup import extract_hashtags

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
SHIPPED = sorted(LIBRARY_DIR.glob("*.md"))

VALID_FRONT = """+++
title = "A guide for the tests"
summary = "What this guide covers."
tags = ["Recovery", "Addiction"]
last_reviewed = 2026-12-01
sources = [{ name = "An organisation's article", url = "https://example.org/article" }]
+++
"""
VALID_BODY = "Some plain words.\n\nThis is not medical advice. Our [help page](/help) lists lines to call.\n"


def write_guide(directory: Path, text: str, name: str = "test-guide.md") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# The library -----------------------------------------------------------------------------------------------

def test_the_library_holds_six_to_ten_guides():
    assert 6 <= len(load_library()) <= 10


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_guide_parses_and_validates(path):
    guide = parse_guide(path, path.read_text(encoding="utf-8"))
    assert guide.slug == path.stem
    assert guide.title and guide.summary and guide.tags and guide.sources
    assert all(source.url.startswith("https://") for source in guide.sources)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_guide_says_when_to_seek_emergency_help(path):
    body = parse_guide(path, path.read_text(encoding="utf-8")).body
    assert "emergency" in body.casefold() and "988" in body


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_no_guide_body_holds_a_hashtag(path):
    # A hashtag in the text becomes a link to its tag's page, which is a 404 until someone posts with it;
    # the page's "Talk to people who've been there" panel links only the tags that have a page.
    assert extract_hashtags(parse_guide(path, path.read_text(encoding="utf-8")).body) == []


def test_a_valid_guide_parses_into_its_fields(tmp_path):
    guide = parse_guide(write_guide(tmp_path, VALID_FRONT + VALID_BODY), VALID_FRONT + VALID_BODY)
    assert guide.title == "A guide for the tests" and guide.tags == ("Recovery", "Addiction")
    assert guide.last_reviewed.isoformat() == "2026-12-01"
    assert guide.sources[0].name == "An organisation's article"
    assert guide.body.startswith("Some plain words.")


# Malformed guides ------------------------------------------------------------------------------------------

MALFORMED = [
    # (what is wrong, the text, the field the message must name)
    ("no opening +++", VALID_FRONT.replace("+++\n", "", 1) + VALID_BODY, "file"),
    ("front matter never closed", VALID_FRONT.rsplit("+++", 1)[0] + VALID_BODY, "file"),
    ("not TOML", VALID_FRONT.replace('title = "', 'title = '), "file"),
    ("title missing", re.sub(r"title = .*\n", "", VALID_FRONT) + VALID_BODY, "'title'"),
    ("title empty", VALID_FRONT.replace("A guide for the tests", " ") + VALID_BODY, "'title'"),
    ("summary a number", VALID_FRONT.replace('"What this guide covers."', "3") + VALID_BODY, "'summary'"),
    ("tags a string", VALID_FRONT.replace('["Recovery", "Addiction"]', '"Recovery"') + VALID_BODY, "'tags'"),
    ("tags empty", VALID_FRONT.replace('["Recovery", "Addiction"]', "[]") + VALID_BODY, "'tags'"),
    ("tag with its #", VALID_FRONT.replace('"Recovery"', '"#Recovery"') + VALID_BODY, "'tags'"),
    ("tag not a hashtag", VALID_FRONT.replace('"Recovery"', '"Mental health"') + VALID_BODY, "'tags'"),
    ("tag twice", VALID_FRONT.replace('"Addiction"', '"recovery"') + VALID_BODY, "'tags'"),
    ("date quoted", VALID_FRONT.replace("2026-12-01", '"2026-12-01"') + VALID_BODY, "'last_reviewed'"),
    ("date with a time", VALID_FRONT.replace("2026-12-01", "2026-12-01T10:00:00") + VALID_BODY, "'last_reviewed'"),
    ("no sources", VALID_FRONT.replace(re.search(r"\[\{.*\}\]", VALID_FRONT).group(), "[]") + VALID_BODY,
     "'sources'"),
    ("source without url", VALID_FRONT.replace(', url = "https://example.org/article"', "") + VALID_BODY,
     "'sources[1]'"),
    ("source url not http", VALID_FRONT.replace("https://example.org", "javascript:alert(1)//x.y") + VALID_BODY,
     "'sources[1].url'"),
    ("misspelt field", VALID_FRONT.replace("summary =", "sumary =") + VALID_BODY, "'summary'"),
    ("unknown field", VALID_FRONT.replace("+++\ntitle", '+++\nauthor = "me"\ntitle') + VALID_BODY, "'author'"),
    ("no body", VALID_FRONT, "'body'"),
    ("no disclaimer", VALID_FRONT + VALID_BODY.replace("not medical advice", "general reading"), "'body'"),
    ("no link to help", VALID_FRONT + VALID_BODY.replace("(/help)", "(/tags)"), "'body'"),
]


@pytest.mark.parametrize(("problem", "text", "field"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_a_malformed_guide_is_refused_with_its_file_and_field_named(tmp_path, problem, text, field):
    write_guide(tmp_path, VALID_FRONT + VALID_BODY, "a-good-guide.md")
    write_guide(tmp_path, text, "the-broken-one.md")
    with pytest.raises(GuideError) as raised:
        load_library(tmp_path)
    message = str(raised.value)
    assert "the-broken-one.md" in message
    assert (f"field {field}" if field != "file" else ": file:") in message


def test_a_file_name_that_cannot_be_an_address_is_refused(tmp_path):
    write_guide(tmp_path, VALID_FRONT + VALID_BODY, "Levels Of Care.md")
    with pytest.raises(GuideError, match=r"Levels Of Care\.md.*lowercase words"):
        load_library(tmp_path)


def test_an_empty_library_is_refused(tmp_path):
    with pytest.raises(GuideError, match="holds no guides"):
        load_library(tmp_path)


def test_a_library_loaded_once_is_read_again_when_a_guide_changes(tmp_path):
    path = write_guide(tmp_path, VALID_FRONT + VALID_BODY)
    first = load_library_once(tmp_path)
    assert load_library_once(tmp_path) is first
    path.write_text(VALID_FRONT.replace("A guide for the tests", "A retitled guide") + VALID_BODY, encoding="utf-8")
    assert [guide.title for guide in load_library_once(tmp_path)] == ["A retitled guide"]
    path.write_text(VALID_FRONT.replace("2026-12-01", '"soon"') + VALID_BODY, encoding="utf-8")
    with pytest.raises(GuideError, match="last_reviewed"):
        load_library_once(tmp_path)


def test_the_app_refuses_to_start_with_a_malformed_guide(tmp_path):
    write_guide(tmp_path, VALID_FRONT.replace("2026-12-01", '"last week"') + VALID_BODY, "bad-date.md")
    with pytest.raises(GuideError, match=r"bad-date\.md: field 'last_reviewed'"):
        create_app({"FLASK_CONFIG": "testing", "GUIDES_DIR": str(tmp_path)})


# Search ----------------------------------------------------------------------------------------------------

def make_guide(slug: str, title: str, body: str, summary: str = "A short summary.", tags=("Recovery",)) -> Guide:
    return parse_guide(Path(f"{slug}.md"), VALID_FRONT.replace("A guide for the tests", title)
                       .replace("What this guide covers.", summary)
                       .replace('["Recovery", "Addiction"]', str(list(tags)).replace("'", '"'))
                       + body + "\n" + VALID_BODY)


def test_a_tags_guides_come_first_where_it_is_their_first_tag():
    library = GuideLibrary([
        make_guide("alpha", "Alpha", "Words.", tags=("Recovery", "Caregiving")),
        make_guide("beta", "Beta", "Words.", tags=("caregiving",)),
        make_guide("gamma", "Gamma", "Words.", tags=("Recovery",)),
    ])
    assert [guide.slug for guide in library.tagged("CAREGIVING")] == ["beta", "alpha"]


@pytest.mark.parametrize(("forms", "same"), [
    (("relapse", "relapsed", "relapses", "relapsing"), True),
    (("programme", "programmes", "program", "programs"), True),
    (("hospitalisation", "hospitalization"), True),
    (("therapy", "therapies"), True),
    (("work", "week"), False),
])
def test_stemming_joins_a_words_common_forms_and_nothing_else(forms, same):
    assert (len({stem(form) for form in forms}) == 1) is same


def test_a_word_in_the_title_outranks_the_same_word_in_the_body():
    library = GuideLibrary([
        make_guide("body-only", "Going home", "After a relapse many people go back a step. " * 3),
        make_guide("in-title", "After a relapse", "Some words about something else."),
    ])
    assert [match.slug for match in search_guides(library, "relapsed")] == ["in-title", "body-only"]


def test_a_guide_holding_every_word_outranks_one_that_repeats_a_single_word():
    library = GuideLibrary([
        make_guide("one-word", "Insurance", "Insurance, insurance and more insurance."),
        make_guide("both-words", "Paying", "What insurance covers for residential care."),
    ])
    assert search_guides(library, "residential insurance")[0].slug == "both-words"


def test_a_match_is_plain_data_with_a_snippet_around_the_word():
    library = GuideLibrary([make_guide("a-guide", "Title", "Opening words. " * 30 + "The sliding scale helps.")])
    [match] = search_guides(library, "sliding")
    assert (match.slug, match.title, match.summary) == ("a-guide", "Title", "A short summary.")
    assert "sliding scale" in match.snippet and match.snippet.startswith("…")
    assert "<" not in match.snippet and len(match.snippet) <= 210


@pytest.mark.parametrize(("query", "best"), [
    ("insurance", "paying-for-treatment"),
    ("first week", "your-first-week-in-treatment"),
    ("partial hospitalization", "levels-of-care"),
    ("inpatient vs IOP", "inpatient-vs-intensive-outpatient"),
    ("supporting my son", "supporting-someone-in-treatment"),
    ("going back to work", "back-to-work-or-school"),
])
def test_the_shipped_guides_answer_the_questions_members_ask(query, best):
    assert search_guides(load_library(), query)[0].slug == best


@pytest.mark.parametrize("query", ["", "   ", "the and of", '"NEAR(', "*) OR (", "x" * 2000, "🙂" * 500,
                                   "\x00\ud800", " ".join(["detox"] * 1000)])
def test_any_query_gives_a_list_never_an_error(query):
    matches = search_guides(load_library(), query, limit=3)
    assert isinstance(matches, list) and len(matches) <= 3


# Our own words ---------------------------------------------------------------------------------------------

RUN = 8


def word_runs(text: str, length: int = RUN) -> set[tuple[str, ...]]:
    """Every run of `length` words, lowercased, punctuation stripped."""
    words = re.sub(r"[^\w\s]|_", " ", text.casefold()).split()
    return {tuple(words[i:i + length]) for i in range(len(words) - length + 1)}


def seed_texts() -> dict[str, str]:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the seed articles are not beside this checkout ({SEEDS_DIR}); the copy check needs them")
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))}
    if not texts:
        pytest.skip(f"{SEEDS_DIR} holds no seed articles (*.txt)")
    return texts


def guide_words(guide: Guide) -> str:
    """Everything a reader sees of a guide: the sources' names count, their addresses don't (a URL's slug is
    the article's own headline, and naming where a fact came from is the point of citing it)."""
    return "\n".join([guide.title, guide.summary, *(source.name for source in guide.sources), guide.body])


def test_the_copy_check_would_catch_a_copied_sentence():
    name, text = next(iter(seed_texts().items()))
    copied = " ".join(text.split()[40:52])
    assert word_runs(copied) & word_runs(text), f"a 12-word quote of {name} went unnoticed"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_no_guide_shares_a_run_of_eight_words_with_a_seed_article(path):
    guide = parse_guide(path, path.read_text(encoding="utf-8"))
    runs = word_runs(guide_words(guide))
    for name, text in seed_texts().items():
        shared = runs & word_runs(text)
        assert not shared, f"{path.name} shares {len(shared)} run(s) of {RUN} words with {name}, e.g. " \
                           f"{' '.join(sorted(shared)[0])!r}: say it in our own words"
