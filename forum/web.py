"""Wire the site together: blueprints, sign-in, template helpers and response headers."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from forum import card_cache, page_cache
from forum.extensions import db, login_manager
from forum.guides.loader import LIBRARY_DIR, load_library_once
from forum.links import link
from forum.models import User, utcnow
from forum.services import feeds
from forum.timewords import for_how_long, how_long_ago
from forum.web_helpers import GUIDES_EXTENSION, footer_line, unless_database_fails

T = TypeVar("T")

# Everything the pages need ships in static/, so the browser may load nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    from forum import safe_input
    from forum.account import bp as account_bp
    from forum.api import bp as api_bp
    from forum.api import tokens_bp as api_tokens_bp
    from forum.api import v1_bp as api_v1_bp
    from forum.auth import bp as auth_bp
    from forum.feed import bp as feed_bp
    from forum.flags import bp as flags_bp
    from forum.guides.views import bp as guides_bp
    from forum.help import bp as help_bp
    from forum.moderation.rules_views import bp as moderation_rules_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.notifications import bp as notifications_bp
    from forum.people import bp as people_bp
    from forum.posts import bp as posts_bp
    from forum.search import bp as search_bp
    from forum.tags import bp as tags_bp

    set_sqlite_pragmas(app)
    safe_input.register(app)  # before the blueprints: their routes take its id converter
    for blueprint in (account_bp, api_bp, api_v1_bp, api_tokens_bp, auth_bp, feed_bp, flags_bp, help_bp,
                      moderation_bp, moderation_rules_bp, notifications_bp, people_bp, posts_bp, search_bp, tags_bp):
        app.register_blueprint(blueprint)
    # Every guide parsed and checked now: a malformed one stops the start with its file and field named.
    app.extensions[GUIDES_EXTENSION] = load_library_once(app.config.get("GUIDES_DIR") or LIBRARY_DIR)
    app.register_blueprint(guides_bp)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to do that. Pseudonyms are welcome."
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_member)
    login_manager.unauthorized_handler(_sign_in_first)

    app.context_processor(_template_globals)
    app.jinja_env.globals["reader_opens_warnings"] = _reader_opens_warnings
    app.jinja_env.globals["link"] = link
    app.jinja_env.filters["timeago"] = timeago
    app.jinja_env.filters["count_label"] = count_label
    app.jinja_env.filters["for_how_long"] = for_how_long
    app.jinja_env.filters["isodate"] = lambda value: value.isoformat() if value else ""
    app.after_request(_security_headers)
    page_cache.init_app(app)
    card_cache.init_app(app)


#: What loading the signed-in member gives when the database fails (None means no such member).
_UNREACHABLE = object()


def _load_member(sign_in_token: str) -> User | None:
    """The member whose live sign-in the session or remember-me cookie names (forum.services.sign_ins)."""
    from forum.services.sign_ins import member_signed_in_with

    # With the database down, the member reads on as a visitor: the help page still reaches them.
    member = unless_database_fails(lambda: member_signed_in_with(sign_in_token), _UNREACHABLE,
                                   "the signed-in member")
    if member is _UNREACHABLE:
        g.member_unreachable = True  # not signed out: a page only members may use says "try again", not "sign in"
        return None
    return member


def _sign_in_first():
    """Scripts get a JSON 401; people are sent to sign in and brought back afterwards. A member the database
    couldn't load is signed in still: they are asked to try again (503), not to sign in."""
    from forum.errors import database_unavailable_response, error_response, wants_json
    from forum.kept_words import kept_words

    if g.get("member_unreachable"):
        return database_unavailable_response()
    if wants_json():
        return error_response(401, "Please sign in", "Sign in to do that.")
    flash(login_manager.login_message, login_manager.login_message_category)
    if request.method in ("GET", "HEAD"):
        return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))
    # A form sent after the sign-in ended (signed out in another tab, or on every device). Signing in leads back
    # to the page it was on, never to where it was sent: that address takes only POST, and would answer 405.
    back_to = _page_the_form_was_on()
    kept = kept_words(401)
    if kept is None:  # nothing typed (a heart, a follow): sign in, and be back on the page
        return redirect(url_for(login_manager.login_view, next=back_to))
    from forum.auth.views import sign_in_to_send

    return sign_in_to_send(back_to, kept)


def _page_the_form_was_on() -> str:
    """The page a form was sent from, to come back to after signing in: the Referer when it is one of our pages
    (the pages send it to us: Referrer-Policy same-origin), else the nearest page above the form's address
    (/posts/2/replies: /posts/2), else the latest posts."""
    if request.referrer:
        parts = urlsplit(request.referrer)
        if parts.scheme in ("http", "https") and parts.netloc == request.host and _is_a_page(parts.path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    path = request.path.rstrip("/")
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        if path and _is_a_page(path):
            return path
    return url_for("feed.latest")


def _is_a_page(path: str) -> bool:
    """Whether this path of ours opens with GET (a page), not only takes a form's POST."""
    try:
        current_app.url_map.bind_to_environ(request.environ).match(path, method="GET")
    except (HTTPException, RoutingException):  # not found, POST only, or a redirect to another address
        return False
    return True


def _reader_opens_warnings() -> bool:
    """Whether the reader chose to see content-warned posts unfolded (a global, so imported macros see it)."""
    return current_user.is_authenticated and current_user.content_warnings == "open"


def _nav_count(name: str, count: Callable[[], T], nothing: T) -> T:
    """A count in the page's navigation: computed once per request, and only by pages that show it.

    The layout wraps every page, the help page and error pages included, so a database that fails here
    leaves the count out instead of the page.
    """
    if name not in g:
        setattr(g, name, unless_database_fails(count, nothing, name.replace("_", " ")))
    return getattr(g, name)


def _template_globals() -> dict:
    def counts():
        """Every nav count in one query, the first time the layout asks for one (the help and error pages
        render without them if the database fails)."""
        from forum.services.nav_counts import NavCounts, nav_counts

        return _nav_count("nav_counts", lambda: nav_counts(current_user), NavCounts())

    def needs_reply_count() -> int:
        return counts().needs_reply

    def moderation_counts() -> tuple[int, int]:
        """(open items, open crisis items) for moderators' nav; zero for everyone else."""
        found = counts()
        return found.open_items, found.crisis_items

    def unread_notices() -> int:
        return counts().unread_notices

    def unread_notifications() -> int:
        """Unread notification lines (groups, as the page shows them), for members' nav."""
        return counts().unread_notifications

    return {"needs_reply_count": needs_reply_count, "moderation_counts": moderation_counts,
            "unread_notices": unread_notices, "unread_notifications": unread_notifications,
            # The member itself, not the proxy: a post page reads it hundreds of times.
            "viewer": current_user._get_current_object(), "footer_line": footer_line}


#: Pages private to whoever asks, signed in or not yet (they redirect to sign-in), and the pages that take a
#: password, whose error pages give back what was typed: never kept by a cache.
PRIVATE_BLUEPRINTS = frozenset({"account", "api_tokens", "auth", "moderation", "moderation_rules", "notifications"})
PRIVATE_ENDPOINTS = frozenset({"people.settings", "people.export", "people.delete_account_view", "people.notices"})


def _is_private(endpoint: str | None) -> bool:
    """Whether a response must not be stored: a private page, or anything a signed-in member is shown
    (their name in the nav, their drafts and notices), so a shared computer's cache or a proxy never keeps
    it. Static files are the same for everyone and stay cacheable."""
    if endpoint == "static":
        return False
    if endpoint in PRIVATE_ENDPOINTS or (endpoint or "").split(".")[0] in PRIVATE_BLUEPRINTS:
        return True
    return current_user.is_authenticated


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "interest-cohort=()")
    if _is_private(request.endpoint):
        response.headers["Cache-Control"] = "no-store"
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts:  # production only: browsers then refuse plain HTTP to this host, so development over http works
        response.headers.setdefault("Strict-Transport-Security", hsts)
    return response


def timeago(moment: datetime | None, now: datetime | None = None) -> str:
    """The `timeago` filter: forum.timewords.how_long_ago from now, and nothing for no moment."""
    if moment is None:
        return ""
    return how_long_ago(moment, now or utcnow())


def count_label(count: int) -> str:
    """A badge's number, or "99+" where counting stopped (forum.services.feeds.NEEDS_REPLY_COUNTED)."""
    most = feeds.NEEDS_REPLY_COUNTED - 1
    return f"{most}+" if count > most else str(count)


def set_sqlite_pragmas(app: Flask) -> None:
    """Set the app's SQLite connections' pragmas as they open: only its own engines, so another engine in the
    same process (a backup's check, a test's) keeps SQLite's defaults."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "before_cursor_execute", _begin_before_savepoint)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Make SQLite enforce foreign keys (cascading deletes) and let readers work beside a writer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _begin_before_savepoint(conn, cursor, statement, parameters, context, executemany) -> None:
    """Open the transaction before a SAVEPOINT that would come first in it.

    Python's sqlite3 begins a transaction only before INSERT, UPDATE or DELETE. A SAVEPOINT sent before any of
    them starts one of SQLite's own, which its RELEASE commits: a heart was stored in one commit and counted
    in another. (BEGIN is deferred: SQLite takes the write lock at the first write, waiting busy_timeout.)
    """
    if statement.startswith("SAVEPOINT"):
        connection = conn.connection.dbapi_connection
        if not connection.in_transaction:
            connection.execute("BEGIN")
