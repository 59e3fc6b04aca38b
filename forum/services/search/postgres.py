"""Search on PostgreSQL: generated tsvector columns with GIN indexes, websearch_to_tsquery and ts_headline."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Float, bindparam, case, cast, func, literal_column, select, text, union

from forum.extensions import db
from forum.models import Hashtag, Post, Reply, post_hashtags
from forum.services.search.query import MARK_START, MARK_STOP, ParsedQuery, websearch_text
from forum.services.search.schema import POSTGRES_COLUMN, POSTGRES_INDEXES

ENGLISH = literal_column("'english'::regconfig")
post_vector = literal_column(f"posts.{POSTGRES_COLUMN}")
reply_vector = literal_column(f"replies.{POSTGRES_COLUMN}")
#: Added to a post's rank when one of its hashtags answers the query (ts_rank gives a title word about 0.6
#: and a body word about 0.1).
TAG_BONUS = 0.3
TITLE_OPTIONS = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_STOP}"
SNIPPET_OPTIONS = (f'StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, '
                   f'FragmentDelimiter=" … "')


def _tsquery(parsed: ParsedQuery):
    return func.websearch_to_tsquery(ENGLISH, bindparam("search_query", websearch_text(parsed)))


def _tagged_posts(parsed: ParsedQuery):
    """Posts carrying a hashtag whose name alone matches the whole query: few tags, read once per search."""
    tag_ids = select(Hashtag.id).where(func.to_tsvector(ENGLISH, Hashtag.name).op("@@")(_tsquery(parsed)))
    return select(post_hashtags.c.post_id).where(post_hashtags.c.hashtag_id.in_(tag_ids))


class PostgresSearch:
    name = "postgresql"

    def newest_posts(self, parsed: ParsedQuery, shown, newest: int, limit: int):
        """(post_id, score) of the newest `limit` posts up to id `newest` whose title, body or a hashtag
        matches, among those the statement `shown` (on posts, with the viewer's filters) finds.

        Text matches and tagged posts are walked newest first apart, then merged: joined by OR, PostgreSQL
        could use neither index and tested every post's vector in turn. For a common word it walks the
        primary key backwards and stops after `limit`; for a rare one it reads the GIN index. ts_rank is
        computed for the window alone.
        """
        walks = [shown.add_columns(Post.id.label("id")).where(matching, Post.id <= newest)
                 .order_by(Post.id.desc()).limit(limit).subquery()
                 for matching in (post_vector.op("@@")(_tsquery(parsed)), Post.id.in_(_tagged_posts(parsed)))]
        merged = union(*(select(walk.c.id) for walk in walks)).subquery()
        window = select(merged.c.id).order_by(merged.c.id.desc()).limit(limit)
        tagged = Post.id.in_(_tagged_posts(parsed))
        score = cast(func.ts_rank(post_vector, _tsquery(parsed)), Float) + case((tagged, TAG_BONUS), else_=0.0)
        return select(Post.id.label("post_id"), cast(score, Float).label("score")).where(Post.id.in_(window))

    def newest_replies(self, parsed: ParsedQuery, shown, newest: int, limit: int):
        """(reply_id, score) of the newest `limit` matching replies up to id `newest` that `shown` (on
        replies) finds: the primary key walked backwards, or the GIN index read, as for posts."""
        window = (shown.add_columns(Reply.id).where(reply_vector.op("@@")(_tsquery(parsed)), Reply.id <= newest)
                  .order_by(Reply.id.desc()).limit(limit))
        score = cast(func.ts_rank(reply_vector, _tsquery(parsed)), Float)
        return select(Reply.id.label("reply_id"), score.label("score")).where(Reply.id.in_(window))

    def only_common_words(self, parsed: ParsedQuery) -> bool:
        """Whether the English dictionary drops every word ("the", "and it was"): nothing could match."""
        return db.session.scalar(select(func.numnode(_tsquery(parsed)))) == 0

    def marked_texts(self, parsed: ParsedQuery, post_ids: Iterable[int], reply_ids: Iterable[int]) -> dict:
        """{(kind, id): (title marked up, body snippet marked up)}; marks are MARK_START/MARK_STOP."""
        query = _tsquery(parsed)
        marked = {}
        post_ids, reply_ids = list(post_ids), list(reply_ids)
        if post_ids:
            rows = db.session.execute(select(
                Post.id, func.ts_headline(ENGLISH, Post.title, query, TITLE_OPTIONS),
                func.ts_headline(ENGLISH, Post.body, query, SNIPPET_OPTIONS)).where(Post.id.in_(post_ids)))
            marked.update({("post", post_id): (title, snippet) for post_id, title, snippet in rows})
        if reply_ids:
            rows = db.session.execute(select(
                Reply.id, func.ts_headline(ENGLISH, Reply.body, query, SNIPPET_OPTIONS))
                .where(Reply.id.in_(reply_ids)))
            marked.update({("reply", reply_id): (None, snippet) for reply_id, snippet in rows})
        return marked

    def reindex_steps(self) -> int:
        return len(POSTGRES_INDEXES)

    def reindex(self, advance: Callable[[int], None]) -> int:
        """The columns are computed by the database on every write; rebuild their indexes from them."""
        for index in sorted(POSTGRES_INDEXES):
            db.session.execute(text(f"REINDEX INDEX {index}"))
            advance(1)
        return db.session.scalar(select(func.count()).select_from(Post)) + \
            db.session.scalar(select(func.count()).select_from(Reply))
