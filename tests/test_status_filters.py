"""Who sees what is decided in forum/services/visibility.py only: no other service filters posts or replies by
status itself (the rule from issue 16; a hand-written `status == visible` once let blocks and mutes through)."""
import re
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parent.parent / "forum" / "services"
#: A status used in a query: a column compared or tested for membership (`Post.status == …`, `.status.in_(…)`),
#: or `filter_by(status=…)`. Attributes of a loaded row (`content.status == …`) are lower-case and not matched:
#: they read a status already fetched, often just before writing it.
STATUS_FILTER = re.compile(r"\b[A-Z]\w*\.status\s*(==|!=)|\b[A-Z]\w*\.status\.(in_|not_in|is_|is_not)\("
                           r"|\bfilter_by\([^)]*\bstatus\s*=")
#: (file under forum/services, text on the line): why that status filter isn't a question of who sees what.
ALLOWED = {
    ("moderation/queue.py", "ModerationItem.status"): "an item's open/resolved is the moderation queue's state",
    ("moderation/alerts.py", "ModerationItem.status"): "alerts go out for open queue items only",
    ("safety.py", "ModerationItem.status"): "open queue items, as above",
    ("moderation/welfare.py", "ModerationItem.status"): "a welfare check is kept only for an open queue item",
    ("watched.py", "Post.status != PostStatus.REMOVED"):
        "hold-first-posts counts what a member wrote before, unless removed: a moderation rule, not a view",
}


def status_filters(root: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name == "visibility.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if STATUS_FILTER.search(line) and not any(name == allowed and text in line for allowed, text in ALLOWED):
                found.append((name, number, line.strip()))
    return found


def test_no_service_but_visibility_filters_by_status():
    assert status_filters(SERVICES) == []


def test_every_allowed_filter_is_still_there():
    """An entry whose line has gone is stale: drop it, so the list only excuses what exists."""
    lines = {path.relative_to(SERVICES).as_posix(): path.read_text(encoding="utf-8") for path in SERVICES.rglob("*.py")}
    assert [key for key in ALLOWED if key[1] not in lines.get(key[0], "")] == []


@pytest.mark.parametrize("line", [
    "stmt.where(Post.status == PostStatus.VISIBLE.value)",
    "select(Reply).where(Reply.status != 'hidden')",
    "query.where(Post.status.in_(shown))",
    "Post.query.filter_by(author_id=1, status='visible')",
])
def test_the_pattern_finds_status_filters(tmp_path, line):
    (tmp_path / "feeds.py").write_text(line + "\n", encoding="utf-8")
    assert status_filters(tmp_path) == [("feeds.py", 1, line)]


def test_the_pattern_leaves_rows_and_new_rows_alone(tmp_path):
    (tmp_path / "posts.py").write_text("if content.status == 'visible':\n"
                                       "    post = Post(status=PostStatus.VISIBLE.value)\n", encoding="utf-8")
    assert status_filters(tmp_path) == []
