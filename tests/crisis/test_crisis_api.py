"""The public API: types, ordering, immutability, serialisation, no Flask."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

import forum.crisis as crisis
from forum.crisis import Assessment, Category, Level, Match
from forum.crisis import assess_lexicon as assess

ROOT = Path(__file__).resolve().parents[2]


def test_exports():
    for name in ("assess", "Assessment", "Level", "Category", "Match",
                 "Hotline", "load_hotlines", "hotlines_for", "directory_entries"):
        assert hasattr(crisis, name), name


def test_level_is_ordered():
    assert Level.NONE < Level.CONCERN < Level.CRISIS
    assert Level.CRISIS >= Level.CONCERN and not Level.NONE > Level.CONCERN
    assert [lv.rank for lv in Level] == [0, 1, 2]
    assert Level.max(Level.CONCERN, Level.CRISIS, Level.NONE) is Level.CRISIS
    assert Level.max() is Level.NONE
    assert sorted([Level.CRISIS, Level.NONE, Level.CONCERN]) == [Level.NONE, Level.CONCERN, Level.CRISIS]
    assert Level("crisis") is Level.CRISIS and Level.CRISIS == "crisis"


def test_str_enums_hash_like_their_values():
    assert "suicide" in frozenset({Category.SUICIDE})
    assert {Level.CRISIS: 1}["crisis"] == 1


def test_assessment_is_frozen():
    result = assess("I want to die")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = Level.NONE  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.matches[0].start = 0  # type: ignore[misc]
    assert isinstance(result.categories, frozenset)
    assert isinstance(result.matches, tuple)


def test_to_dict_is_json_ready():
    text = "My dad hits me. I want to die."
    result = assess(text)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["level"] == "crisis"
    assert data["categories"] == ["abuse", "suicide"]
    first = data["matches"][0]
    assert set(first) == {"phrase", "category", "level", "start", "end", "rule", "notes"}
    for m in data["matches"]:
        assert text[m["start"]:m["end"]] == m["phrase"]
    assert [m["start"] for m in data["matches"]] == sorted(m["start"] for m in data["matches"])


def test_convenience_flags():
    assert assess("I want to die").is_crisis
    assert assess("what's the point").is_concern
    assert assess("what's the point").needs_attention
    none = assess("Lovely walk today.")
    assert none == Assessment() and not none.needs_attention
    assert none.to_dict() == {"level": "none", "categories": [], "matches": []}


def test_match_fields():
    m = assess("I want to kill myself").matches[0]
    assert isinstance(m, Match)
    assert m.category is Category.SUICIDE and m.level is Level.CRISIS
    assert m.rule.startswith("suicide.")


def test_distress_matches_have_no_category():
    result = assess("I feel so hopeless")
    assert result.level is Level.CONCERN
    assert result.categories == frozenset()
    assert result.matches[0].category is None


@pytest.mark.parametrize("bad", [None, b"I want to die", 42])
def test_rejects_non_strings(bad):
    with pytest.raises(TypeError):
        assess(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "#", "💊", "\x00", "a" * 20000])
def test_edge_inputs(text):
    assert assess(text).level in set(Level)


def test_package_imports_no_flask():
    # forum/__init__.py builds the Flask app; load forum.crisis under an empty
    # stand-in parent package so only the crisis package's own imports count.
    code = (
        "import sys, types\n"
        "parent = types.ModuleType('forum')\n"
        f"parent.__path__ = [{str(ROOT / 'forum')!r}]\n"
        "sys.modules['forum'] = parent\n"
        "import forum.crisis\n"
        "forum.crisis.assess('I want to die')\n"
        "bad = [m for m in sys.modules if m == 'flask' or m.startswith('flask.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_warm_up_loads_the_hotlines_before_any_help_card():
    from forum.crisis import hotline_file

    crisis.load_hotlines.cache_clear()
    crisis.warm_up()
    loaded = hotline_file._load_catalogue.cache_info()
    crisis.hotlines_for(["suicide"], "US")
    assert loaded.currsize == 1
    assert hotline_file._load_catalogue.cache_info().misses == loaded.misses  # nothing parsed on the way
