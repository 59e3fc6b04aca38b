"""Categories decide which help the forum shows first, so pills need care.

"overdose" leads the help panel with Poison Control: right for pills taken
or being taken now, wrong for planning.  Saving pills, setting them out or
meaning to take them is suicidal planning: "suicide".  Both at once get both.
"""

from __future__ import annotations

import pytest

from forum.crisis import Category, Level
from forum.crisis import assess_lexicon as assess

SUICIDE, OVERDOSE = Category.SUICIDE, Category.OVERDOSE

PLANNING = [
    "I've been saving my pills for weeks now.",
    "I've been stockpiling my meds just in case.",
    "Been hoarding my sleeping pills for a month.",
    "I have the pills lined up on my desk.",
    "I counted out all my pills.",
    "I'm going to take all my pills tonight.",
    "I want to overdose.",
    "Thinking about overdosing tonight.",
    "I'll overdose tonight, I've decided.",
    "I have a bottle of pills in front of me and I want to die.",
]

TAKEN_NOW = [
    "I took too many pills an hour ago.",
    "I took the whole bottle twenty minutes ago.",
    "i od'd an hour ago",
    "I swallowed a handful of pills just now.",
    "I think I'm overdosing right now.",
    "I overdosed tonight and I'm scared.",
]

BOTH = [
    "I took them all because I want to die.",
    "I swallowed a handful of pills because I want to kill myself.",
    "I took the whole bottle tonight. I don't want to live anymore.",
]


@pytest.mark.parametrize("text", PLANNING)
def test_planning_with_pills_is_suicide_not_overdose(text):
    result = assess(text)
    assert result.level is Level.CRISIS, text
    assert SUICIDE in result.categories and OVERDOSE not in result.categories, result.to_dict()


@pytest.mark.parametrize("text", TAKEN_NOW)
def test_pills_taken_now_are_overdose(text):
    result = assess(text)
    assert result.level is Level.CRISIS, text
    assert OVERDOSE in result.categories and SUICIDE not in result.categories, result.to_dict()


@pytest.mark.parametrize("text", BOTH)
def test_taken_and_wanting_to_die_is_both(text):
    result = assess(text)
    assert result.level is Level.CRISIS
    assert {SUICIDE, OVERDOSE} <= result.categories, result.to_dict()


@pytest.mark.parametrize("text, level", [
    ("I took them all.", Level.CONCERN),            # "them" may not be pills
    ("I took them all an hour ago.", Level.CRISIS),
    ("I took them all to the park and they loved it.", Level.NONE),
    ("We took it all in at the museum.", Level.NONE),
])
def test_took_them_all(text, level):
    assert assess(text).level is level, assess(text).to_dict()
