"""Search on SQLite: the FTS5 table `search_documents`, which triggers keep in step with posts and replies."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import bindparam, column, func, literal_column, select, table, text

from forum.extensions import db
from forum.models import Post, Reply
from forum.services.search.query import MARK_START, MARK_STOP, ParsedQuery, fts5_query, without_common_words
from forum.services.search.schema import SQLITE_TABLE

documents = table(SQLITE_TABLE, column("rowid"), column("title"), column("body"), column("tags"))
_fts = literal_column(SQLITE_TABLE)
#: How much more a word counts in each column: a title match outranks a body match, and a hashtag sits
#: between them. bm25 is "lower is better", so scores are its negation.
TITLE_WEIGHT, BODY_WEIGHT, TAGS_WEIGHT = 10.0, 1.0, 4.0
#: Words around each highlighted stretch of body text.
SNIPPET_WORDS = 24
REINDEX_BATCH = 500

# Tags of a post as the migration's triggers write them.
_TAGS_OF_POST = ("coalesce((SELECT group_concat(hashtags.name, ' ') FROM post_hashtags "
                 "JOIN hashtags ON hashtags.id = post_hashtags.hashtag_id "
                 "WHERE post_hashtags.post_id = posts.id), '')")


def _matching(parsed: ParsedQuery):
    return _fts.op("MATCH")(bindparam("search_query", fts5_query(without_common_words(parsed))))


def _scored(parsed: ParsedQuery):
    score = -func.bm25(_fts, TITLE_WEIGHT, BODY_WEIGHT, TAGS_WEIGHT)
    return select(documents.c.rowid, score.label("score")).select_from(documents).where(_matching(parsed))


class SqliteSearch:
    name = "sqlite"

    def newest_posts(self, parsed: ParsedQuery, shown, newest: int, limit: int):
        """(post_id, score) of the newest `limit` posts up to id `newest` whose title, body or hashtags match,
        among those the statement `shown` (on posts, with the viewer's filters) finds.

        FTS5 hands out matches in rowid order, so SQLite walks the index newest first, looks each post up
        and stops after `limit`; bm25 is computed for those alone.
        """
        score = -func.bm25(_fts, TITLE_WEIGHT, BODY_WEIGHT, TAGS_WEIGHT)
        return (shown.add_columns(documents.c.rowid.label("post_id"), score.label("score"))
                .join(documents, documents.c.rowid == Post.id)
                .where(_matching(parsed), documents.c.rowid > 0, documents.c.rowid <= newest)
                .order_by(documents.c.rowid.desc()).limit(limit))

    def newest_replies(self, parsed: ParsedQuery, shown, newest: int, limit: int):
        """(reply_id, score) of the newest `limit` matching replies up to id `newest` that `shown` (on
        replies) finds. A reply's rowid is minus its id, so the newest come first in ascending order."""
        score = -func.bm25(_fts, TITLE_WEIGHT, BODY_WEIGHT, TAGS_WEIGHT)
        return (shown.add_columns((-documents.c.rowid).label("reply_id"), score.label("score"))
                .join(documents, Reply.id == -documents.c.rowid)
                .where(_matching(parsed), documents.c.rowid < 0, documents.c.rowid >= -newest)
                .order_by(documents.c.rowid.asc()).limit(limit))

    def only_common_words(self, parsed: ParsedQuery) -> bool:
        """Whether every word is one like "the" or "and", which would match nearly every post."""
        return without_common_words(parsed).is_empty

    def marked_texts(self, parsed: ParsedQuery, post_ids: Iterable[int], reply_ids: Iterable[int]) -> dict:
        """{(kind, id): (title marked up, body snippet marked up)}; marks are MARK_START/MARK_STOP."""
        rowids = [*post_ids, *(-reply_id for reply_id in reply_ids)]
        if not rowids:
            return {}
        stmt = (select(documents.c.rowid,
                       func.highlight(_fts, 0, MARK_START, MARK_STOP),
                       func.snippet(_fts, 1, MARK_START, MARK_STOP, "…", SNIPPET_WORDS))
                .select_from(documents).where(_matching(parsed), documents.c.rowid.in_(rowids)))
        marked = {}
        for rowid, title, snippet in db.session.execute(stmt):
            marked[("post", rowid) if rowid > 0 else ("reply", -rowid)] = (title, snippet)
        return marked

    def reindex_steps(self) -> int:
        return db.session.scalar(text("SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM replies)"))

    def reindex(self, advance: Callable[[int], None]) -> int:
        """Write every post and reply into the index afresh; return how many documents it holds."""
        session = db.session
        session.execute(text(f"DELETE FROM {SQLITE_TABLE}"))
        written = 0
        for source, statement in (
            ("posts", f"INSERT INTO {SQLITE_TABLE} (rowid, title, body, tags) "
                      f"SELECT id, title, body, {_TAGS_OF_POST} FROM posts WHERE id > :low AND id <= :high"),
            ("replies", f"INSERT INTO {SQLITE_TABLE} (rowid, title, body, tags) "
                        "SELECT -id, '', body, '' FROM replies WHERE id > :low AND id <= :high"),
        ):
            highest = session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {source}"))
            for low in range(0, highest, REINDEX_BATCH):
                result = session.execute(text(statement), {"low": low, "high": low + REINDEX_BATCH})
                written += result.rowcount
                advance(result.rowcount)
        # Merge the index's segments into one: faster searches, and deleted words' old entries are dropped.
        session.execute(text(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('optimize')"))
        return written
