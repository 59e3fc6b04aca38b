"""The crisis-line data file: read ``hotlines.toml`` and refuse it if anything is wrong.

Each check names the offending entry in its ``ValueError``, so a typo can never
silently hide a line. Choosing which lines a member sees lives in
:mod:`forum.crisis.hotlines`; this module only turns the file into
:class:`Hotline` values. It imports no Flask and nothing from ``hotlines``.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

DEFAULT_PATH = Path(__file__).with_name("hotlines.toml")

#: Country value for lines that serve everyone, whatever their country.
INTERNATIONAL = "INTL"

#: Situations a line helps with, in the order we treat them as most urgent
#: when several apply at once (a physical emergency first).
SITUATION_TAGS: tuple[str, ...] = (
    "overdose",
    "suicide",
    "self_harm",
    "abuse",
    "sexual_assault",
    "substance_use",
    "general",
)
#: Who a line is specially for.
AUDIENCE_TAGS: tuple[str, ...] = ("lgbtq", "veterans", "youth", "indigenous")
NEED_TAGS: frozenset[str] = frozenset(SITUATION_TAGS + AUDIENCE_TAGS)

#: Rank given to a need an entry has no explicit priority for.
DEFAULT_PRIORITY = 100

_REQUIRED = ("id", "name", "country", "needs", "url", "hours")
#: Required fields that hold text (``needs`` is a list).
_REQUIRED_TEXT = ("id", "name", "country", "url", "hours")
_OPTIONAL_STR = (
    "phone", "phone_dial", "sms", "sms_body", "chat_url", "notes", "source", "source_note",
)
_KNOWN_KEYS = frozenset(_REQUIRED + _OPTIONAL_STR + ("languages", "verified", "priority", "directory"))

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^[A-Z]{2}$")
_DIAL_RE = re.compile(r"^\+?[0-9]+$")
_SMS_RE = re.compile(r"^[0-9]+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://\S+$")

#: Builds the error for one entry from a message; the caller raises it.
_Fail = Callable[[str], ValueError]


@dataclass(frozen=True)
class Hotline:
    """One crisis line, as shown to a member. Immutable and hashable."""

    id: str
    name: str
    country: str
    needs: tuple[str, ...]
    url: str
    hours: str
    phone: str = ""
    phone_dial: str = ""
    sms: str = ""
    sms_body: str = ""
    chat_url: str = ""
    languages: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""
    verified: str = ""
    source_note: str = ""
    directory: bool = False
    priority: tuple[tuple[str, int], ...] = field(default=(), repr=False)

    @property
    def tel_href(self) -> str | None:
        """``tel:`` link for the phone number, or None if the line has no phone."""
        return f"tel:{self.phone_dial}" if self.phone_dial else None

    @property
    def sms_href(self) -> str | None:
        """``sms:`` link (``sms:741741?body=HOME``), or None if the line takes no texts."""
        if not self.sms:
            return None
        if self.sms_body:
            return f"sms:{self.sms}?body={quote(self.sms_body, safe='')}"
        return f"sms:{self.sms}"

    @property
    def is_directory(self) -> bool:
        """True for "find a helpline near you" directories rather than a line you call."""
        return self.directory

    @property
    def is_verified(self) -> bool:
        return bool(self.verified)

    def priority_for(self, need: str) -> int:
        """Rank of this line for one need inside its country (lower comes first)."""
        for tag, rank in self.priority:
            if tag == need:
                return rank
        return DEFAULT_PRIORITY


@dataclass(frozen=True)
class Catalogue:
    """Everything one data file holds: its lines, country names and regions."""

    hotlines: tuple[Hotline, ...]
    country_names: Mapping[str, str]
    regions: Mapping[str, tuple[str, ...]]


# ---------------------------------------------------------------------------
# The file as a whole
# ---------------------------------------------------------------------------


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Parse the data file at ``path`` (default: the shipped one), once per path."""
    return _load_catalogue(str(Path(path) if path is not None else DEFAULT_PATH))


@functools.cache
def _load_catalogue(path: str) -> Catalogue:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc

    country_names = _parse_countries(data.get("countries", {}), path)
    regions = _parse_regions(data.get("regions", {}), country_names, path)

    raw = data.get("hotline")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{path}: expected at least one [[hotline]] entry")

    hotlines: list[Hotline] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        line = _parse_entry(entry, index, country_names, regions)
        if line.id in seen:
            raise ValueError(f"hotline entry #{index} ({line.id!r}): duplicate id")
        seen.add(line.id)
        hotlines.append(line)
    return Catalogue(tuple(hotlines), country_names, regions)


# Let tests (and a reload command) drop the cache.
load_catalogue.cache_clear = _load_catalogue.cache_clear  # type: ignore[attr-defined]


def _parse_countries(raw: Any, path: str) -> dict[str, str]:
    """Read ``[countries]``: two-letter code to display name."""
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: [countries] must be a table of CODE = \"Name\"")
    names: dict[str, str] = {}
    for code, name in raw.items():
        if not _CODE_RE.match(code) or not isinstance(name, str) or not name.strip():
            raise ValueError(f"{path}: [countries] {code!r} needs a two-letter code and a name")
        names[code] = name.strip()
    return names


def _parse_regions(raw: Any, country_names: Mapping[str, str], path: str) -> dict[str, tuple[str, ...]]:
    """Read ``[regions]``: a code (e.g. EU) to the listed countries it covers."""
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: [regions] must be a table of REGION = [codes]")
    regions: dict[str, tuple[str, ...]] = {}
    for code, members in raw.items():
        if not _CODE_RE.match(code) or not isinstance(members, list) or not members:
            raise ValueError(f"{path}: region {code!r} needs a two-letter code and a list of members")
        for member in members:
            if member not in country_names:
                raise ValueError(f"{path}: region {code!r} lists {member!r}, which is not in [countries]")
        regions[code] = tuple(members)
    return regions


# ---------------------------------------------------------------------------
# One [[hotline]] entry
# ---------------------------------------------------------------------------


def _parse_entry(
    entry: Any,
    index: int,
    country_names: Mapping[str, str],
    regions: Mapping[str, tuple[str, ...]],
) -> Hotline:
    """Validate one ``[[hotline]]`` table and build its line; checks run in a fixed order."""
    if not isinstance(entry, dict):
        raise ValueError(f"hotline entry #{index}: must be a table")
    fail = _entry_fail(entry, index)

    _check_field_names(entry, fail)
    text = _parse_text_fields(entry, fail)
    _check_id(text["id"], fail)
    _check_country(text["country"], country_names, regions, fail)
    needs = _parse_needs(entry["needs"], fail)
    _check_urls(text, fail)
    _check_contact(text, bool(entry.get("directory")), fail)
    languages = _parse_languages(entry.get("languages", []), fail)
    verified = _parse_verified(entry.get("verified", ""), text, fail)
    directory = _parse_directory(entry.get("directory", False), fail)
    priority = _parse_priority(entry.get("priority", {}), needs, fail)

    return Hotline(
        id=text["id"],
        name=text["name"],
        country=text["country"],
        needs=needs,
        url=text["url"],
        hours=text["hours"],
        phone=text["phone"],
        phone_dial=text["phone_dial"],
        sms=text["sms"],
        sms_body=text["sms_body"],
        chat_url=text["chat_url"],
        languages=languages,
        notes=text["notes"],
        source=text["source"],
        verified=verified,
        source_note=text["source_note"],
        directory=directory,
        priority=priority,
    )


def _entry_fail(entry: dict[str, Any], index: int) -> _Fail:
    """Make the error builder for an entry, naming it by number and, if it has one, id."""
    label = f"hotline entry #{index}"
    if isinstance(entry.get("id"), str) and entry["id"].strip():
        label = f"{label} ({entry['id'].strip()!r})"
    return lambda message: ValueError(f"{label}: {message}")


def _check_field_names(entry: dict[str, Any], fail: _Fail) -> None:
    """Refuse unknown fields (likely typos) and missing required ones."""
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")
    for key in _REQUIRED:
        if key not in entry:
            raise fail(f"missing required field {key!r}")


def _parse_text_fields(entry: dict[str, Any], fail: _Fail) -> dict[str, str]:
    """Every text field, stripped (absent optional ones as ""); required ones non-empty."""
    text: dict[str, str] = {}
    for key in _REQUIRED_TEXT + _OPTIONAL_STR:
        value = entry.get(key, "")
        if not isinstance(value, str):
            raise fail(f"{key!r} must be a string")
        text[key] = value.strip()
    for key in _REQUIRED_TEXT:
        if not text[key]:
            raise fail(f"required field {key!r} is empty")
    return text


def _check_id(line_id: str, fail: _Fail) -> None:
    """Require a slug id, so it is safe in URLs and stable in tests."""
    if not _ID_RE.match(line_id):
        raise fail("id must be a slug: lowercase letters, digits and single dashes")


def _check_country(
    country: str,
    country_names: Mapping[str, str],
    regions: Mapping[str, tuple[str, ...]],
    fail: _Fail,
) -> None:
    """Require INTL, a region, or a country listed under ``[countries]``."""
    if country != INTERNATIONAL and country not in country_names and country not in regions:
        raise fail(f"country {country!r} is not INTL, a region, or listed under [countries]")


def _parse_needs(needs: Any, fail: _Fail) -> tuple[str, ...]:
    """A non-empty list of known need tags, each listed once."""
    if not isinstance(needs, list) or not needs or not all(isinstance(n, str) for n in needs):
        raise fail("needs must be a non-empty list of tags")
    bad = sorted(set(needs) - NEED_TAGS)
    if bad:
        raise fail(f"unknown need tag(s) {', '.join(bad)}; allowed: {', '.join(sorted(NEED_TAGS))}")
    if len(set(needs)) != len(needs):
        raise fail("needs lists a tag twice")
    return tuple(needs)


def _check_urls(text: Mapping[str, str], fail: _Fail) -> None:
    """Require http(s) for the line's page, its chat and its source."""
    for key in ("url", "chat_url", "source"):
        if text[key] and not _URL_RE.match(text[key]):
            raise fail(f"{key} must be an http(s) URL")


def _check_contact(text: Mapping[str, str], is_directory: bool, fail: _Fail) -> None:
    """Check phone and SMS pair up and are dialable; a line (not a directory) needs a way in."""
    if text["phone"] and not text["phone_dial"]:
        raise fail("phone is set but phone_dial (digits for the tel: link) is missing")
    if text["phone_dial"] and not _DIAL_RE.match(text["phone_dial"]):
        raise fail("phone_dial may contain only digits and an optional leading '+'")
    if text["phone_dial"] and not text["phone"]:
        raise fail("phone_dial is set but there is no display phone")
    if text["sms"] and not _SMS_RE.match(text["sms"]):
        raise fail("sms may contain only digits")
    if text["sms_body"] and not text["sms"]:
        raise fail("sms_body is set but there is no sms number")
    if not (text["phone"] or text["sms"] or text["chat_url"] or is_directory):
        raise fail("a line needs at least one of phone, sms or chat_url")


def _parse_languages(languages: Any, fail: _Fail) -> tuple[str, ...]:
    """A list of non-blank language codes, stripped."""
    if not isinstance(languages, list) or not all(isinstance(x, str) and x.strip() for x in languages):
        raise fail("languages must be a list of language codes")
    return tuple(x.strip() for x in languages)


def _parse_verified(verified: Any, text: Mapping[str, str], fail: _Fail) -> str:
    """The date a person last checked the line ("" if never), and what backs it up.

    A verified line must name the page checked (``source``); an unverified one
    must say in ``source_note`` what was checked instead.
    """
    if isinstance(verified, _dt.date) and not isinstance(verified, _dt.datetime):
        verified = verified.isoformat()  # TOML's bare dates arrive as date objects
    if not isinstance(verified, str):
        raise fail("verified must be a date string YYYY-MM-DD or \"\"")
    verified = verified.strip()
    if verified:
        if not _DATE_RE.match(verified):
            raise fail(f"verified {verified!r} is not a YYYY-MM-DD date")
        try:
            _dt.date.fromisoformat(verified)
        except ValueError:
            raise fail(f"verified {verified!r} is not a real date") from None
        if not text["source"]:
            raise fail("verified is set but source (the page checked) is empty")
    else:
        if not text["source_note"]:
            raise fail("not verified: source_note must say what was checked instead")
    if not text["source"] and not text["source_note"]:
        raise fail("needs a source URL or a source_note")
    return verified


def _parse_directory(directory: Any, fail: _Fail) -> bool:
    """Whether the entry is a "find a helpline" directory: a real boolean."""
    if not isinstance(directory, bool):
        raise fail("directory must be true or false")
    return directory


def _parse_priority(raw: Any, needs: tuple[str, ...], fail: _Fail) -> tuple[tuple[str, int], ...]:
    """``need = rank`` pairs (rank from 1), only for needs this entry lists; sorted."""
    if not isinstance(raw, dict):
        raise fail("priority must be a table of need = rank")
    priority: list[tuple[str, int]] = []
    for tag, rank in raw.items():
        if tag not in NEED_TAGS:
            raise fail(f"priority uses unknown need tag {tag!r}")
        if tag not in needs:
            raise fail(f"priority ranks {tag!r}, which is not in this entry's needs")
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
            raise fail(f"priority for {tag!r} must be a whole number from 1")
        priority.append((tag, rank))
    return tuple(sorted(priority))
