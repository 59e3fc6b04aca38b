"""Pure: read what a member typed into the search box as words, phrases, "or" and "-", and mark up snippets.

Nothing a member types reaches a database's query syntax as it was typed. Only runs of letters and digits
survive (so FTS5 operators, column filters, `*`, `^`, `NEAR(` and stray quotes are plain text or nothing),
then each backend writes the parsed query in its own syntax from those words alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

#: A longer query is cut here (and the member told): nobody's search needs more, and the cost stays small.
MAX_QUERY_CHARACTERS = 300
#: Words and phrases searched at most; the rest are dropped (and the member told).
MAX_TERMS = 12
#: Words kept from one quoted phrase.
MAX_PHRASE_WORDS = 12

# One alternation scanned left to right: a quoted phrase (closing quote required, so an unbalanced quote
# is plain text) or a word, each with an optional leading minus. No nested quantifiers: linear time.
_TERM = re.compile(r'(?:(?<!\w)(-))?(?:"([^"]*)"|(\w+))')
_WORD = re.compile(r"\w+")

#: Private-use characters the databases put around a highlighted word; only these become <mark>.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
_MARKS = re.compile(f"[{MARK_START}{MARK_STOP}]")


#: Words too common to tell posts apart, left out of single-word terms as PostgreSQL's English dictionary
#: leaves them out (a phrase keeps them: "one day at a time"). On SQLite "the" alone matched every post.
COMMON_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves
""".split())


@dataclass(frozen=True)
class Term:
    """A word, or the words of a quoted phrase in order; `excluded` for a leading minus."""

    words: tuple[str, ...]
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    """Alternatives (split by "or"), each a list of terms that must all match (minus the excluded ones)."""

    alternatives: tuple[tuple[Term, ...], ...]
    #: True when the query was cut to MAX_QUERY_CHARACTERS or MAX_TERMS.
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.alternatives


def clean_query(text: str | None) -> str:
    """The text as searched: characters no database can store dropped, spaces collapsed."""
    text = re.sub("[\x00\ud800-\udfff]", "", text or "")
    return " ".join(text.split())


def parse_query(text: str | None) -> ParsedQuery:
    """Read a search query the way websearch_to_tsquery does: words, "quoted phrases", `or`, `-word`.

    Alternatives left with no word to look for (only exclusions) are dropped; an empty result means there
    was nothing searchable.
    """
    text = clean_query(text)
    shortened = len(text) > MAX_QUERY_CHARACTERS
    text = text[:MAX_QUERY_CHARACTERS]
    alternatives: list[tuple[Term, ...]] = []
    current: list[Term] = []
    terms_kept = 0
    for match in _TERM.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None and word.casefold() == "or" and not minus:
            alternatives.append(tuple(current))
            current = []
            continue
        words = tuple(_WORD.findall(phrase)[:MAX_PHRASE_WORDS]) if phrase is not None else (word,)
        if not words:
            continue
        if terms_kept == MAX_TERMS:
            shortened = True
            break
        current.append(Term(words=words, excluded=bool(minus)))
        terms_kept += 1
    alternatives.append(tuple(current))
    searchable = tuple(terms for terms in alternatives if any(not term.excluded for term in terms))
    return ParsedQuery(alternatives=searchable, shortened=shortened)


def without_common_words(parsed: ParsedQuery) -> ParsedQuery:
    """The query minus single words in COMMON_WORDS; alternatives left with nothing to look for go too."""
    alternatives = []
    for terms in parsed.alternatives:
        kept = tuple(term for term in terms if term.is_phrase or term.words[0].casefold() not in COMMON_WORDS)
        if any(not term.excluded for term in kept):
            alternatives.append(kept)
    return ParsedQuery(alternatives=tuple(alternatives), shortened=parsed.shortened)


def fts5_query(parsed: ParsedQuery) -> str:
    """The query in SQLite FTS5 syntax: every word a quoted string, so none is read as an operator."""

    def quoted(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'  # words hold no quote: \\w never matches one

    alternatives = []
    for terms in parsed.alternatives:
        wanted = " AND ".join(quoted(term) for term in terms if not term.excluded)
        unwanted = " OR ".join(quoted(term) for term in terms if term.excluded)
        alternatives.append(f"({wanted}) NOT ({unwanted})" if unwanted else f"({wanted})")
    return " OR ".join(alternatives)


def websearch_text(parsed: ParsedQuery) -> str:
    """The query rewritten for PostgreSQL's websearch_to_tsquery from the parsed words alone."""

    def written(term: Term) -> str:
        words = " ".join(term.words)
        return ("-" if term.excluded else "") + (f'"{words}"' if term.is_phrase else words)

    return " or ".join(" ".join(written(term) for term in terms) for terms in parsed.alternatives)


def highlighted(raw: str | None) -> Markup:
    """Escape a snippet the database marked with MARK_START/MARK_STOP, turning only those marks into <mark>.

    A member's own text could hold the mark characters; whatever they hold, the result is escaped text with
    balanced <mark> elements and nothing else.
    """
    parts: list[str] = []
    inside = False
    position = 0
    for match in _MARKS.finditer(raw or ""):
        parts.append(str(escape(raw[position:match.start()])))
        position = match.end()
        opening = match.group() == MARK_START
        if opening and not inside:
            parts.append("<mark>")
            inside = True
        elif not opening and inside:
            parts.append("</mark>")
            inside = False
    parts.append(str(escape((raw or "")[position:])))
    if inside:
        parts.append("</mark>")
    return Markup("".join(parts).replace("<mark></mark>", ""))
