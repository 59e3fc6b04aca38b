"""Crisis-line data and selection: the shipped file is valid, and the right lines come first."""
from __future__ import annotations

import dataclasses
import itertools
import re
import textwrap

import pytest

from forum.crisis.hotlines import (
    DEFAULT_PATH,
    NEED_TAGS,
    Hotline,
    countries,
    directory_entries,
    hotlines_for,
    load_hotlines,
)

SITUATIONS = ["general", "suicide", "self_harm", "overdose", "substance_use", "abuse", "sexual_assault"]
COVERED = ["US", "CA", "GB", "IE", "AU", "DE", "FR"]


def by_id(line_id: str) -> Hotline:
    matches = [line for line in load_hotlines() if line.id == line_id]
    assert matches, f"no hotline with id {line_id!r}"
    return matches[0]


def ids(lines: list[Hotline]) -> list[str]:
    return [line.id for line in lines]


# ---------------------------------------------------------------------------
# The shipped data file
# ---------------------------------------------------------------------------


def test_shipped_file_validates_and_is_cached():
    lines = load_hotlines()
    assert lines and all(isinstance(line, Hotline) for line in lines)
    assert load_hotlines() is lines
    assert load_hotlines(DEFAULT_PATH) == lines


def test_hotlines_are_immutable_and_use_tuples():
    line = by_id("us-988")
    assert isinstance(line.needs, tuple) and isinstance(line.languages, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.phone = "000"  # type: ignore[misc]


def test_988_has_veterans_press_1_and_no_retired_option():
    line = by_id("us-988")
    assert line.phone_dial == "988" and line.sms == "988"
    assert "veteran" in line.notes.lower()
    assert "press 1" in line.notes.lower()
    every_text = " ".join(str(value) for value in dataclasses.astuple(line)).lower()
    assert "press 3" not in every_text
    # The LGBTQ+ youth "press 3" route closed in July 2025; it must not creep back in anywhere.
    assert "press 3" not in DEFAULT_PATH.read_text(encoding="utf-8").lower()


@pytest.mark.parametrize(
    "line_id, phone_dial, sms, sms_body",
    [
        ("us-988", "988", "988", ""),
        ("us-crisis-text-line", "", "741741", "HOME"),
        ("gb-shout", "", "85258", "SHOUT"),
        ("us-samhsa-helpline", "+18006624357", "", ""),
        ("us-domestic-violence-hotline", "+18007997233", "88788", "START"),
        ("us-poison-help", "+18002221222", "", ""),
        ("gb-samaritans", "116123", "", ""),
        ("ie-samaritans", "116123", "", ""),
        ("au-lifeline", "131114", "0477131114", ""),
        ("ca-988", "988", "988", ""),
        ("us-911", "911", "", ""),
        ("gb-999", "999", "", ""),
        ("au-000", "000", "", ""),
        ("eu-112", "112", "", ""),
    ],
)
def test_key_numbers(line_id, phone_dial, sms, sms_body):
    line = by_id(line_id)
    assert (line.phone_dial, line.sms, line.sms_body) == (phone_dial, sms, sms_body)


def test_every_entry_has_a_source_or_a_note():
    for line in load_hotlines():
        assert line.source or line.source_note, line.id
        if line.verified:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line.verified), line.id
            assert line.source.startswith(("https://", "http://")), line.id
        else:
            assert line.source_note, f"{line.id}: unverified entries must explain what was checked"


def test_ids_unique_and_tags_known():
    lines = load_hotlines()
    assert len({line.id for line in lines}) == len(lines)
    for line in lines:
        assert set(line.needs) <= NEED_TAGS, line.id


def test_tel_href_is_only_plus_and_digits():
    with_phone = [line for line in load_hotlines() if line.phone]
    assert with_phone
    for line in with_phone:
        assert re.fullmatch(r"tel:\+?[0-9]+", line.tel_href or ""), line.id


@pytest.mark.parametrize(
    "line_id, expected",
    [
        ("us-crisis-text-line", "sms:741741?body=HOME"),
        ("gb-shout", "sms:85258?body=SHOUT"),
        ("us-988", "sms:988"),
        ("us-samhsa-helpline", None),
    ],
)
def test_sms_href(line_id, expected):
    assert by_id(line_id).sms_href == expected


def test_lines_without_phone_have_no_tel_href():
    assert by_id("intl-find-a-helpline").tel_href is None


# ---------------------------------------------------------------------------
# Choosing lines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "categories, country, first, also_within",
    [
        (["overdose"], "US", "us-poison-help", {"us-911": 3}),
        (["abuse"], "US", "us-domestic-violence-hotline", {"us-911": 3}),
        (["sexual_assault"], "US", "us-rainn", {"us-911": 2}),
        (["suicide"], "US", "us-988", {"us-crisis-text-line": 2}),
        (["self_harm"], "US", "us-988", {"us-crisis-text-line": 2}),
        (["substance_use"], "US", "us-samhsa-helpline", {"us-988": 2}),
        (["suicide", "overdose"], "US", "us-poison-help", {"us-988": 2, "us-911": 3}),
        (["suicide"], "GB", "gb-samaritans", {"gb-shout": 2}),
        (["abuse"], "GB", "gb-national-domestic-abuse-helpline", {"gb-999": 2}),
        (["overdose"], "GB", "gb-999", {}),
        (["suicide"], "CA", "ca-988", {}),
        (["suicide"], "IE", "ie-samaritans", {}),
        (["suicide"], "AU", "au-lifeline", {}),
        ([], "AU", "au-lifeline", {}),
        (["abuse"], "AU", "au-1800respect", {"au-000": 2}),
        (["overdose"], "DE", "eu-112", {}),
        (["lgbtq"], "US", "us-trevor-project", {}),
        (["veterans"], "US", "us-veterans-crisis-line", {"us-988": 2}),
    ],
)
def test_right_line_first(categories, country, first, also_within):
    chosen = ids(hotlines_for(categories, country))
    assert chosen[0] == first, chosen
    for line_id, within in also_within.items():
        assert line_id in chosen[:within], chosen


def test_canada_988_is_the_current_line():
    line = hotlines_for(["suicide"], "CA")[0]
    assert line.phone_dial == "988" and line.country == "CA"
    assert "talk suicide" not in line.name.lower()


def test_australia_gets_lifeline_13_11_14():
    line = hotlines_for(["suicide"], "AU")[0]
    assert line.phone == "13 11 14"


@pytest.mark.parametrize("country", ["us", "Us", " US ", "gb", "uk", "Uk"])
def test_country_codes_are_case_insensitive(country):
    expected = "us-988" if country.strip().upper() == "US" else "gb-samaritans"
    assert hotlines_for(["suicide"], country)[0].id == expected


@pytest.mark.parametrize("country", ["ZZ", None, "", "INTL", "not a country"])
@pytest.mark.parametrize("categories", [[], ["suicide"], ["overdose", "abuse"]])
def test_unknown_country_still_gets_the_directory(categories, country):
    chosen = hotlines_for(categories, country)
    assert chosen
    assert any(line.is_directory for line in chosen)
    assert all(line.country == "INTL" for line in chosen)


@pytest.mark.parametrize("country", COVERED)
def test_empty_categories_give_general_lines_first(country):
    chosen = hotlines_for([], country)
    local = [line for line in chosen if line.country != "INTL"]
    assert local, f"{country} should have local lines"
    assert chosen[: len(local)] == local, "local lines come before the directory"
    assert all("general" in line.needs for line in local)
    assert chosen[-1].is_directory


@pytest.mark.parametrize("country", COVERED)
def test_directory_is_always_last(country):
    chosen = hotlines_for(["suicide"], country)
    assert chosen[-1].is_directory
    assert not any(line.is_directory for line in chosen[:-1])


def test_unknown_categories_are_ignored():
    assert hotlines_for(["made_up", "SUICIDE"], "US")[0].id == "us-988"
    assert ids(hotlines_for(["made_up"], "US")) == ids(hotlines_for([], "US"))


def test_category_spelling_is_forgiving():
    assert hotlines_for(["Self-Harm"], "GB")[0].id == "gb-samaritans"
    assert hotlines_for("overdose", "US")[0].id == "us-poison-help"  # a bare string


def test_region_line_not_duplicated_when_country_has_same_number():
    chosen = ids(hotlines_for(["overdose"], "IE"))
    assert "ie-112-999" in chosen and "eu-112" not in chosen


def test_no_duplicates_and_never_empty_anywhere():
    pairs = [list(pair) for pair in itertools.combinations(SITUATIONS, 2)]
    category_sets = [[]] + [[c] for c in SITUATIONS] + pairs
    for country in COVERED + ["ZZ", None]:
        for categories in category_sets:
            chosen = ids(hotlines_for(categories, country))
            assert chosen, (categories, country)
            assert len(chosen) == len(set(chosen)), (categories, country, chosen)


def test_order_is_deterministic():
    first = ids(hotlines_for(["abuse", "suicide", "overdose"], "US"))
    again = ids(hotlines_for(("overdose", "suicide", "abuse"), "us"))
    assert first == again


def test_directory_entries_are_international():
    entries = directory_entries()
    assert entries
    assert all(line.country == "INTL" for line in entries)
    assert entries[0].is_directory
    assert {line.id for line in entries} == {line.id for line in load_hotlines() if line.country == "INTL"}


def test_countries_for_settings_dropdown():
    pairs = countries()
    codes = [code for code, _ in pairs]
    assert ("US", "United States") in pairs and ("GB", "United Kingdom") in pairs
    assert ("DE", "Germany") in pairs  # covered through the EU 112 entry
    assert "INTL" not in codes and "EU" not in codes
    assert len(codes) == len(set(codes))
    names = [name.casefold() for _, name in pairs]
    assert names == sorted(names)


# ---------------------------------------------------------------------------
# A broken file is refused, naming the entry
# ---------------------------------------------------------------------------

GOOD_ENTRY = """
[[hotline]]
id = "xx-good"
name = "Good line"
country = "US"
needs = ["general"]
phone = "555"
phone_dial = "555"
url = "https://example.org/"
hours = "24/7"
source = "https://example.org/"
verified = "2026-11-23"
"""

HEADER = """
[countries]
US = "United States"
"""


def write(tmp_path, body: str):
    path = tmp_path / "hotlines.toml"
    text = textwrap.dedent(HEADER) + textwrap.dedent(GOOD_ENTRY) + textwrap.dedent(body)
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_custom_file_loads(tmp_path):
    path = write(tmp_path, "")
    assert ids(load_hotlines(path)) == ["xx-good"]
    assert ids(hotlines_for([], "US", path=path)) == ["xx-good"]


BAD_ENTRIES = {
    "unknown need tag": ("bad-need", 'needs = ["suicide", "sadness"]', "sadness"),
    "missing field": ("no-hours", None, "hours"),
    "bad date": ("bad-date", 'needs = ["general"]\nverified = "23/11/2026"', "verified"),
    "bad dial": ("bad-dial", 'needs = ["general"]\nphone_dial = "1-800-FOO"', "phone_dial"),
    "unknown field": ("bad-field", 'needs = ["general"]\ncountry_override = 1', "unknown field"),
    "unverified without note": ("no-note", 'needs = ["general"]\nverified = ""', "source_note"),
    "priority for unlisted need": ("bad-priority", 'needs = ["general"]\npriority = { abuse = 1 }', "abuse"),
}


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_bad_file_names_the_entry(tmp_path, case):
    line_id, extra, fragment = BAD_ENTRIES[case]
    lines = [
        "[[hotline]]",
        f'id = "{line_id}"',
        'name = "Broken line"',
        'country = "US"',
        'phone = "555"',
        'phone_dial = "555"',
        'url = "https://example.org/"',
        'source = "https://example.org/"',
    ]
    if case != "missing field":
        lines.append('hours = "24/7"')
    if extra is None:
        lines.append('needs = ["general"]')
        lines.append('verified = "2026-11-23"')
    else:
        if "verified" not in extra:
            lines.append('verified = "2026-11-23"')
        lines.append(extra)
    # later keys override the defaults above, so drop the default phone_dial if a bad one is given
    if "phone_dial =" in (extra or ""):
        lines.remove('phone_dial = "555"')
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ValueError) as excinfo:
        load_hotlines(path)
    message = str(excinfo.value)
    assert line_id in message
    assert fragment in message


def test_duplicate_id_is_refused(tmp_path):
    path = write(tmp_path, GOOD_ENTRY)
    with pytest.raises(ValueError, match="xx-good.*duplicate"):
        load_hotlines(path)


def test_unknown_country_code_is_refused(tmp_path):
    body = GOOD_ENTRY.replace("xx-good", "xx-nowhere").replace('country = "US"', 'country = "ZZ"')
    path = write(tmp_path, body)
    with pytest.raises(ValueError, match="xx-nowhere.*ZZ"):
        load_hotlines(path)
