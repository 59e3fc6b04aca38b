"""Crisis lines: load them from hotlines.toml and pick the right ones for a member.

The numbers live in ``hotlines.toml`` next to this file, not in code, so that a
volunteer can correct a number without touching Python. This module:

* parses and validates that file once (a mistake raises ``ValueError`` naming the
  entry, so a typo can never silently hide a line);
* answers "which lines should this person see first?" via :func:`hotlines_for`.

It deliberately knows nothing about Flask or the database.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = [
    "DEFAULT_PATH",
    "NEED_TAGS",
    "INTERNATIONAL",
    "Hotline",
    "load_hotlines",
    "hotlines_for",
    "directory_entries",
    "countries",
]

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
_TAG_RANK = {tag: rank for rank, tag in enumerate(SITUATION_TAGS + AUDIENCE_TAGS)}

#: Rank given to a need an entry has no explicit priority for.
DEFAULT_PRIORITY = 100

#: Common non-ISO spellings people type.
_COUNTRY_ALIASES = {"UK": "GB"}

_REQUIRED = ("id", "name", "country", "needs", "url", "hours")
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
class _Catalogue:
    hotlines: tuple[Hotline, ...]
    country_names: Mapping[str, str]
    regions: Mapping[str, tuple[str, ...]]


# ---------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------


def load_hotlines(path: str | Path | None = None) -> tuple[Hotline, ...]:
    """Every line in the data file, in file order. Parsed once per path, then cached.

    Raises ``ValueError`` naming the offending entry if the file is invalid.
    """
    return _catalogue(path).hotlines


def _catalogue(path: str | Path | None) -> _Catalogue:
    return _load_catalogue(str(Path(path) if path is not None else DEFAULT_PATH))


@functools.cache
def _load_catalogue(path: str) -> _Catalogue:
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
    return _Catalogue(tuple(hotlines), country_names, regions)


# Let tests (and a reload command) drop the cache.
load_hotlines.cache_clear = _load_catalogue.cache_clear  # type: ignore[attr-defined]


def _parse_countries(raw: Any, path: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: [countries] must be a table of CODE = \"Name\"")
    names: dict[str, str] = {}
    for code, name in raw.items():
        if not _CODE_RE.match(code) or not isinstance(name, str) or not name.strip():
            raise ValueError(f"{path}: [countries] {code!r} needs a two-letter code and a name")
        names[code] = name.strip()
    return names


def _parse_regions(raw: Any, country_names: Mapping[str, str], path: str) -> dict[str, tuple[str, ...]]:
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


def _parse_entry(
    entry: Any,
    index: int,
    country_names: Mapping[str, str],
    regions: Mapping[str, tuple[str, ...]],
) -> Hotline:
    label = f"hotline entry #{index}"
    if not isinstance(entry, dict):
        raise ValueError(f"{label}: must be a table")
    if isinstance(entry.get("id"), str) and entry["id"].strip():
        label = f"{label} ({entry['id'].strip()!r})"

    def fail(message: str) -> ValueError:
        return ValueError(f"{label}: {message}")

    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")

    for key in _REQUIRED:
        if key not in entry:
            raise fail(f"missing required field {key!r}")

    text: dict[str, str] = {}
    for key in ("id", "name", "country", "url", "hours") + _OPTIONAL_STR:
        value = entry.get(key, "")
        if not isinstance(value, str):
            raise fail(f"{key!r} must be a string")
        text[key] = value.strip()
    for key in ("id", "name", "country", "url", "hours"):
        if not text[key]:
            raise fail(f"required field {key!r} is empty")

    if not _ID_RE.match(text["id"]):
        raise fail("id must be a slug: lowercase letters, digits and single dashes")

    country = text["country"]
    if country != INTERNATIONAL and country not in country_names and country not in regions:
        raise fail(f"country {country!r} is not INTL, a region, or listed under [countries]")

    needs = entry["needs"]
    if not isinstance(needs, list) or not needs or not all(isinstance(n, str) for n in needs):
        raise fail("needs must be a non-empty list of tags")
    bad = sorted(set(needs) - NEED_TAGS)
    if bad:
        raise fail(f"unknown need tag(s) {', '.join(bad)}; allowed: {', '.join(sorted(NEED_TAGS))}")
    if len(set(needs)) != len(needs):
        raise fail("needs lists a tag twice")

    for key in ("url", "chat_url", "source"):
        if text[key] and not _URL_RE.match(text[key]):
            raise fail(f"{key} must be an http(s) URL")

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
    if not (text["phone"] or text["sms"] or text["chat_url"] or entry.get("directory")):
        raise fail("a line needs at least one of phone, sms or chat_url")

    languages = entry.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) and x.strip() for x in languages):
        raise fail("languages must be a list of language codes")

    verified = entry.get("verified", "")
    if isinstance(verified, _dt.date) and not isinstance(verified, _dt.datetime):
        verified = verified.isoformat()
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

    directory = entry.get("directory", False)
    if not isinstance(directory, bool):
        raise fail("directory must be true or false")

    raw_priority = entry.get("priority", {})
    if not isinstance(raw_priority, dict):
        raise fail("priority must be a table of need = rank")
    priority: list[tuple[str, int]] = []
    for tag, rank in raw_priority.items():
        if tag not in NEED_TAGS:
            raise fail(f"priority uses unknown need tag {tag!r}")
        if tag not in needs:
            raise fail(f"priority ranks {tag!r}, which is not in this entry's needs")
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
            raise fail(f"priority for {tag!r} must be a whole number from 1")
        priority.append((tag, rank))

    return Hotline(
        id=text["id"],
        name=text["name"],
        country=country,
        needs=tuple(needs),
        url=text["url"],
        hours=text["hours"],
        phone=text["phone"],
        phone_dial=text["phone_dial"],
        sms=text["sms"],
        sms_body=text["sms_body"],
        chat_url=text["chat_url"],
        languages=tuple(x.strip() for x in languages),
        notes=text["notes"],
        source=text["source"],
        verified=verified,
        source_note=text["source_note"],
        directory=directory,
        priority=tuple(sorted(priority)),
    )


# ---------------------------------------------------------------------------
# Choosing lines for a member
# ---------------------------------------------------------------------------


def _normalise_country(country: str | None) -> str | None:
    if not isinstance(country, str):
        return None
    code = country.strip().upper()
    code = _COUNTRY_ALIASES.get(code, code)
    return code or None


def _normalise_categories(categories: Iterable[str] | None) -> tuple[str, ...]:
    if categories is None:
        return ()
    if isinstance(categories, str):  # a single category passed bare
        categories = [categories]
    found = set()
    for category in categories:
        if isinstance(category, str):
            tag = category.strip().lower().replace("-", "_").replace(" ", "_")
            if tag in NEED_TAGS:
                found.add(tag)
    return tuple(sorted(found, key=_TAG_RANK.__getitem__))


def _local_lines(catalogue: _Catalogue, code: str | None) -> list[Hotline]:
    """Lines for one country: its own entries, then entries of regions it belongs to.

    A region line is dropped when the country already lists the same number.
    """
    if code is None or code == INTERNATIONAL:
        return []
    own = [line for line in catalogue.hotlines if line.country == code]
    own_dials = {line.phone_dial for line in own if line.phone_dial}
    for region, members in catalogue.regions.items():
        if code in members:
            own.extend(
                line
                for line in catalogue.hotlines
                if line.country == region and not (line.phone_dial and line.phone_dial in own_dials)
            )
    return own


def hotlines_for(
    categories: Iterable[str],
    country: str | None,
    *,
    path: str | Path | None = None,
) -> list[Hotline]:
    """The lines to show a member, most useful first. Never empty.

    1. Lines in the member's country whose needs match ``categories``, ordered by
       each line's ``priority`` for the matching need (most urgent need breaks ties).
    2. The rest of the country's ``general`` lines.
    3. International directories last, so everyone has somewhere to go.

    ``country`` is an ISO 3166 alpha-2 code, any case; unknown or None means only
    the international entries. Unknown category names are ignored.
    """
    catalogue = _catalogue(path)
    wanted = _normalise_categories(categories)
    local = _local_lines(catalogue, _normalise_country(country))
    position = {line.id: i for i, line in enumerate(local)}

    chosen: list[Hotline] = []
    seen: set[str] = set()

    def take(lines: Iterable[Hotline]) -> None:
        for line in lines:
            if line.id not in seen:
                seen.add(line.id)
                chosen.append(line)

    if wanted:
        def urgency(line: Hotline) -> tuple[int, int, int]:
            best = min((line.priority_for(tag), _TAG_RANK[tag]) for tag in wanted if tag in line.needs)
            return (*best, position[line.id])

        take(sorted((line for line in local if set(line.needs) & set(wanted)), key=urgency))

    take(
        sorted(
            (line for line in local if "general" in line.needs),
            key=lambda line: (line.priority_for("general"), position[line.id]),
        )
    )
    take(_international(catalogue))
    return chosen


def _international(catalogue: _Catalogue) -> list[Hotline]:
    lines = [line for line in catalogue.hotlines if line.country == INTERNATIONAL]
    # Directories first: they are what someone outside our covered countries needs.
    return sorted(lines, key=lambda line: not line.is_directory)


def directory_entries(*, path: str | Path | None = None) -> list[Hotline]:
    """International entries ("INTL"): directories first, then any worldwide lines."""
    return _international(_catalogue(path))


def countries(*, path: str | Path | None = None) -> list[tuple[str, str]]:
    """(code, display name) for every country with at least one line, sorted by name.

    Members of a region (e.g. EU countries via 112) count as having a line.
    """
    catalogue = _catalogue(path)
    codes: set[str] = set()
    for line in catalogue.hotlines:
        if line.country in catalogue.country_names:
            codes.add(line.country)
        elif line.country in catalogue.regions:
            codes.update(catalogue.regions[line.country])
    pairs = [(code, catalogue.country_names[code]) for code in codes]
    return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))
