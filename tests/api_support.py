"""Calling the JSON API in tests: a client that signs in one of five ways and holds every answer it gets to the
OpenAPI document (the status must be documented for that operation, and the body must match its schema)."""
from __future__ import annotations

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.exceptions import MethodNotAllowed, NotFound

from forum.api.v1.openapi import DOCUMENT
from forum.extensions import db
from forum.services.tokens import create_token, revoke_token
from tests.helpers import Visitor

PREFIX = "/api/v1"
DOCUMENT_URI = "urn:kindred:api:v1"
REGISTRY = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(DOCUMENT))
#: How a caller signs in: not at all, the browser session, or a token that reads, writes, or was revoked.
AUTHS = ("none", "session", "read_token", "write_token", "revoked_token")


def openapi_path(rule: str) -> str:
    """/api/v1/posts/<int:post_id> → /posts/{post_id}: a Flask rule as the document names it."""
    path = rule.removeprefix(PREFIX)
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        path = path[:start] + "{" + path[start + 1:end].split(":")[-1] + "}" + path[end + 1:]
    return path


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def check_against_document(app, method: str, url: str, response) -> None:
    """Fail unless the document describes this answer exactly: the operation, the status, the JSON body."""
    path_only = url.split("?", 1)[0]
    assert response.content_type == "application/json", f"{method} {url}: {response.content_type}"
    try:
        rule, _ = app.url_map.bind("localhost").match(path_only, method=method, return_rule=True)
    except (NotFound, MethodNotAllowed):
        # No route: the error shape is all the document can promise.
        schema = {"$ref": f"{DOCUMENT_URI}#/components/schemas/Error"}
    else:
        path = openapi_path(rule.rule)
        operation = DOCUMENT["paths"][path][method.lower()]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {path} answered {status}, which isn't documented"
        content = operation["responses"][status]["content"]["application/json"]
        schema = {"$ref": f"{DOCUMENT_URI}#/" + _pointer("paths", path, method.lower(), "responses", status,
                                                         "content", "application/json", "schema")}
        assert content["schema"]
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response.get_json()), key=lambda error: list(error.path))
    assert not errors, f"{method} {url} ({response.status_code}): " + "; ".join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])


def schema_errors(body, name: str) -> list[str]:
    """What in `body` breaks the document's schema `name` (empty when it fits)."""
    validator = Draft202012Validator({"$ref": f"{DOCUMENT_URI}#/components/schemas/{name}"}, registry=REGISTRY)
    return [error.message for error in validator.iter_errors(body)]


class ApiClient:
    """A test client for /api/v1, signed in as `auth` says, that checks every answer against the document."""

    def __init__(self, app, auth: str = "none", member=None):
        self.app, self.auth, self.member = app, auth, member
        self.visitor = Visitor(app.test_client())
        self.secret: str | None = None
        if auth == "session":
            self.visitor.sign_in(member.username)
        elif auth.endswith("_token"):
            token, self.secret = create_token(member, f"tests {auth}", "read" if auth == "read_token" else "write")
            if auth == "revoked_token":
                revoke_token(member, token.id)
            db.session.commit()

    def headers(self, method: str) -> dict[str, str]:
        headers = {}
        if self.secret is not None:
            headers["Authorization"] = f"Bearer {self.secret}"
        if self.auth == "session" and method != "GET":
            headers["X-CSRFToken"] = self.visitor.token
        return headers

    def call(self, method: str, url: str, json=None, headers: dict | None = None, check: bool = True, data=None):
        response = self.visitor.client.open(PREFIX + url, method=method, json=json, data=data,
                                            headers={**self.headers(method), **(headers or {})})
        if check:
            check_against_document(self.app, method, PREFIX + url, response)
        return response

    def get(self, url: str, **kwargs):
        return self.call("GET", url, **kwargs)

    def post(self, url: str, json=None, **kwargs):
        return self.call("POST", url, json=json, **kwargs)

    def put(self, url: str, **kwargs):
        return self.call("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs):
        return self.call("DELETE", url, **kwargs)
