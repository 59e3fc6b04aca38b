"""Whole pages kept for a few seconds for visitors who aren't signed in: most of a forum's traffic at night.

A page is kept only when nothing about the request is personal: a GET with no cookie at all (so no session,
no flashed message, no chosen country), to one of the public reading pages, answered 200 without setting a
cookie. It is served again only while the site's *write generation* is unchanged: every commit that wrote
anything moves it on (SQLAlchemy session events below), so a post hidden, edited or deleted a moment ago is
never shown from here. The generation lives where every app server can see it:

- Redis (REDIS_URL): a counter, incremented after each writing commit; every server reads it per request.
- SQLite file: the modification time of a small file beside the database, touched after each writing commit;
  every worker process on the machine sees it (an SQLite forum runs on one machine).
- Otherwise (PostgreSQL without Redis: app servers that could not tell each other): no page cache.

Pages also carry an ETag, so a browser asking again with If-None-Match gets a 304.

The same rule keeps smaller things that every viewer sees alike and that cost more to work out than to keep
(`remembered`: a tag's related tags), for members' pages too.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app, request, session
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from forum.bounded import BoundedLRU

log = logging.getLogger(__name__)

#: The reading pages a visitor may be served from the cache: the same for every visitor without a cookie.
CACHEABLE_ENDPOINTS = frozenset({"feed.latest", "feed.needs_reply", "tags.index", "tags.show", "posts.show"})
REDIS_KEY = "page-generation"
_WROTE = "kindred.page_cache.wrote"


@dataclass(frozen=True)
class Kept:
    generation: object
    expires: float
    body: bytes
    etag: str
    content_type: str


@dataclass(frozen=True)
class Remembered:
    generation: object
    expires: float
    value: object


T = TypeVar("T")


class PageCache:
    def __init__(self, app: Flask):
        self.seconds = float(app.config.get("PAGE_CACHE_SECONDS", 0))
        self.capacity = int(app.config.get("PAGE_CACHE_ENTRIES", 512))
        self.pages: BoundedLRU[object, Kept | Remembered] = BoundedLRU(self.capacity)
        self.local_generation = 0  # this process's own writes, for an in-memory database
        self.redis = None
        self.stamp_file: Path | None = None
        self.enabled = self.seconds > 0 and self._choose_generation_source(app)

    def _choose_generation_source(self, app: Flask) -> bool:
        redis_url = app.config.get("REDIS_URL")
        if redis_url:
            from redis import Redis

            self.redis = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
            self.redis_key = f"{app.config.get('RATELIMIT_KEY_PREFIX', 'kindred')}:{REDIS_KEY}"
            return True
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        if url.get_backend_name() != "sqlite":
            return False  # several app servers might share this database and could not tell each other
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            self.stamp_file = Path(url.database + ".page-generation")
            self.stamp_file.touch(exist_ok=True)
        return True  # an in-memory database lives in this one process: its own counter says it all

    # --- the generation ---------------------------------------------------------------------------

    def generation(self) -> object | None:
        """The current write generation, or None when it can't be read (then nothing is served or kept)."""
        try:
            if self.redis is not None:
                return (self.redis.get(self.redis_key), self.local_generation)
            if self.stamp_file is not None:
                return (self.stamp_file.stat().st_mtime_ns, self.local_generation)
            return self.local_generation
        except Exception as error:  # Redis away or the file gone: serve fresh pages, never stale ones
            log.warning("Page cache off for this request: the write generation can't be read (%s)", error)
            return None

    def wrote(self) -> None:
        """A commit wrote something: every kept page is out of date, in every process."""
        self.local_generation += 1
        self.pages.clear()
        try:
            if self.redis is not None:
                self.redis.incr(self.redis_key)
            elif self.stamp_file is not None:
                now = time.time_ns()
                os.utime(self.stamp_file, ns=(now, now))
        except Exception as error:  # after the commit: never fail the request that saved something
            log.error("The page cache's write generation could not be moved on (%s); other app servers may "
                      "show pages up to %s s old", error, self.seconds)

    # --- pages ------------------------------------------------------------------------------------

    def lookup(self, key: object, generation: object) -> Kept | Remembered | None:
        kept = self.pages.get(key)
        if kept is not None and (kept.generation != generation or kept.expires < time.monotonic()):
            self.pages.discard(key)
            return None
        return kept

    def keep(self, key: object, kept: Kept | Remembered) -> None:
        self.pages.put(key, kept)


def remembered(key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, kept in this process while the site's write generation stands (at most PAGE_CACHE_SECONDS).

    Only for what is the same for every viewer and holds nothing a database row can't be shown for once it is
    written (hidden, deleted): any writing commit, in any process, moves the generation on and ends it, as for
    pages. With no page cache (turned off, or PostgreSQL without Redis) `compute()` runs every time.
    """
    cache = _cache()
    if cache is None:
        return compute()
    # A visitor's request read the generation already (_serve_kept); a member's reads it here.
    generation = request.environ.get("kindred.page_generation") or cache.generation()
    if generation is None:
        return compute()
    kept = cache.lookup(key, generation)
    if isinstance(kept, Remembered):
        return kept.value  # type: ignore[return-value]
    # Read before computing: a write landing meanwhile leaves this value under the older generation, unused.
    value = compute()
    cache.keep(key, Remembered(generation, time.monotonic() + cache.seconds, value))
    return value


def _cache() -> PageCache | None:
    cache = current_app.extensions.get("page_cache")
    return cache if cache is not None and cache.enabled else None


def _is_cacheable_request() -> bool:
    return (request.method == "GET" and not request.cookies and request.endpoint in CACHEABLE_ENDPOINTS
            and "Authorization" not in request.headers)


def _serve_kept():
    cache = _cache()
    if cache is None or not _is_cacheable_request():
        return None
    generation = cache.generation()
    request.environ["kindred.page_generation"] = generation
    if generation is None:
        return None
    kept = cache.lookup(request.full_path, generation)
    if kept is None:
        return None
    if kept.etag in request.if_none_match:
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(kept.body, content_type=kept.content_type)
    response.set_etag(kept.etag)
    response.headers["X-Page-Cache"] = "hit"
    return response


def _keep_page(response):
    cache = _cache()
    generation = request.environ.get("kindred.page_generation")
    # The session cookie is written after this hook: a session changed while rendering means a cookie to come.
    if (cache is None or generation is None or not _is_cacheable_request() or response.status_code != 200
            or session.modified or response.headers.get("Set-Cookie") or response.direct_passthrough
            or response.headers.get("X-Page-Cache")):
        return response
    body = response.get_data()
    etag = hashlib.blake2b(body, digest_size=12).hexdigest()
    cache.keep(request.full_path, Kept(generation, time.monotonic() + cache.seconds, body, etag,
                                       response.content_type))
    response.set_etag(etag)
    response.headers["X-Page-Cache"] = "miss"
    return response


def _vary_on_cookie(response):
    """A signed-in member and a visitor get different pages at the same address: say so to every cache."""
    if request.endpoint in CACHEABLE_ENDPOINTS:
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = PageCache(app)
    app.before_request(_serve_kept)
    app.after_request(_keep_page)
    app.after_request(_vary_on_cookie)


# --- knowing that something was written ----------------------------------------------------------

def _note_flush(session, *_args) -> None:
    session.info[_WROTE] = True


def _note_write_statement(state) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


def _after_commit(session) -> None:
    if not session.info.pop(_WROTE, False):
        return
    try:
        cache = current_app.extensions.get("page_cache")
    except RuntimeError:  # a session used outside any app (a script): no page cache to tell
        return
    if cache is not None and cache.enabled:
        cache.wrote()


def _after_rollback(session, *_args) -> None:
    session.info.pop(_WROTE, None)


event.listen(Session, "after_flush", _note_flush)
event.listen(Session, "do_orm_execute", _note_write_statement)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", _after_rollback)
