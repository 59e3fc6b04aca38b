"""The API's documentation page at /api, read from the same OpenAPI document the API is tested against."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup, escape

from forum.api.v1.openapi import DOCUMENT
from forum.api.views import bp
from forum.services.text import render_body

METHOD_ORDER = ("get", "post", "put", "delete")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    who: str
    parameters: list[dict]
    body_schema: str | None
    responses: list[tuple[str, str, str | None]]


def _schema_name(schema: dict | None) -> str | None:
    ref = (schema or {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _who(security: list[dict]) -> str:
    if {} in security:
        return "Anyone; signed in (token or session), you see what the site shows you"
    if any("csrf" in option for option in security):
        return "A member: a token that can write, or the session with X-CSRFToken"
    return "A member: any token, or the session"


def operations(document: dict = DOCUMENT) -> list[Operation]:
    """Every operation in the document, in the document's order of paths."""
    found = []
    for path, item in document["paths"].items():
        for method in sorted(item, key=METHOD_ORDER.index):
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            responses = [(status, answer["description"],
                          _schema_name(answer.get("content", {}).get("application/json", {}).get("schema")))
                         for status, answer in sorted(operation["responses"].items())]
            found.append(Operation(method.upper(), document["servers"][0]["url"] + path, operation["summary"],
                                   operation.get("description", ""), _who(operation["security"]),
                                   operation["parameters"], _schema_name(body) or ("object" if body else None),
                                   responses))
    return found


def inline_code(text: str) -> Markup:
    """The document's short descriptions mark names with `backticks`: show those as code, escape the rest."""
    parts = str(text).split("`")
    return Markup("").join(Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
                           for i, part in enumerate(parts))


@bp.app_template_filter("inline_code")
def _inline_code_filter(text: str) -> Markup:
    return inline_code(text)


@bp.get("")
def docs():
    schemas = DOCUMENT["components"]["schemas"]
    return render_template("api/docs.html", info=DOCUMENT["info"], operations=operations(), schemas=schemas,
                           introduction=render_body(DOCUMENT["info"]["description"]))
