"""The house's shape: shared web helpers live below the blueprints, so no blueprint imports another."""
import ast
from pathlib import Path

import pytest

FORUM = Path(__file__).resolve().parent.parent / "forum"
#: One package per area of the site, each holding its blueprint.
BLUEPRINT_PACKAGES = ("account", "api", "auth", "feed", "flags", "guides", "help", "moderation", "notifications",
                      "people", "posts", "search", "tags")
#: Pure modules that live inside an area's package and hold no blueprint (forum/guides/__init__.py says so).
PURE_MODULES = {"forum.guides.loader", "forum.guides.search"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("area", BLUEPRINT_PACKAGES)
def test_no_blueprint_imports_another(area):
    others = {f"forum.{other}" for other in BLUEPRINT_PACKAGES if other != area}
    crossing = sorted(f"{path.relative_to(FORUM.parent)} imports {module}"
                      for path in (FORUM / area).rglob("*.py") for module in imported_modules(path)
                      if module not in PURE_MODULES and any(module == o or module.startswith(o + ".") for o in others))
    assert crossing == []


def test_only_the_sanitiser_knows_bleach():
    # One module holds the allow-list and every call to bleach, so the sanitiser can be swapped in one place.
    importers = sorted(str(path.relative_to(FORUM.parent)) for path in FORUM.rglob("*.py")
                       if any(module == "bleach" or module.startswith("bleach.") for module in imported_modules(path)))
    assert importers == ["forum/sanitise.py"]
