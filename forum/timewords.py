"""Lengths of time in words, the way people say them: one rule for "5 minutes ago" and "about 3 hours"."""
from __future__ import annotations

from datetime import timedelta

#: The units a length of time is told in, largest first (a month is 30 days, a year 365).
UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
         ("day", 86400), ("hour", 3600), ("minute", 60))


def how_long(span: timedelta) -> str | None:
    """Say the span in its largest whole unit, rounded down ("1 minute", "5 hours", "2 weeks"); None under a
    minute."""
    seconds = span.total_seconds()
    for unit, size in UNITS:
        if seconds >= size:
            amount = int(seconds // size)
            return f"{amount} {unit}{'s' if amount != 1 else ''}"
    return None
