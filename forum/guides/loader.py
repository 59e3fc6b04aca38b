"""Read the treatment guides (Markdown files with TOML front matter) and refuse any that are malformed.

Pure: no Flask. A guide file looks like this::

    +++
    title = "The levels of care"
    summary = "One or two sentences for the index and for search."
    tags = ["Addiction", "Recovery"]
    last_reviewed = 2026-12-01
    sources = [
      { name = "Who published it, and what", url = "https://example.org/article" },
    ]
    +++
    The guide, in Markdown.

The file name (without ``.md``) is the guide's address: ``levels-of-care.md`` is ``/guides/levels-of-care``.

Besides the front matter, the body must carry what every guide promises a reader: the words "not medical
advice" and a link to the help page. Checking it here means a guide missing them stops the app at start-up,
in review, rather than reaching someone who needed that line.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from forum.hashtags import hashtag_error, hashtag_key

#: Where the guides that ship with Kindred live.
LIBRARY_DIR = Path(__file__).resolve().parent / "library"

FENCE = "+++"
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_TITLE = 100
MAX_SUMMARY = 300
MAX_SOURCE_NAME = 200
REQUIRED_FIELDS = ("title", "summary", "tags", "last_reviewed", "sources")
#: What a reader must find in every guide's body, and how to say it is missing.
REQUIRED_IN_BODY = (
    (re.compile(r"not medical advice", re.IGNORECASE), 'the line "this is not medical advice"'),
    (re.compile(r"\]\(/help\)"), "a Markdown link to the help page, written [words](/help)"),
)


class GuideError(ValueError):
    """A guide file that cannot be published; the message names the file and the field."""

    def __init__(self, path: Path, field: str | None, problem: str) -> None:
        self.path, self.field, self.problem = path, field, problem
        where = f"field '{field}'" if field else "file"
        super().__init__(f"Treatment guide {path}: {where}: {problem}")


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    #: Hashtag names as written in the front matter, without '#'.
    tags: tuple[str, ...]
    last_reviewed: dt.date
    sources: tuple[Source, ...]
    #: The Markdown after the front matter.
    body: str

    def has_tag(self, name: str) -> bool:
        key = hashtag_key(name)
        return any(hashtag_key(tag) == key for tag in self.tags)


def split_front_matter(path: Path, text: str) -> tuple[str, str]:
    """Return (front matter, body) of a guide's text."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise GuideError(path, None, f"must begin with a line '{FENCE}' that opens the front matter")
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE:
            return "".join(lines[1:number]), "".join(lines[number + 1:])
    raise GuideError(path, None, f"the front matter is never closed by a second '{FENCE}' line")


def _text_field(path: Path, meta: dict, field: str, limit: int) -> str:
    value = meta[field]
    if not isinstance(value, str) or not value.strip():
        raise GuideError(path, field, "must be a non-empty string")
    if len(value) > limit:
        raise GuideError(path, field, f"is {len(value)} characters long; keep it to {limit}")
    return " ".join(value.split())


def _tags(path: Path, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise GuideError(path, "tags", 'must be a non-empty list of hashtags, e.g. ["Addiction", "Recovery"]')
    seen: set[str] = set()
    for tag in value:
        if not isinstance(tag, str):
            raise GuideError(path, "tags", f"{tag!r} is not a string")
        if tag.startswith("#"):
            raise GuideError(path, "tags", f"write {tag!r} without its '#'")
        problem = hashtag_error(tag)
        if problem:
            raise GuideError(path, "tags", f"{tag!r} is not a valid hashtag: {problem}")
        if hashtag_key(tag) in seen:
            raise GuideError(path, "tags", f"{tag!r} is listed twice")
        seen.add(hashtag_key(tag))
    return tuple(value)


def _last_reviewed(path: Path, value: object) -> dt.date:
    # TOML gives a bare 2026-12-01 as a date; a quoted one is a string, and a time of day means a datetime.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise GuideError(path, "last_reviewed", "must be a date written without quotes, like 2026-12-01")
    return value


def _sources(path: Path, value: object) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise GuideError(path, "sources", "must list at least one source the facts come from")
    sources = []
    for number, entry in enumerate(value, start=1):
        field = f"sources[{number}]"
        if not isinstance(entry, dict) or set(entry) != {"name", "url"}:
            raise GuideError(path, field, 'must be a table with exactly a name and a url: { name = "…", url = "…" }')
        name, url = entry["name"], entry["url"]
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_SOURCE_NAME:
            raise GuideError(path, f"{field}.name", f"must be a non-empty string of at most {MAX_SOURCE_NAME} "
                                                    "characters")
        if not isinstance(url, str) or not re.fullmatch(r"https?://[^\s<>\"']+\.[^\s<>\"']+", url):
            raise GuideError(path, f"{field}.url", f"{url!r} is not an http(s) address")
        sources.append(Source(" ".join(name.split()), url))
    return tuple(sources)


def parse_guide(path: Path, text: str) -> Guide:
    """Parse and validate one guide; raise GuideError naming the file and the field at fault."""
    slug = path.stem
    if not SLUG_RE.fullmatch(slug):
        raise GuideError(path, None, "the file name must be lowercase words joined by '-' (it becomes the "
                                     "guide's address), e.g. levels-of-care.md")
    front, body = split_front_matter(path, text)
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise GuideError(path, None, f"the front matter is not valid TOML ({error})") from None
    for field in REQUIRED_FIELDS:
        if field not in meta:
            raise GuideError(path, field, "is missing")
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS))
    if unknown:  # a misspelt field would otherwise be silently ignored
        raise GuideError(path, unknown[0], f"is not a guide field (expected: {', '.join(REQUIRED_FIELDS)})")
    if not body.strip():
        raise GuideError(path, "body", "the guide has no text after its front matter")
    for pattern, what in REQUIRED_IN_BODY:
        if not pattern.search(body):
            raise GuideError(path, "body", f"must contain {what}")
    return Guide(
        slug=slug,
        title=_text_field(path, meta, "title", MAX_TITLE),
        summary=_text_field(path, meta, "summary", MAX_SUMMARY),
        tags=_tags(path, meta["tags"]),
        last_reviewed=_last_reviewed(path, meta["last_reviewed"]),
        sources=_sources(path, meta["sources"]),
        body=body.strip() + "\n",
    )


class GuideLibrary:
    """Every guide, in title order, looked up by slug or by tag."""

    def __init__(self, guides: Iterable[Guide]) -> None:
        self.guides: tuple[Guide, ...] = tuple(sorted(guides, key=lambda guide: guide.title.casefold()))
        self._by_slug = {guide.slug: guide for guide in self.guides}

    def __iter__(self):
        return iter(self.guides)

    def __len__(self) -> int:
        return len(self.guides)

    def get(self, slug: str) -> Guide | None:
        return self._by_slug.get(slug)

    def tagged(self, name: str) -> list[Guide]:
        """The guides carrying a hashtag, matched the way hashtags are (case- and width-insensitive): first
        those that list it first (mostly about it), then by title."""
        key = hashtag_key(name)
        carrying = [guide for guide in self.guides if guide.has_tag(name)]
        return sorted(carrying, key=lambda guide: [hashtag_key(tag) for tag in guide.tags].index(key))

    def tag_names(self) -> list[str]:
        """Every tag some guide carries, first spelling kept, in alphabetical order."""
        names: dict[str, str] = {}
        for guide in self.guides:
            for tag in guide.tags:
                names.setdefault(hashtag_key(tag), tag)
        return sorted(names.values(), key=str.casefold)


def load_library(directory: Path = LIBRARY_DIR) -> GuideLibrary:
    """Load every ``*.md`` guide in directory; raise GuideError at the first malformed one."""
    paths = sorted(Path(directory).glob("*.md"))
    if not paths:
        raise GuideError(Path(directory), None, "holds no guides (*.md files)")
    guides = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise GuideError(path, None, f"is not UTF-8 text ({error.reason})") from None
        guides.append(parse_guide(path, text))
    return GuideLibrary(guides)


#: Libraries already loaded in this process, by directory and the name, size and time of each file in it.
_loaded: dict[tuple, GuideLibrary] = {}


def load_library_once(directory: Path = LIBRARY_DIR) -> GuideLibrary:
    """load_library, parsed again only when a guide file changes: every app built in one process (the test
    suite builds thousands) shares the checked library instead of parsing it again each time."""
    directory = Path(directory)
    files = sorted(directory.glob("*.md"))
    key = (str(directory.resolve()), tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size)
                                           for path in files))
    library = _loaded.get(key)
    if library is None:
        library = load_library(directory)  # raises for a malformed guide: nothing is remembered then
        if len(_loaded) > 8:
            _loaded.clear()
        _loaded[key] = library
    return library
