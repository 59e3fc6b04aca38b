"""Full-text search over posts, replies and their hashtags: one interface, a backend per database.

`search()` answers the search page, `search_data()` the same as plain data (for the JSON API). Both take
the viewer and apply forum.services.visibility, so search shows exactly what the site's lists would.
Results are ordered by (score, kind, id), highest first, and paged by that key: another source (treatment
guides, say) can be merged in by giving its results a kind and a score on the same scale.

Only the newest NEWEST_MATCHES matching posts, and as many replies, that the viewer may see are ranked: on a
word found all over the forum a member gets the best matches among the recent ones (and a notice saying so),
not the best of all time. The cursor carries the newest ids of the first page, so every page ranks the same
window.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import and_, case, func, literal_column, not_, or_, select, union_all
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Post, Reply, User, post_hashtags, utcnow
from forum.pagination import BadCursor, decode_cursor, encode_cursor
from forum.services.accounts import find_member
from forum.services.following import not_muted
from forum.services.search.postgres import PostgresSearch
from forum.services.search.query import (
    MAX_QUERY_CHARACTERS,
    MAX_TERMS,
    ParsedQuery,
    clean_query,
    highlighted,
    parse_query,
)
from forum.services.search.sqlite import SqliteSearch
from forum.services.tags import known_hashtag
from forum.services.visibility import shows_activity, visible_posts, visible_replies

#: The time filter's choices: how far back results may have been written.
WITHIN = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=31),
          "year": timedelta(days=366)}
#: Results per page at most, whatever a caller asks for.
MAX_PER_PAGE = 50
#: A cursor is the last result's (score, kind, id), then the newest post and reply ids its search ranked.
CURSOR_KINDS = (float, str, int, int, int)
#: A cursor made before searches ranked the newest matches only (a page open across the upgrade).
OLD_CURSOR_KINDS = (float, str, int)
#: Matching posts, and as many replies, ranked at most: the newest that the viewer may see. A search ranks
#: the best among them, so on a word found in much of the forum older matches are not found (and the page
#: says so); narrowing by tag, author or time reaches back further. Config SEARCH_NEWEST_MATCHES overrides it.
NEWEST_MATCHES = 2000


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search: a hashtag, an author, how recent, and whether muted tags may show."""

    tag: str = ""
    author: str = ""
    within: str = ""
    include_muted: bool = False

    @classmethod
    def from_query(cls, args) -> SearchFilters:
        """The filters as the search page and the API take them from a query string (any mapping)."""
        within = args.get("within", "")
        return cls(tag=args.get("tag", "")[:100], author=args.get("author", "")[:100],
                   within=within if within in WITHIN else "", include_muted=args.get("muted") == "1")


@dataclass(frozen=True)
class SearchResult:
    """One thing found. `kind` says what it is ("post", "reply"; later sources add their own)."""

    kind: str
    id: int
    #: The post to open: the post itself, or the one a reply answers.
    post_id: int
    #: The title with the query's words in <mark>; everything else escaped.
    title_html: Markup
    #: A stretch of the text around the matches, marked up the same way.
    snippet_html: Markup
    author: str
    #: "member", "moderator" or "admin": staff carry their role wherever their name shows.
    author_role: str
    created_at: datetime
    #: The post's (or reply's) content warning: pages fold the snippet behind it as they fold the post.
    content_warning: str
    tags: tuple[str, ...]
    score: float
    #: "visible", or the status of the viewer's own post or reply that others can't see yet.
    status: str = "visible"


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    next_cursor: str | None
    #: Calm words for the member about their query ("those words are too common…"); never an error.
    notices: tuple[str, ...] = ()
    #: The query as searched (unstorable characters dropped, spaces collapsed).
    query: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)


def newest_matches() -> int:
    """How many of the newest matching posts (and replies) a search ranks: see NEWEST_MATCHES."""
    # The one Flask touch in this module, kept lazy so the service stays usable without an app.
    from flask import current_app, has_app_context

    return int(current_app.config.get("SEARCH_NEWEST_MATCHES", NEWEST_MATCHES)) if has_app_context() \
        else NEWEST_MATCHES


def _decoded(cursor: str) -> tuple:
    """The cursor's values; one made by the old code ranks from today's newest, as its first page did."""
    try:
        return decode_cursor(cursor, CURSOR_KINDS)
    except BadCursor:
        return (*decode_cursor(cursor, OLD_CURSOR_KINDS), None, None)


def backend():
    """The search implementation for the database in use."""
    return PostgresSearch() if db.engine.dialect.name == "postgresql" else SqliteSearch()


def search(viewer: User | None, text: str | None, filters: SearchFilters | None = None,
           cursor: str | None = None, per_page: int = 20) -> SearchPage:
    """Find what the viewer may see that matches `text`, best first. Raises BadCursor for a cursor not ours."""
    filters = filters or SearchFilters()
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    after = _decoded(cursor) if cursor else None
    parsed = parse_query(text)
    query = clean_query(text)
    notices: list[str] = []
    if parsed.shortened:
        notices.append(f"That was a long search, so we looked for its first {MAX_TERMS} words or phrases "
                       f"within its first {MAX_QUERY_CHARACTERS} characters.")
    if parsed.is_empty:
        if query:
            notices.append("We couldn't find any words to search for there. Try a word or two, like "
                           "“sleep” or “first week sober”.")
        return SearchPage([], None, tuple(notices), query, filters)
    search_backend = backend()
    if search_backend.only_common_words(parsed):
        notices.append("Those words are too common to search for on their own. Add a word that says more "
                       "about what you're looking for.")
        return SearchPage([], None, tuple(notices), query, filters)
    narrowing, problem = _narrowing(viewer, filters)
    if problem:
        return SearchPage([], None, (*notices, problem), query, filters)
    ranked = _ranked(search_backend, parsed, viewer, filters, narrowing, after, per_page + 1)
    more = len(ranked.rows) > per_page
    rows = ranked.rows[:per_page]
    results = _results(search_backend, parsed, rows)
    next_cursor = encode_cursor((rows[-1].score, rows[-1].kind, rows[-1].id, ranked.newest_post,
                                 ranked.newest_reply)) if more else None
    if ranked.window_full:
        notices.append(f"Lots of posts and replies match that, so these are the best matches among the most "
                       f"recent {newest_matches():,} of each. Add a word, a tag or an author to find older ones.")
    return SearchPage(results, next_cursor, tuple(notices), query, filters)


def search_data(viewer: User | None, text: str | None, filters: SearchFilters | None = None,
                cursor: str | None = None, per_page: int = 20) -> dict:
    """search() as plain data for the JSON API: strings, numbers, lists and dicts only."""
    page = search(viewer, text, filters, cursor, per_page)
    return {
        "query": page.query,
        "notices": list(page.notices),
        "next_cursor": page.next_cursor,
        "results": [{"kind": r.kind, "id": r.id, "post_id": r.post_id, "title_html": str(r.title_html),
                     "snippet_html": str(r.snippet_html), "author": r.author, "author_role": r.author_role,
                     "created_at": r.created_at.isoformat(), "content_warning": r.content_warning,
                     "tags": list(r.tags), "score": r.score, "status": r.status} for r in page.results],
    }


@dataclass(frozen=True)
class _Narrowing:
    author_id: int | None = None
    tag_id: int | None = None
    since: datetime | None = None


def _narrowing(viewer: User | None, filters: SearchFilters) -> tuple[_Narrowing, str | None]:
    """The filters as ids and a time, or a calm word about the one that names nothing."""
    author_id = tag_id = since = None
    if filters.author.strip():
        name = filters.author.strip().lstrip("@")
        author = find_member(name)
        # An author filter lists a member's posts and replies as their profile would, so it keeps "Keep my
        # activity private" as the profile does. One answer for both cases: a different one would tell the
        # setting to anyone who tried the name.
        if author is None or not shows_activity(viewer, author):
            return _Narrowing(), f"Nothing by “{name}” matched. Check the spelling?"
        author_id = author.id
    if filters.tag.strip():
        name = filters.tag.strip().lstrip("#")
        tag = known_hashtag(viewer, name)
        if tag is None:
            return _Narrowing(), f"There's no #{name} tag yet, so nothing matched."
        tag_id = tag.id
    if filters.within in WITHIN:
        since = utcnow() - WITHIN[filters.within]
    return _Narrowing(author_id, tag_id, since), None


@dataclass(frozen=True)
class _Ranked:
    rows: list
    #: Whether the posts' or the replies' window was full: older matches were left unranked.
    window_full: bool
    #: The newest post and reply ids the window could hold, for the next page's cursor.
    newest_post: int
    newest_reply: int


def _newest_first_bounds(after: tuple | None) -> tuple[int, int]:
    """The newest post and reply ids a search may rank: the cursor's, or today's highest on a first page.

    Carried in the cursor so that every page ranks the same window: a post written while the member pages
    doesn't push an older match out of it (which would be a gap) or show up between pages.
    """
    if after is not None and after[3] is not None:
        return after[3], after[4]
    newest = db.session.execute(select(select(func.max(Post.id)).scalar_subquery(),
                                       select(func.max(Reply.id)).scalar_subquery())).one()
    return newest[0] or 0, newest[1] or 0


def _ranked(search_backend, parsed: ParsedQuery, viewer: User | None, filters: SearchFilters,
            narrowing: _Narrowing, after: tuple | None, limit: int) -> _Ranked:
    """(kind, id, score) rows the viewer may see, best first, starting after the cursor's key, and the
    newest post and reply ids the search ranked from (for the next cursor).

    Only the newest newest_matches() posts and as many replies that match (and the viewer may see, through
    the filters) are ranked: a word found in half the forum would otherwise have every match scored before
    the first page. A member sees the best matches among those; the page says so when there were more.
    """
    newest_post, newest_reply = _newest_first_bounds(after)
    window = newest_matches()

    def on_post(post_filters: list) -> list:
        clauses = [visible_posts(viewer)]
        if not filters.include_muted:
            clauses.append(not_muted(viewer))
        if narrowing.tag_id is not None:
            clauses.append(Post.id.in_(select(post_hashtags.c.post_id)
                                       .where(post_hashtags.c.hashtag_id == narrowing.tag_id)))
        return clauses + post_filters

    def own_filters(model) -> list:
        clauses = []
        if narrowing.author_id is not None:
            clauses.append(model.author_id == narrowing.author_id)
        if narrowing.since is not None:
            clauses.append(model.created_at >= narrowing.since)
        return clauses

    post_scores = search_backend.newest_posts(
        parsed, select().select_from(Post).where(*on_post(own_filters(Post))), newest_post, window + 1).subquery()
    reply_scores = search_backend.newest_replies(
        parsed, select().select_from(Reply).join(Post, Post.id == Reply.post_id)
        .where(Reply.deleted_at.is_(None), visible_replies(viewer), *on_post(own_filters(Reply))),
        newest_reply, window + 1).subquery()
    found = union_all(
        select(literal_column("'post'").label("kind"), post_scores.c.post_id.label("id"), post_scores.c.score),
        select(literal_column("'reply'").label("kind"), reply_scores.c.reply_id.label("id"), reply_scores.c.score),
    ).subquery()

    def counted(kind: str):
        return func.sum(case((found.c.kind == kind, 1), else_=0)).over()

    # Each kind was walked one past the window, so that the page knows whether older matches were left out;
    # that oldest one is not ranked. Counted before the cursor leaves out earlier pages' rows.
    windowed = select(found, counted("post").label("posts"), counted("reply").label("replies"),
                      func.min(found.c.id).over(partition_by=found.c.kind).label("oldest")).subquery()
    walked_past = case((windowed.c.kind == "post", windowed.c.posts), else_=windowed.c.replies) > window
    stmt = (select(windowed.c.kind, windowed.c.id, windowed.c.score, windowed.c.posts, windowed.c.replies)
            .where(not_(and_(walked_past, windowed.c.id == windowed.c.oldest))))
    if after is not None:
        score, kind, key = after[:3]
        # (score, kind, id) < the cursor's, spelled out: both databases read it the same way.
        stmt = stmt.where(or_(windowed.c.score < score,
                              and_(windowed.c.score == score, windowed.c.kind < kind),
                              and_(windowed.c.score == score, windowed.c.kind == kind, windowed.c.id < key)))
    stmt = stmt.order_by(windowed.c.score.desc(), windowed.c.kind.desc(), windowed.c.id.desc()).limit(limit)
    rows = list(db.session.execute(stmt))
    full = bool(rows) and (rows[0].posts > window or rows[0].replies > window)
    return _Ranked(rows, full, newest_post, newest_reply)


def _results(search_backend, parsed: ParsedQuery, rows: list) -> list[SearchResult]:
    """The rows as results, in their order, with the backend's highlighted titles and snippets."""
    post_ids = [row.id for row in rows if row.kind == "post"]
    reply_ids = [row.id for row in rows if row.kind == "reply"]
    # No query for a kind the page found none of (most searches find posts or replies, not both).
    posts = {post.id: post for post in db.session.scalars(select(Post).where(Post.id.in_(post_ids)))} \
        if post_ids else {}
    replies = {reply.id: reply for reply in db.session.scalars(
        select(Reply).where(Reply.id.in_(reply_ids)).options(joinedload(Reply.post)))} if reply_ids else {}
    marked = search_backend.marked_texts(parsed, post_ids, reply_ids)
    results = []
    for row in rows:
        title, snippet = marked.get((row.kind, row.id), (None, None))
        if row.kind == "post":
            results.append(_post_result(posts[row.id], title, snippet, row.score))
        else:
            results.append(_reply_result(replies[row.id], snippet, row.score))
    return results


def _post_result(post: Post, title: str | None, snippet: str | None, score: float) -> SearchResult:
    return SearchResult(
        kind="post", id=post.id, post_id=post.id,
        title_html=highlighted(title) if title else escape(post.title),
        snippet_html=highlighted(snippet) if snippet else escape(post.excerpt),
        author=post.author.username, author_role=post.author.role, created_at=post.created_at,
        content_warning=post.content_warning, tags=tuple(tag.name for tag in post.hashtags), score=score,
        status=post.status)


def _reply_result(reply: Reply, snippet: str | None, score: float) -> SearchResult:
    return SearchResult(
        kind="reply", id=reply.id, post_id=reply.post_id, title_html=escape(reply.post.title),
        snippet_html=highlighted(snippet) if snippet else escape(reply.body[:200]),
        author=reply.author.username, author_role=reply.author.role, created_at=reply.created_at,
        # A reply sits under its post's warning as well as its own.
        content_warning=reply.content_warning or reply.post.content_warning,
        tags=tuple(tag.name for tag in reply.post.hashtags), score=score, status=reply.status)


def reindex(advance: Callable[[int], None] = lambda done: None) -> int:
    """Rebuild the search index from the posts and replies (a repair tool: writes keep it in step)."""
    return backend().reindex(advance)


def reindex_steps() -> int:
    """How many steps reindex() will report: documents on SQLite, indexes on PostgreSQL."""
    return backend().reindex_steps()
