"""Find treatment guides by the words of a query: titles first, then tags, summaries and text.

Pure: no Flask. The site's search calls `search_guides(library, query)` and shows the matches beside posts.

Ranking, in order: how many of the query's distinct words a guide holds anywhere (so a guide with every
word beats one with only some), then a weighted score where a word in the title counts most and a word only
in the body least. Words are lightly stemmed ("relapsed", "relapses" and "relapsing" are one word) and
British and American spellings of "-ise/-isation" and "programme" meet, since members write both.
"""
from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from forum.guides.loader import Guide, GuideLibrary
from forum.rendering import markdown_to_text

#: How much one occurrence of a query word counts in each part of a guide.
WEIGHTS = {"title": 12, "tags": 6, "summary": 4, "body": 1}
#: Past this many occurrences in the body, more say nothing new about relevance.
BODY_CAP = 3
#: A query longer than this many distinct words is cut: nobody searches guides with a paragraph.
MAX_QUERY_WORDS = 24
SNIPPET_CHARS = 200

_WORD_RE = re.compile(r"\w+")
STOP_WORDS = frozenset("""
    a about after all am an and any are as at be been before being but by can could did do does for from had
    has have how i if in into is it its me my no not of on or our out over so than that the their them then
    there these they this those to too up us was we were what when where which who why will with would you your
""".split())


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """Reduce a lowercase word to a rough stem: enough to join a word's common forms, not a linguist."""
    word = word.replace("isation", "ization")
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("es"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if word.endswith("is") and len(word) > 5:
        word = word[:-2] + "iz"  # hospitalise / hospitalize after the -e is gone
    if word.endswith("mm"):
        word = word[:-1]  # programme / program
    return word


def terms(text: str) -> list[str]:
    """The stemmed words of a text, stop-words dropped, in order."""
    return [stem(word) for word in _WORD_RE.findall(text.casefold()) if word not in STOP_WORDS]


@dataclass(frozen=True)
class GuideMatch:
    """One guide found by a query, as plain data for any page or API to show."""
    slug: str
    title: str
    summary: str
    #: Plain text (no HTML) from the guide around the first query word, or its summary.
    snippet: str


@dataclass(frozen=True)
class _IndexedGuide:
    guide: Guide
    counts: dict[str, Counter]
    #: The body as plain text, and where each of its words starts, for snippets.
    text: str
    word_starts: tuple[tuple[str, int], ...]


def _index(guide: Guide) -> _IndexedGuide:
    text = markdown_to_text(guide.body)
    starts = tuple((stem(match.group().casefold()), match.start()) for match in _WORD_RE.finditer(text))
    counts = {
        "title": Counter(terms(guide.title)),
        "tags": Counter(term for tag in guide.tags for term in terms(_split_camel_case(tag))),
        "summary": Counter(terms(guide.summary)),
        "body": Counter(terms(text)),
    }
    return _IndexedGuide(guide, counts, text, starts)


def _split_camel_case(tag: str) -> str:
    """'BipolarDisorder' -> 'Bipolar Disorder', so a tag's words are found one by one."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tag) + " " + tag


# Indexed once per library (a library never changes), and forgotten with it.
_indexes: weakref.WeakKeyDictionary[GuideLibrary, tuple[_IndexedGuide, ...]] = weakref.WeakKeyDictionary()


def _indexed(library: GuideLibrary) -> tuple[_IndexedGuide, ...]:
    indexed = _indexes.get(library)
    if indexed is None:
        indexed = _indexes[library] = tuple(_index(guide) for guide in library)
    return indexed


def _snippet(indexed: _IndexedGuide, wanted: set[str]) -> str:
    start = next((offset for term, offset in indexed.word_starts if term in wanted), None)
    if start is None:
        return indexed.guide.summary
    begin = max(0, start - SNIPPET_CHARS // 3)
    if begin:  # start on a word boundary
        space = indexed.text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = min(len(indexed.text), begin + SNIPPET_CHARS)
    if end < len(indexed.text):
        space = indexed.text.rfind(" ", begin, end)
        end = space if space > start else end
    return ("…" if begin else "") + indexed.text[begin:end].strip() + ("…" if end < len(indexed.text) else "")


def search_guides(library: GuideLibrary, query: str, *, limit: int = 5) -> list[GuideMatch]:
    """Return the guides that match any word of query, best first, at most limit of them.

    Any string is a fair query: operators, quotes and junk are only words or nothing; a query of only
    stop-words or punctuation finds nothing.
    """
    wanted = list(dict.fromkeys(terms(query[:2000])))[:MAX_QUERY_WORDS]
    if not wanted or limit < 1:
        return []
    ranked = []
    for position, indexed in enumerate(_indexed(library)):
        matched = score = 0
        for term in wanted:
            found = False
            for part, weight in WEIGHTS.items():
                count = indexed.counts[part][term]
                if count:
                    found = True
                    score += weight * (min(count, BODY_CAP) if part == "body" else 1)
            matched += found
        if matched:
            ranked.append((-matched, -score, position, indexed))
    ranked.sort(key=lambda row: row[:3])
    return [
        GuideMatch(indexed.guide.slug, indexed.guide.title, indexed.guide.summary, _snippet(indexed, set(wanted)))
        for *_, indexed in ranked[:limit]
    ]
