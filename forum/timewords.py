"""Lengths of time in words, the way people say them: the one place that words "5 minutes ago", "waiting 5
minutes" and "about 3 hours", so a post's age, a queue item's wait and a usual wait never disagree."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

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


def how_long_ago(moment: datetime, now: datetime) -> str:
    """Say how long before `now` the moment was: "just now", "5 minutes ago", "3 days ago" (a moment in the
    future, from a clock a little ahead, is "just now" too)."""
    words = how_long(now - moment)
    return f"{words} ago" if words else "just now"


def for_how_long(span: timedelta) -> str:
    """Say how long something has lasted so far: "5 minutes", "under a minute"."""
    return how_long(span) or "under a minute"


def about_how_long(span: timedelta) -> str:
    """Say an estimate, never more precise than a minute: "about 40 minutes", "about 3 hours"."""
    return f"about {how_long(span) or '1 minute'}"


def wait_in_words(seconds: float) -> str:
    """Say how long to wait before trying again: "less than a minute", "about 5 minutes", "about an hour".

    Minutes are rounded up, never down: told "about 5 minutes" when 7 remain, a member tries too soon and is
    turned away again. From three quarters of an hour on, the nearest whole hour is close enough (the site's
    limits last an hour at most).
    """
    if seconds < 60:
        return "less than a minute"
    minutes = math.ceil(seconds / 60)
    if minutes >= 45:
        hours = max(1, round(seconds / 3600))
        return "about an hour" if hours == 1 else f"about {hours} hours"
    if minutes > 10:
        minutes = math.ceil(minutes / 5) * 5
    return "about a minute" if minutes == 1 else f"about {minutes} minutes"
