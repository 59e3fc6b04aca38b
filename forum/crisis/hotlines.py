"""Crisis lines: load them from hotlines.toml and pick the right ones for a member.

The numbers live in ``hotlines.toml`` next to this file, not in code, so that a
volunteer can correct a number without touching Python. This module:

* parses and validates that file once (a mistake raises ``ValueError`` naming the
  entry, so a typo can never silently hide a line) via :func:`load_hotlines`; the
  checks themselves live in :mod:`forum.crisis.hotline_file`;
* answers "which lines should this person see first?" via :func:`hotlines_for`.

It deliberately knows nothing about Flask or the database.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from forum.crisis.hotline_file import (
    AUDIENCE_TAGS,
    DEFAULT_PATH,
    DEFAULT_PRIORITY,  # noqa: F401  (still importable from here)
    INTERNATIONAL,
    NEED_TAGS,
    SITUATION_TAGS,
    Catalogue,
    Hotline,
    load_catalogue,
)

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

_TAG_RANK = {tag: rank for rank, tag in enumerate(SITUATION_TAGS + AUDIENCE_TAGS)}

#: Common non-ISO spellings people type.
_COUNTRY_ALIASES = {"UK": "GB"}


def load_hotlines(path: str | Path | None = None) -> tuple[Hotline, ...]:
    """Every line in the data file, in file order. Parsed once per path, then cached.

    Raises ``ValueError`` naming the offending entry if the file is invalid.
    """
    return load_catalogue(path).hotlines


# Let tests (and a reload command) drop the cache.
load_hotlines.cache_clear = load_catalogue.cache_clear  # type: ignore[attr-defined]


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


def _local_lines(catalogue: Catalogue, code: str | None) -> list[Hotline]:
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
    catalogue = load_catalogue(path)
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


def _international(catalogue: Catalogue) -> list[Hotline]:
    lines = [line for line in catalogue.hotlines if line.country == INTERNATIONAL]
    # Directories first: they are what someone outside our covered countries needs.
    return sorted(lines, key=lambda line: not line.is_directory)


def directory_entries(*, path: str | Path | None = None) -> list[Hotline]:
    """International entries ("INTL"): directories first, then any worldwide lines."""
    return _international(load_catalogue(path))


def countries(*, path: str | Path | None = None) -> list[tuple[str, str]]:
    """(code, display name) for every country with at least one line, sorted by name.

    Members of a region (e.g. EU countries via 112) count as having a line.
    """
    catalogue = load_catalogue(path)
    codes: set[str] = set()
    for line in catalogue.hotlines:
        if line.country in catalogue.country_names:
            codes.add(line.country)
        elif line.country in catalogue.regions:
            codes.update(catalogue.regions[line.country])
    pairs = [(code, catalogue.country_names[code]) for code in codes]
    return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))
