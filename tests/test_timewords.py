"""Lengths of time in words: one rule for a post's age ("5 minutes ago"), a queue item's wait ("waiting 5 minutes")
and a usual wait ("about 3 hours"), all in forum.timewords."""
from datetime import datetime, timedelta, timezone

import pytest

from forum.timewords import about_how_long, for_how_long, how_long, how_long_ago, wait_in_words
from forum.web import timeago

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("span,words", [
    (timedelta(seconds=59), None),
    (timedelta(minutes=1), "1 minute"),
    (timedelta(minutes=1, seconds=59), "1 minute"),
    (timedelta(minutes=50), "50 minutes"),
    (timedelta(minutes=119), "1 hour"),
    (timedelta(hours=3), "3 hours"),
    (timedelta(hours=47), "1 day"),
    (timedelta(days=3), "3 days"),
    (timedelta(days=14), "2 weeks"),
    (timedelta(days=60), "2 months"),
    (timedelta(days=365), "1 year"),
    (timedelta(days=800), "2 years"),
])
def test_a_span_is_told_in_its_largest_whole_unit(span, words):
    assert how_long(span) == words


@pytest.mark.parametrize("ago,words", [
    (timedelta(seconds=0), "just now"),
    (timedelta(seconds=59), "just now"),
    (timedelta(minutes=5), "5 minutes ago"),
    (timedelta(days=1), "1 day ago"),
])
def test_how_long_ago_says_it_as_people_do(ago, words):
    assert how_long_ago(NOW - ago, NOW) == words


def test_the_timeago_filter_says_the_same_and_nothing_for_no_moment():
    assert timeago(NOW - timedelta(minutes=5), now=NOW) == "5 minutes ago"
    assert timeago(None) == ""


def test_a_moment_in_the_future_is_just_now():
    assert how_long_ago(NOW + timedelta(minutes=5), NOW) == "just now"


@pytest.mark.parametrize("span", [timedelta(minutes=m) for m in (1, 7, 61, 60 * 30, 60 * 24 * 9, 60 * 24 * 400)])
def test_a_wait_an_estimate_and_an_age_say_the_same_length_of_time(span):
    age = how_long_ago(NOW - span, NOW).removesuffix(" ago")
    assert (for_how_long(span), about_how_long(span)) == (age, "about " + age)


def test_under_a_minute_is_said_plainly():
    assert (for_how_long(timedelta(seconds=20)), about_how_long(timedelta(seconds=20))) == \
        ("under a minute", "about 1 minute")


@pytest.mark.parametrize("seconds,words", [
    (1, "less than a minute"),
    (59, "less than a minute"),
    (60, "about a minute"),
    (61, "about 2 minutes"),
    (299, "about 5 minutes"),
    (600, "about 10 minutes"),
    (601, "about 15 minutes"),  # past ten minutes, the next five
    (2580, "about 45 minutes"),
    (2700, "about an hour"),
    (3494, "about an hour"),  # the audit's case: it said "Wait a minute"
    (3600, "about an hour"),
    (7200, "about 2 hours"),
])
def test_a_wait_is_told_rounded_up_to_minutes_and_near_an_hour_in_hours(seconds, words):
    assert wait_in_words(seconds) == words


def test_a_wait_in_minutes_is_never_told_shorter_than_it_is():
    for seconds in range(60, 44 * 60 + 1):  # from 45 minutes on it is told in hours
        told = wait_in_words(seconds)
        minutes = 1 if told == "about a minute" else int(told.split()[1])
        assert minutes * 60 >= seconds, (seconds, told)
