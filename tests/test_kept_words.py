"""A form that fails in a way its view couldn't answer (an expired page, a bug, the database gone) lands on an
error page that gives back what the member wrote, and where sending it again can work, lets them send it."""
import html
import re
import uuid

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.fields.core import UnboundField

from forum.extensions import db
from forum.kept_words import kept_words
from forum.models import ModerationAction, Post
from tests.helpers import CSRF_INPUT, PASSWORD, Visitor, make_member
from tests.test_faults import UNREACHABLE_DATABASES, app_with, rate_limited_app, signed_in_cookie
from tests.test_moderation import queued_post

OUR_ORIGIN = {"Origin": "http://localhost"}
WORDS = {"title": "Tonight is heavy", "body": "I wrote this slowly.\nEvery line of it took a while. #Anxiety"}
KEPT_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*data-kept-words>(.*?)</form>', re.S)


def kept_form(page: str) -> tuple[str, dict[str, str]]:
    """The error page's form of kept words: where it sends, and every field it would send."""
    match = KEPT_FORM.search(page)
    assert match, "the error page gives the words back in a form"
    action, inner = html.unescape(match.group(1)), match.group(2)
    fields = {name: html.unescape(value)
              for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', inner)}
    fields.update({name: html.unescape(value)
                   for name, value in re.findall(r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', inner, re.S)})
    return action, fields


def posts_titled(title: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.title == title))


def test_an_expired_page_gives_the_words_back_and_sends_them_once(mod_visitor, member):
    # The composer and reply box answer an expired page themselves, beside the text; forms that don't (here a
    # moderator's reasoned warning) land on the error page, which gives the reason back.
    post, item = queued_post(member)
    reason = "Please keep the thread kind.\nEveryone here is having a hard time."
    sent = {"action": "warn", "version": str(item.version), "reason": reason, "csrf_token": "left-open-all-night"}
    response = mod_visitor.client.post(f"/moderation/items/{item.id}/act", data=sent, headers=OUR_ORIGIN)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This page was open for a long time" in page and "Send it again" in page
    action, fields = kept_form(page)
    assert action == f"/moderation/items/{item.id}/act"
    assert fields["reason"] == reason
    assert fields["action"] == "warn" and fields["version"] == str(item.version)  # carried unseen
    assert 'name="action" value="warn"' in page and "<textarea" in page
    assert fields["csrf_token"] != sent["csrf_token"]
    assert warnings_given() == 0

    assert mod_visitor.client.post(action, data=fields).status_code == 302
    # Sent twice from the error page: the item's version has moved on, so the second is refused, not doubled.
    mod_visitor.client.post(action, data=fields)
    assert warnings_given() == 1


def warnings_given() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ModerationAction)
                             .where(ModerationAction.action == "warn"))


def test_words_posted_from_another_site_are_shown_but_not_offered_for_sending(mod_visitor, member):
    _, item = queued_post(member)
    sent = {"action": "warn", "version": str(item.version), "reason": "Words <b>someone</b> else chose",
            "csrf_token": "none"}
    for headers in ({"Origin": "https://elsewhere.example"}, {"Referer": "https://elsewhere.example/page"}, {}):
        page = mod_visitor.client.post(f"/moderation/items/{item.id}/act", data=sent, headers=headers).get_data(
            as_text=True)
        assert "Words &lt;b&gt;someone&lt;/b&gt; else chose" in page
        assert "Send it again" not in page
        _, fields = kept_form(page)
        assert "csrf_token" not in fields, "no fresh token for a form another site sent"


def test_passwords_and_tokens_are_never_written_back(mod_visitor, member):
    _, item = queued_post(member)
    sent = {"action": "warn", "version": str(item.version), "reason": "A reason", "csrf_token": "stale",
            "password": "correct horse battery", "api_token": "kt_secret_value"}
    page = mod_visitor.client.post(f"/moderation/items/{item.id}/act", data=sent, headers=OUR_ORIGIN).get_data(
        as_text=True)
    assert "correct horse battery" not in page and "kt_secret_value" not in page and "stale" not in page
    _, fields = kept_form(page)
    assert fields["reason"] == "A reason"


def test_a_bug_while_saving_keeps_the_words_and_they_go_through_once_it_is_fixed(app, signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in saving posts")

    monkeypatch.setattr("forum.posts.views.create_post", broken)
    token = signed_in.token
    response = signed_in.client.post("/posts/new", data={**WORDS, "csrf_token": token}, headers=OUR_ORIGIN)
    assert response.status_code == 500
    action, fields = kept_form(response.get_data(as_text=True))
    assert fields["body"] == WORDS["body"]
    monkeypatch.undo()
    assert signed_in.client.post(action, data=fields).status_code == 302
    assert posts_titled(WORDS["title"]) == 1


@pytest.mark.parametrize("backend", sorted(UNREACHABLE_DATABASES))
def test_with_the_database_gone_a_members_words_come_back_on_the_503_page(backend):
    client = app_with(UNREACHABLE_DATABASES[backend]).test_client()
    signed_in_cookie(client)
    response = client.post("/posts/new", data={**WORDS, "csrf_token": "any"}, headers=OUR_ORIGIN)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and 'href="/help"' in page
    _, fields = kept_form(page)
    assert fields["title"] == WORDS["title"] and fields["body"] == WORDS["body"]
    assert CSRF_INPUT.search(page), "it can be sent again once the database is back"


def test_scripts_still_get_json_errors(mod_visitor, member):
    _, item = queued_post(member)
    response = mod_visitor.client.post(f"/moderation/items/{item.id}/act", json={"action": "warn", "reason": "x"},
                                       headers=OUR_ORIGIN)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == 400


# --- Secrets never come back ---------------------------------------------------------------------------------

SECRET_WORDS = "my-secret-pass-123"
CODE = "ABCD-EFGH-JKLM-NPQR-STUV"


def form_classes(base=FlaskForm):
    for subclass in base.__subclasses__():
        yield subclass
        yield from form_classes(subclass)


def password_fields() -> set[str]:
    """The name of every password field of every form on the site."""
    return {name for form in form_classes() for name, field in vars(form).items()
            if isinstance(field, UnboundField) and issubclass(field.field_class, PasswordField)}


#: Secrets forms hold in plain text fields, which no field type can tell apart.
SECRET_TEXT_FIELDS = {"code", "recovery_code", "api_token", "secret"}


def test_every_form_of_the_site_has_password_fields_we_know_of(app):
    assert {"password", "confirm", "current_password", "new_password"} <= password_fields()


@pytest.mark.parametrize("name", sorted({"password", "confirm", "current_password", "new_password"}
                                        | SECRET_TEXT_FIELDS))
def test_no_password_or_code_is_ever_kept(app, name):
    assert name in SECRET_TEXT_FIELDS or name in password_fields()
    with app.test_request_context("/register", method="POST", data={"username": "river_stone", name: SECRET_WORDS},
                                  headers=OUR_ORIGIN):
        kept = kept_words(429)
    assert kept is not None and [field.value for field in kept.typed] == ["river_stone"]
    assert SECRET_WORDS not in {value for _, value in kept.unseen}


def limited_until_refused(send) -> object:
    """Send until the rate limit answers (at most 12 times), and give that answer."""
    for _ in range(12):
        response = send()
        if response.status_code == 429:
            return response
    raise AssertionError("the form was never rate-limited")


def test_the_429_page_after_joining_keeps_the_name_but_not_the_password(app, database_url):
    visitor = Visitor(rate_limited_app(database_url, f"memory://{uuid.uuid4().hex}").test_client())
    response = limited_until_refused(lambda: visitor.post(
        "/register", {"username": "river_stone", "password": SECRET_WORDS, "confirm": SECRET_WORDS,
                      "recovery_code": "y"}, headers=OUR_ORIGIN))
    page = response.get_data(as_text=True)
    assert 'value="river_stone"' in page or ">river_stone</textarea>" in page
    assert SECRET_WORDS not in page
    assert "no-store" in response.headers["Cache-Control"]


def test_the_429_page_after_a_recovery_keeps_the_name_but_not_the_code_or_password(app, database_url):
    make_member("river_stone")
    visitor = Visitor(rate_limited_app(database_url, f"memory://{uuid.uuid4().hex}").test_client())
    response = limited_until_refused(lambda: visitor.post(
        "/forgot-password", {"username": "river_stone", "code": CODE, "new_password": SECRET_WORDS,
                             "confirm": SECRET_WORDS}, headers=OUR_ORIGIN))
    page = response.get_data(as_text=True)
    assert ">river_stone</textarea>" in page
    assert CODE not in page and SECRET_WORDS not in page and PASSWORD not in page
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/login", "/register"])
def test_the_pages_that_take_passwords_are_never_stored(client, path):
    assert "no-store" in client.get(path).headers["Cache-Control"]
