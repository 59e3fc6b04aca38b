"""Friendly error pages, or JSON errors for API calls and clients that ask for JSON."""
from __future__ import annotations

import logging
import time

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, MethodNotAllowed, NotFound

from forum.kept_words import kept_words
from forum.services import Gone
from forum.timewords import wait_in_words
from forum.web_helpers import rollback_quietly

log = logging.getLogger(__name__)

#: What each error means for a person, in plain words.
MESSAGES = {
    400: ("Something in that request didn't make sense", "Please go back and try again."),
    401: ("Please sign in", "Sign in to do that. A pseudonym is welcome."),
    403: ("That isn't yours to change", "You can read it, but only its author can change it."),
    404: ("We couldn't find that page", "It may have been deleted by its author, or the link is mistyped."),
    405: ("That doesn't work here", "This page can't be used that way. Try the link from the site instead."),
    409: ("That's done already", "Nothing needed changing."),
    413: ("That was too much to send at once", "Please shorten it and try again."),
    422: ("Some of that needs another look", "Please check what you sent and try again."),
    429: ("Let's slow down a little", "That was a lot of requests in a short time. Please wait {wait} and try again."),
    500: ("Something went wrong on our side", "It's not you. Please try again in a moment."),
    503: ("We can't reach our records right now",
          "It's not you, and it should pass soon: please try again in a moment. If you need someone now, "
          "the help page works and lists people you can call or text."),
}
#: A 404 met by a form the member wrote: what they answered or edited went away while they wrote.
GONE_WHILE_WRITING = ("That isn't here any more",
                      "What you were answering or changing was deleted or taken down while you were writing, "
                      "so nothing was sent.")
CSRF_MESSAGE = ("This page was open for a long time",
                "For your safety we need a fresh copy of it. Go back, reload the page and try again.")


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(code: int, title: str, detail: str, fields: dict[str, list[str]] | None = None,
                   page_expired: bool = False):
    """The error page, or for scripts the one JSON shape every error has: {"error": {code, title, message,
    fields}}, where `fields` names what to fix in the request ({} when the problem isn't one field's).

    The page gives back what a failed form carried (forum.kept_words), so the member loses none of it.
    """
    if wants_json():
        return jsonify(error={"code": code, "title": title, "message": detail, "fields": fields or {}}), code
    kept = kept_words(code, page_expired)
    if kept and code == 404:
        title, detail = GONE_WHILE_WRITING
    return render_template("errors/error.html", code=code, title=title, detail=detail, kept=kept), code


def _said_by_the_view(error: HTTPException) -> bool:
    """Whether the view gave this error its own description, rather than Werkzeug's stock one."""
    return bool(error.description) and error.description != type(error).description


def _handle_http(error: HTTPException):
    code = error.code or 500
    title, detail = MESSAGES.get(code, (error.name, error.description or ""))
    if code == 403 and error.description and not error.description.startswith("You don't have"):
        detail = error.description
    elif code == 429 and getattr(getattr(error, "limit", None), "error_message", None):
        detail = error.description  # the limit says in plain words what was paused (forum.limits)
    elif request.path.startswith("/api/") and code != 429 and _said_by_the_view(error):
        detail = error.description  # a script's author needs the exact reason; a person gets the plain words
    retry_after = _seconds_until_the_limit_resets(error) if code == 429 else None
    if retry_after is not None:
        detail = detail.format(wait=wait_in_words(retry_after))  # the same reset time as Retry-After, in words
    response = make_response(*error_response(code, title, detail, getattr(error, "fields", None)))
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    elif code == 405 and isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _seconds_until_the_limit_resets(error: HTTPException) -> int:
    """When the breached rate limit lets requests through again; its whole window if the store can't say."""
    from forum.extensions import limiter

    try:
        current = limiter.current_limit
        if current is not None:
            return max(1, int(current.reset_at - time.time()))
    except Exception:  # the limit store (Redis) may be gone by now; the window is a safe upper bound
        log.warning("Could not read the rate limit's reset time", exc_info=True)
    limit = getattr(error, "limit", None)
    return int(limit.limit.get_expiry()) if limit is not None else 60


def _handle_csrf(error: CSRFError):
    return error_response(400, *CSRF_MESSAGE, page_expired=True)


def _handle_unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    rollback_quietly()
    return _handle_http(InternalServerError())


def _handle_database_unavailable(error: OperationalError):
    """The database is unreachable, restarting, or gave up on a lock: nothing for the reader to fix."""
    log.error("Database unavailable on %s %s: %s", request.method, request.path, error.orig or error)
    rollback_quietly()
    return database_unavailable_response()


def database_unavailable_response():
    """The 503 page (or JSON) that asks to try again shortly."""
    response, code = error_response(503, *MESSAGES[503])
    response = make_response(response, code)
    response.headers["Retry-After"] = "30"
    return response


def _handle_gone(error: Gone):
    """What the request acted on was deleted by another request meanwhile: the 404 for what went away."""
    rollback_quietly()
    return _handle_http(NotFound())


def _handle_unstorable_value(error: DataError):
    """A value the database refused (out of range, a character it can't store): the request was at fault.

    forum.safe_input refuses these before any view runs; this is the net under it, logged so the hole is found.
    """
    log.warning("Database refused a value on %s %s: %s", request.method, request.path, error.orig or error)
    rollback_quietly()
    return _handle_http(BadRequest())


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(OperationalError, _handle_database_unavailable)
    app.register_error_handler(DataError, _handle_unstorable_value)
    app.register_error_handler(Gone, _handle_gone)
    app.register_error_handler(Exception, _handle_unexpected)
