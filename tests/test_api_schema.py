"""The OpenAPI document and the app agree: every /api/v1 route is described and nothing else is, the document's
schemas are valid JSON Schema, and the docs page at /api is made from it. (Every answer the API tests see is
checked against it as they run: tests/api_support.py.)"""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from markupsafe import escape
from openapi_spec_validator import validate

from forum.api.docs import inline_code
from forum.api.v1.openapi import DOCUMENT
from tests.api_support import PREFIX, ApiClient, openapi_path

#: Methods Flask adds to every rule by itself.
IMPLIED = {"HEAD", "OPTIONS"}


def routes_in_the_app(app) -> set[tuple[str, str]]:
    return {(openapi_path(rule.rule), method.lower()) for rule in app.url_map.iter_rules()
            if rule.rule.startswith(PREFIX + "/") for method in rule.methods - IMPLIED}


def routes_in_the_document() -> set[tuple[str, str]]:
    return {(path, method) for path, item in DOCUMENT["paths"].items() for method in item}


def test_every_route_is_in_the_document_and_nothing_else(app):
    assert routes_in_the_app(app) == routes_in_the_document()


def test_every_path_parameter_is_described(app):
    for path, item in DOCUMENT["paths"].items():
        named = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        for method, operation in item.items():
            described = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert described == named, f"{method.upper()} {path}"


def test_the_document_is_valid_openapi_3_1():
    validate(json.loads(json.dumps(DOCUMENT)))  # as served: JSON, not Python tuples
    assert DOCUMENT["openapi"] == "3.1.0"


@pytest.mark.parametrize("name", sorted(DOCUMENT["components"]["schemas"]))
def test_each_schema_is_valid_json_schema(name):
    Draft202012Validator.check_schema(DOCUMENT["components"]["schemas"][name])


def test_every_reference_points_at_a_schema():
    def refs(value):
        if isinstance(value, dict):
            if "$ref" in value:
                yield value["$ref"]
            for item in value.values():
                yield from refs(item)
        elif isinstance(value, list):
            for item in value:
                yield from refs(item)

    names = {f"#/components/schemas/{name}" for name in DOCUMENT["components"]["schemas"]}
    assert set(refs(DOCUMENT)) <= names


def test_the_served_document_is_the_one_in_the_package(app):
    assert ApiClient(app).get("/openapi.json").get_json() == DOCUMENT


def test_the_docs_page_describes_every_route_from_the_document(client):
    page = client.get("/api")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            assert f"{method.upper()} {PREFIX}{path}" in html and str(escape(operation["summary"])) in html
    assert "<script" not in html.split("</header>", 1)[-1].split("<footer", 1)[0]  # nothing to run, nothing fetched


@pytest.mark.parametrize("text,html", [
    ("`cursor` from before", "<code>cursor</code> from before"),
    ("<b>`x<y`</b>", "&lt;b&gt;<code>x&lt;y</code>&lt;/b&gt;"),
    ("an odd ` left open", "an odd <code> left open</code>"),
])
def test_descriptions_show_names_as_code_and_escape_everything_else(text, html):
    assert str(inline_code(text)) == html
