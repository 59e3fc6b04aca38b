"""Settings → Access tokens: made once and shown once, kept only as a hash, named and scoped, revoked at once."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import AccessToken, utcnow
from forum.services.credentials import create_recovery_code
from forum.services.privacy import delete_account
from forum.services.tokens import USE_RESOLUTION, create_token, note_use, secret_hash, token_for_secret
from tests.api_support import ApiClient
from tests.helpers import PASSWORD, Visitor

SECRET = re.compile(r"kdr_[A-Za-z0-9_-]{43}")


def make_token(visitor, name="journal app", scope="write", password=PASSWORD):
    response = visitor.post("/settings/tokens", {"name": name, "scope": scope, "password": password})
    found = SECRET.findall(response.get_data(as_text=True))
    return response, found[0] if found else None


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(signed_in):
    response, secret = make_token(signed_in)
    assert response.status_code == 200 and secret is not None
    token = db.session.scalars(select(AccessToken)).one()
    assert token.secret_hash == secret_hash(secret) and secret not in (token.hint, token.name)
    assert token.hint == secret[:10] and token.scope == "write"
    later = signed_in.get("/settings/tokens").get_data(as_text=True)
    assert secret not in later and token.hint in later and "journal app" in later
    assert response.headers["Cache-Control"] == "no-store"


def test_the_new_token_works_at_once(app, signed_in, member):
    _, secret = make_token(signed_in, scope="read")
    client = ApiClient(app)
    response = client.get("/notifications", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_a_revoked_token_stops_at_once(app, signed_in):
    _, secret = make_token(signed_in)
    client, bearer = ApiClient(app), {"Authorization": f"Bearer {secret}"}
    assert client.get("/notifications", headers=bearer).status_code == 200
    token = db.session.scalars(select(AccessToken)).one()
    revoked = signed_in.post(f"/settings/tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert client.get("/notifications", headers=bearer).status_code == 401
    assert "You have no tokens" in signed_in.get("/settings/tokens").get_data(as_text=True)


def test_nobody_revokes_anothers_token(signed_in, signed_in_other):
    make_token(signed_in)
    token = db.session.scalars(select(AccessToken)).one()
    assert signed_in_other.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(AccessToken, token.id).revoked_at is None


def test_a_token_needs_a_name_and_a_known_scope(signed_in):
    assert make_token(signed_in, name="  ")[0].status_code == 422
    assert make_token(signed_in, scope="admin")[0].status_code == 422
    assert db.session.scalars(select(AccessToken)).all() == []


def test_revoking_needs_the_csrf_token(signed_in):
    make_token(signed_in)
    token = db.session.scalars(select(AccessToken)).one()
    assert signed_in.client.post(f"/settings/tokens/{token.id}/revoke").status_code == 400
    assert db.session.get(AccessToken, token.id).revoked_at is None


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/settings/tokens").status_code == 302


def test_last_use_is_written_at_most_once_a_minute(app, member):
    token, secret = create_token(member, "script", "read")
    db.session.commit()
    moment = token.created_at + timedelta(hours=1)
    assert note_use(token, moment) is True
    db.session.commit()
    db.session.refresh(token)
    assert note_use(token, moment + USE_RESOLUTION / 2) is False
    assert note_use(token, moment + USE_RESOLUTION * 2) is True
    assert token_for_secret(secret).id == token.id and token_for_secret(secret + "x") is None


def test_using_a_token_shows_in_settings(app, signed_in):
    _, secret = make_token(signed_in)
    assert "never used" in signed_in.get("/settings/tokens").get_data(as_text=True)
    ApiClient(app).get("/posts", headers={"Authorization": f"Bearer {secret}"})
    db.session.expire_all()
    assert db.session.scalars(select(AccessToken)).one().last_used_at is not None
    assert "last used" in signed_in.get("/settings/tokens").get_data(as_text=True)


def test_settings_link_to_the_tokens(signed_in):
    assert 'href="/settings/tokens"' in signed_in.get("/settings").get_data(as_text=True)


def test_deleting_the_account_ends_its_tokens(app, member):
    _, secret = create_token(member, "script", "write")
    db.session.commit()
    delete_account(member, keep_words_anonymously=False)
    db.session.commit()
    assert db.session.scalars(select(AccessToken)).all() == []
    assert ApiClient(app).get("/posts", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_suspended_member_reads_but_cannot_write_with_their_token(app, member):
    client = ApiClient(app, "write_token", member)
    member.suspended_until = utcnow() + timedelta(days=1)
    db.session.commit()
    assert client.get("/posts").status_code == 200
    assert client.post("/posts", json={"title": "Hello", "body": "Words."}).status_code == 403


# --- Every token ends with every sign-in ---------------------------------------------------------------------

NEW_PASSWORD = "lanterns along the harbour wall"


def writes_with(app, secret) -> int:
    """The status of a post made through the API with this token."""
    return ApiClient(app).post("/posts", json={"title": "Still here", "body": "Words from a script."},
                               headers={"Authorization": f"Bearer {secret}"}).status_code


def sign_out_everywhere(app, signed_in, member):
    return signed_in.post("/settings/sign-out-everywhere", follow_redirects=True)


def change_password(app, signed_in, member):
    return signed_in.post("/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD}, follow_redirects=True)


def recover_with_a_code(app, signed_in, member):
    code = create_recovery_code(member)
    db.session.commit()
    return Visitor(app.test_client()).post("/forgot-password", {
        "username": member.username, "code": code, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True)


@pytest.mark.parametrize("end_sign_ins", [sign_out_everywhere, change_password, recover_with_a_code])
def test_ending_every_sign_in_revokes_every_token_and_says_so(app, signed_in, member, end_sign_ins):
    _, write_secret = make_token(signed_in, "journal app", "write")
    _, read_secret = make_token(signed_in, "reader", "read")
    assert writes_with(app, write_secret) == 201
    page = end_sign_ins(app, signed_in, member).get_data(as_text=True)
    assert "access tokens" in page and "stopped working" in page
    assert writes_with(app, write_secret) == 401
    bearer = {"Authorization": f"Bearer {read_secret}"}
    assert ApiClient(app).get("/notifications", headers=bearer).status_code == 401
    db.session.expire_all()
    assert all(token.is_revoked for token in db.session.scalars(select(AccessToken)))


def test_ending_every_sign_in_leaves_other_members_tokens_working(app, signed_in, other_member):
    _, secret = create_token(other_member, "their script", "write")
    db.session.commit()
    sign_out_everywhere(app, signed_in, None)
    assert writes_with(app, secret) == 201


def test_a_read_and_write_token_needs_the_password(signed_in):
    for password in ("", "not my password at all"):
        response, secret = make_token(signed_in, scope="write", password=password)
        assert response.status_code == 422 and secret is None
    assert "Enter your password" in make_token(signed_in, password="")[0].get_data(as_text=True)
    assert db.session.scalars(select(AccessToken)).all() == []
    response, secret = make_token(signed_in, scope="write", password=PASSWORD)
    assert response.status_code == 200 and secret is not None


def test_a_read_only_token_needs_no_password(signed_in):
    response, secret = make_token(signed_in, scope="read", password="")
    assert response.status_code == 200 and secret is not None
