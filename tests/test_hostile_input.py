"""Hostile input gets a clear 400, 404 or 413, never a 500: on SQLite and on PostgreSQL (the conftest runs both).

Each table lists what a browser would never send; each test sends its whole table and reports every miss.
"""
from __future__ import annotations

import base64
import contextvars
import io
import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tests.helpers import Visitor, make_post
from tests.test_faults import rate_limited_app

TOO_BIG = str(2**31)  # the first id PostgreSQL's integer can't hold
HUGE = "9" * 23  # more than SQLite's 64-bit integers


def cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def misses(visitor, cases, **ids) -> list[str]:
    """Send each case; return the ones that didn't get their expected status."""
    wrong = []
    for method, url, data, expected in cases:
        url = url.format(**ids)
        response = visitor.post(url, data) if method == "POST" else visitor.get(url)
        if response.status_code != expected:
            wrong.append(f"{method} {url!r} {data!r}: {response.status_code}, expected {expected}")
    return wrong


@pytest.fixture
def post_id(other_member) -> int:
    return make_post(other_member).id


NUL_BYTES = [
    ("POST", "/posts/new", {"title": "A hard\x00 week", "body": "Some days."}, 400),
    ("POST", "/posts/new", {"title": "A hard week", "body": "Some\x00 days.", "tags": "#Sleep"}, 400),
    ("POST", "/posts/{post}/replies", {"body": "With you\x00"}, 400),
    ("POST", "/posts/{post}/flag", {"reason": "other", "note": "\x00"}, 400),
    ("POST", "/settings", {"bio": "hello\x00"}, 400),
    ("GET", "/tags/Sle%00ep", None, 400),
    ("GET", "/u/river%00stone", None, 400),
    ("GET", "/?after=%00", None, 400),
]


def test_nul_bytes_in_text_and_urls_are_refused(signed_in, post_id):
    assert misses(signed_in, NUL_BYTES, post=post_id) == []


@pytest.mark.parametrize("form", [{"username": "new\x00one", "password": "long enough pw",
                                   "confirm": "long enough pw"}])
def test_nul_bytes_in_sign_up_are_refused(visitor, form):
    assert visitor.post("/register", form).status_code == 400
    assert visitor.post("/login", {"username": "river\x00", "password": "x"}).status_code == 400


IDS_IN_URLS = [
    ("GET", f"/posts/{TOO_BIG}", None, 404),
    ("GET", f"/posts/{HUGE}", None, 404),
    ("GET", f"/posts/{{post}}/replies/{TOO_BIG}", None, 404),
    ("GET", f"/replies/{HUGE}/edit", None, 404),
    ("POST", f"/posts/{TOO_BIG}/heart", {"hearted": "1"}, 404),
    ("POST", f"/replies/{HUGE}/flag", {"reason": "spam"}, 404),
    ("GET", f"/flags/{TOO_BIG}/thanks", None, 404),
    ("POST", f"/notices/{HUGE}/review", {}, 404),
]

IDS_IN_FORMS = [
    ("POST", "/posts/{post}/replies", {"body": "With you.", "parent_id": TOO_BIG}, 400),
    ("POST", "/posts/{post}/replies", {"body": "With you.", "parent_id": HUGE}, 400),
    ("POST", "/posts/{post}/replies", {"body": "With you.", "parent_id": "١٢"}, 400),  # Arabic-Indic digits
    ("POST", "/notifications/read", {"up_to": "999999999999999999"}, 400),
    ("POST", "/notifications/read", {"up_to": "   "}, 302),  # nothing given: everything is read
]


def test_ids_no_database_could_hold_are_not_found(signed_in, post_id):
    assert misses(signed_in, IDS_IN_URLS, post=post_id) == []


def test_ids_in_forms_no_database_could_hold_are_bad_requests(signed_in, post_id):
    assert misses(signed_in, IDS_IN_FORMS, post=post_id) == []


MODERATION_QUERIES = [
    ("GET", f"/moderation/log?before={TOO_BIG}", None, 400),
    ("GET", f"/moderation/log?before={HUGE}", None, 400),
    ("GET", "/moderation/log?until=9999-12-31", None, 400),
    ("GET", "/moderation/log?since=0001-01-01&until=2024-01-01", None, 200),
    ("GET", f"/moderation/items/{TOO_BIG}", None, 404),
    ("GET", f"/moderation/history/post/{HUGE}", None, 404),
]


def test_moderators_hostile_queries_are_bad_requests(mod_visitor):
    assert misses(mod_visitor, MODERATION_QUERIES) == []


BAD_CURSORS = [
    cursor("2024-05-01T10:00:00+00:00", 2**31),
    cursor("2024-05-01T10:00:00+00:00", 10**30),
    cursor("2024-05-01T10:00:00+00:00", 1.5),
    cursor("2024-05-01T10:00:00+00:00", True),
    cursor("2024-05-01T10:00:00", 5),  # naive: no UTC offset
    cursor(10**20, 5),
    base64.urlsafe_b64encode(b'["2024-05-01T10:00:00+00:00", Infinity]').decode(),
    base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode(),
]


@pytest.mark.parametrize("page", ["/", "/needs-reply", "/tags/Depression", "/posts/{post}"])
def test_page_cursors_we_did_not_make_are_bad_requests(signed_in, post_id, page):
    cases = [("GET", f"{page}?after={after}", None, 400) for after in BAD_CURSORS]
    assert misses(signed_in, cases, post=post_id) == []


JSON_BODIES = [
    '{"title": 5, "body": "Some days."}',
    '{"title": ["A", "B"], "body": "Some days."}',
    '{"title": {"a": 1}, "body": "Some days."}',
    '{"title": null, "body": "Some days."}',
    '[1, 2]',
    '"just a string"',
    "[" * 50_000 + "]" * 50_000,
    '{"title": "A hard week", "body": "Some days \\ud800 are heavier."}',  # a lone surrogate
    '{"title": "A hard week", "body": "Some days \\u0000 are heavier."}',
    '{"title": "A hard wee',
]


@pytest.mark.parametrize("url", ["/posts/new", "/posts/{post}/replies", "/login", "/api/crisis/check"])
def test_forms_posted_as_json_of_the_wrong_shape_are_bad_requests(signed_in, post_id, url):
    wrong = []
    for body in JSON_BODIES:
        response = signed_in.client.post(url.format(post=post_id), data=body, content_type="application/json",
                                         headers={"X-CSRFToken": signed_in.token})
        if response.status_code != 400:
            wrong.append(f"{body[:40]!r}: {response.status_code}")
    assert wrong == []


def test_a_lone_surrogate_in_a_crisis_check_is_a_bad_request(signed_in):
    response = signed_in.client.post("/api/crisis/check", data='{"text": "I can\'t \\udc00 go on"}',
                                     content_type="application/json", headers={"X-CSRFToken": signed_in.token})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


@pytest.mark.parametrize("next_", ["/\r\nSet-Cookie: stolen=1", "/notifications\n", "/\x00", "/%0d%0a"])
def test_line_breaks_in_the_sign_in_next_field_never_reach_a_header(visitor, member, next_):
    response = visitor.post("/login", {"username": member.username, "password": "a long enough password",
                                       "next": next_})
    assert response.status_code in (302, 400)
    assert "\n" not in response.headers.get("Location", "") and "stolen" not in str(response.headers)


def chunked_post(app, visitor, path: str, body: bytes) -> str:
    """POST a body as a chunked request reaches the app under gunicorn: no Content-Length, a terminated stream.

    Straight to the WSGI app: the test client would measure the stream and add the length itself.
    """
    environ = EnvironBuilder(path=path, method="POST", content_type="application/x-www-form-urlencoded",
                             headers={"Cookie": f"session={visitor.client.get_cookie('session').value}"}).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True,
                    "HTTP_TRANSFER_ENCODING": "chunked"})
    _, status, _ = contextvars.Context().run(run_wsgi_app, app, environ, buffered=True)
    return status


def test_a_chunked_body_over_the_limit_is_too_large_not_cut_short(app, signed_in):
    too_long = f"csrf_token={signed_in.token}&title=A+long+night&body=".encode() + b"a" * (1024 * 1024)
    assert chunked_post(app, signed_in, "/posts/new", too_long).startswith("413")


def test_a_chunked_body_within_the_limit_arrives_whole(app, signed_in):
    body = f"csrf_token={signed_in.token}&title=A+long+night&body=".encode() + b"a" * 19_000
    assert chunked_post(app, signed_in, "/posts/new", body).startswith("302")


def test_edits_are_rate_limited_like_new_posts(app, database_url, member):
    if not database_url.startswith("sqlite"):
        pytest.skip("the limit is the same whatever the database; once is enough")
    limited = rate_limited_app(database_url, "memory://")
    author = Visitor(limited.test_client())
    author.sign_in(member.username)
    post_id = make_post(member).id
    statuses = [author.post(f"/posts/{post_id}/edit", {"title": "A hard week", "body": f"Edit {i}."}).status_code
                for i in range(31)]
    assert statuses == [302] * 30 + [429]  # 30 an hour, as for new posts


def a_file(content: bytes = b"tidepool") -> tuple:
    return io.BytesIO(content), "a.txt"


#: Forms that take no files (none here does), each with a file sent as one of its own fields and as another part.
FILE_PARTS = [
    ("/login", {"username": a_file, "password": "x"}),
    ("/register", {"username": a_file, "password": "long enough pw", "confirm": "long enough pw"}),
    ("/forgot-password", {"username": "river_stone", "code": a_file}),
    ("/posts/new", {"title": a_file, "body": "Some days."}),
    ("/posts/new", {"title": "A hard week", "body": "Some days.", "photo": a_file}),
    ("/settings", {"bio": a_file}),
]


@pytest.mark.parametrize(("path", "form"), FILE_PARTS)
def test_a_file_sent_to_a_form_is_a_bad_request(signed_in, visitor, path, form):
    sender = visitor if path in ("/login", "/register", "/forgot-password") else signed_in
    data = {name: value() if callable(value) else value for name, value in form.items()}
    response = sender.post(path, data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Something in that request didn" in response.get_data(as_text=True)


def test_a_form_sent_as_multipart_without_files_still_works(signed_in):
    response = signed_in.post("/posts/new", {"title": "A hard week", "body": "Some days."},
                              content_type="multipart/form-data")
    assert response.status_code == 302


def test_a_file_sent_to_the_api_is_a_json_bad_request(signed_in):
    response = signed_in.client.post("/api/v1/posts", data={"title": "A hard week", "body": a_file()},
                                     content_type="multipart/form-data", headers={"X-CSRFToken": signed_in.token})
    assert response.status_code == 400
    assert "no files" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("url", ["/posts/new", "/posts/{post}/replies", "/settings", "/api/crisis/check"])
def test_an_empty_body_said_to_be_json_is_refused_as_no_body_not_a_500(signed_in, post_id, url):
    response = signed_in.client.post(url.format(post=post_id), data="", content_type="application/json",
                                     headers={"X-CSRFToken": signed_in.token})
    assert response.status_code in (400, 422), response.status_code
