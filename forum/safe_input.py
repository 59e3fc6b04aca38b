"""Refuse what no honest browser sends, in one place, before any view sees it.

Each kind of hostile input has one mechanism here instead of a patch in each view: ids in URLs go through
a bounded converter, ids in forms and query strings through `parse_id`, text that no database column can
store (NUL, lone surrogates), file parts and JSON of the wrong shape are refused before the request reaches
a view, and a streamed (chunked) body is held to the same size limit as one that says its length.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

#: Ids are 32-bit signed integers on PostgreSQL; anything larger names nothing we stored.
MAX_ID = 2**31 - 1
#: Characters PostgreSQL text can't hold (NUL) and lone UTF-16 halves no encoder can write.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Something in what you sent contains a character we can't store. Please remove it and try again."
#: Where the JSON API lives: its bodies are JSON objects with numbers and booleans where they belong.
API_V1 = "/api/v1/"
JSON_SHAPE_MESSAGE = "Send the form's fields as one JSON object of text values, e.g. {\"text\": \"...\"}."
NO_FILES_MESSAGE = "This takes no files: send its fields as text, without any file attached."


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a URL naming an id we could never have stored is a 404, not a database error."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(raw: str | None, minimum: int = 1) -> int | None:
    """An id (or version number) from a form field or query string: None when empty, 400 when it can't be ours."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not minimum <= int(raw) <= MAX_ID:
        abort(400)
    return int(raw)


def _strings_in(value) -> Iterable[str]:
    """Every string in a JSON value, keys included, walked without recursion (a 50,000-deep array is fine)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _json_body():
    try:
        return request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser can go
        abort(400, description=JSON_SHAPE_MESSAGE)


def refuse_unstorable_input() -> None:
    """Before every request: no NUL or lone surrogate anywhere, no files, and JSON bodies shaped like a form."""
    texts: list[str] = [request.path, *request.args.keys(), *request.args.values()]
    # A body sent where no route takes it is never read: the 404 or 405 says what is wrong, not its shape.
    if request.method in ("POST", "PUT", "PATCH") and request.routing_exception is None:
        # An empty body is no body, whatever its Content-Type claims (a PUT to a heart carries none).
        if request.is_json and request.get_data(cache=True):
            payload = _json_body()
            # Forms read JSON as their fields (Flask-WTF), so it must look like one: names to text. The JSON API
            # (/api/v1) checks each field's type itself against its OpenAPI document, so it takes any object.
            if not isinstance(payload, dict):
                abort(400, description=JSON_SHAPE_MESSAGE)
            if not request.path.startswith(API_V1) and not all(isinstance(v, str) for v in payload.values()):
                abort(400, description=JSON_SHAPE_MESSAGE)
            texts.extend(_strings_in(payload))
        else:
            # No form here takes a file; a file part where a field belongs reached views as an object, not text.
            if request.files:
                abort(400, description=NO_FILES_MESSAGE)
            texts.extend(request.form.keys())
            texts.extend(request.form.values())
    if any(UNSTORABLE.search(text) for text in texts):
        abort(400, description=UNSTORABLE_MESSAGE)


class HeldToTheLimit:
    """WSGI middleware: read a body sent without a length (chunked) up to the limit, and say its length.

    Werkzeug only caps such a stream, so under gunicorn a 2 MiB chunked post arrived cut to its first
    megabyte, silently. Buffered here, with the length it really has (capped one byte past the limit),
    it meets the same check as any other body: too long is a 413.
    """

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ, start_response):
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        streamed = environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked" or not environ.get("CONTENT_LENGTH")
        if limit is not None and streamed and environ.get("wsgi.input_terminated"):
            body = _read_up_to(environ["wsgi.input"], limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # Werkzeug ignores the length of a chunked body
        return self.wsgi_app(environ, start_response)


def _read_up_to(stream, size: int) -> bytes:
    parts, remaining = [], size
    while remaining > 0:
        part = stream.read(min(remaining, 65536))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def register(app: Flask) -> None:
    """Call before blueprints are registered: routes pick up the `int` converter when they are added."""
    app.url_map.converters["int"] = DatabaseId
    app.before_request(refuse_unstorable_input)
    app.wsgi_app = HeldToTheLimit(app.wsgi_app, app)
