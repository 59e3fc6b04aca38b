"""Changing a password ends the other sign-ins; a one-time recovery code, shown once and stored hashed, is the
only way back into an account whose password is lost."""
import re

import pytest
from sqlalchemy import select

from forum import create_app
from forum.extensions import db
from forum.models import SignIn, User
from forum.services.credentials import create_recovery_code, reset_password_with_recovery_code
from tests.helpers import PASSWORD, Visitor
from tests.test_concurrency import race
from tests.test_sessions import cookies_of, opens_an_account, replay, sign_in

NEW_PASSWORD = "lanterns along the harbour wall"
CODE_SHOWN = re.compile(r'<p class="recovery-code"><code>([0-9A-Z-]+)</code></p>')


def change_password(visitor, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return visitor.post("/settings/password", {"current_password": current, "new_password": new,
                                               "confirm": new if confirm is None else confirm})


def password_of(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def make_code(member) -> str:
    code = create_recovery_code(member)
    db.session.commit()
    return code


def recover(visitor, username, code, new=NEW_PASSWORD):
    return visitor.post("/forgot-password", {"username": username, "code": code, "new_password": new,
                                             "confirm": new})


# --- Changing the password -------------------------------------------------------------------------------------


def test_changing_the_password_ends_other_sign_ins_and_keeps_this_one(app, member):
    laptop = sign_in(app, member.username, remember=True)
    laptop_cookies = cookies_of(laptop)
    phone = sign_in(app, member.username)
    response = change_password(phone)
    assert response.status_code == 302
    told = phone.get("/settings").get_data(as_text=True)
    assert "Your password is changed" in told and "signed out" in told
    assert opens_an_account(phone.client) == "river_stone"
    assert opens_an_account(laptop.client) is None
    for kept in (("session",), ("remember_token",)):
        assert opens_an_account(replay(app, {name: laptop_cookies[name] for name in kept})) is None
    db.session.expire_all()
    assert password_of("river_stone").check_password(NEW_PASSWORD)
    assert not password_of("river_stone").check_password(PASSWORD)


def test_the_new_password_signs_in_and_the_old_one_does_not(app, member, signed_in):
    change_password(signed_in)
    attempts = {password: Visitor(app.test_client()).post("/login", {"username": "river_stone",
                                                                     "password": password}).status_code
                for password in (PASSWORD, NEW_PASSWORD)}
    assert attempts == {PASSWORD: 200, NEW_PASSWORD: 302}


def test_changing_the_password_needs_the_current_one(app, member, signed_in):
    other = sign_in(app, member.username)
    response = change_password(signed_in, current="not my password at all")
    assert response.status_code == 422
    assert "That isn&#39;t your current password." in response.get_data(as_text=True)
    db.session.expire_all()
    assert password_of("river_stone").check_password(PASSWORD)
    assert opens_an_account(other.client) == "river_stone"


@pytest.mark.parametrize("new,message", [
    ("short", "Use at least 10 characters"),
    ("password123", "one of the most common"),
    (PASSWORD, "That&#39;s your password already"),
])
def test_the_new_password_follows_the_registration_rule(signed_in, new, message):
    response = change_password(signed_in, new=new)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_mismatched_new_passwords_are_refused(signed_in):
    response = change_password(signed_in, confirm="something else entirely")
    assert response.status_code == 422 and "don&#39;t match" in response.get_data(as_text=True)


def test_changing_the_password_needs_signing_in(visitor):
    assert visitor.get("/settings/password").headers["Location"].startswith("/login")


# --- Recovery codes ------------------------------------------------------------------------------------------


def test_joining_can_show_a_recovery_code_once_and_keeps_only_its_hash(visitor):
    response = visitor.post("/register", {"username": "quiet_harbor", "password": PASSWORD, "confirm": PASSWORD,
                                          "recovery_code": "y"})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    code = CODE_SHOWN.search(response.get_data(as_text=True)).group(1)
    member = password_of("quiet_harbor")
    assert member.recovery_code_hash and code.replace("-", "") not in member.recovery_code_hash
    assert code not in visitor.get("/settings/recovery-code").get_data(as_text=True)
    assert opens_an_account(visitor.client) == "quiet_harbor"


def test_joining_without_a_recovery_code(visitor):
    assert visitor.post("/register", {"username": "quiet_harbor", "password": PASSWORD,
                                      "confirm": PASSWORD}).status_code == 302
    assert password_of("quiet_harbor").recovery_code_hash is None


def test_joining_says_a_lost_password_needs_the_code(visitor):
    page = visitor.get("/register").get_data(as_text=True)
    assert "a lost password can't be recovered without a recovery code" in page


def test_settings_make_a_recovery_code_with_the_password(signed_in, member):
    refused = signed_in.post("/settings/recovery-code", {"password": "not my password at all"})
    assert refused.status_code == 422 and member.recovery_code_hash is None
    shown = signed_in.post("/settings/recovery-code", {"password": PASSWORD})
    code = CODE_SHOWN.search(shown.get_data(as_text=True)).group(1)
    assert len(code.replace("-", "")) == 20
    db.session.expire_all()
    assert member.recovery_code_hash is not None


def test_a_new_recovery_code_replaces_the_old_one(app, member):
    old = make_code(member)
    new = make_code(member)
    assert old != new
    assert reset_password_with_recovery_code("river_stone", old, NEW_PASSWORD) is None
    assert reset_password_with_recovery_code("river_stone", new, NEW_PASSWORD) is member


def test_a_recovery_code_resets_the_password_once_and_ends_every_sign_in(app, member):
    code = make_code(member)
    laptop_cookies = cookies_of(sign_in(app, member.username, remember=True))
    visitor = Visitor(app.test_client())
    response = recover(visitor, "RIVER_STONE", code.lower().replace("-", " "))
    assert response.status_code == 302 and response.headers["Location"] == "/settings/recovery-code"
    assert "every device that was signed in is signed out" in visitor.get("/settings").get_data(as_text=True)
    assert opens_an_account(visitor.client) == "river_stone"
    for kept in (("session",), ("remember_token",)):
        assert opens_an_account(replay(app, {name: laptop_cookies[name] for name in kept})) is None
    assert db.session.scalars(select(SignIn.member_id)).all() == [member.id]  # only the browser that recovered
    db.session.expire_all()
    assert member.check_password(NEW_PASSWORD) and member.recovery_code_hash is None

    again = recover(Visitor(app.test_client()), "river_stone", code, new="another fresh passphrase here")
    assert again.status_code == 422
    db.session.expire_all()
    assert member.check_password(NEW_PASSWORD)


def test_wrong_codes_and_unknown_names_get_the_same_answer(app, member):
    make_code(member)
    answers = []
    for username, code in (("river_stone", "ABCD-EFGH-JKLM-NPQR-STUV"), ("nobody_here", "ABCD-EFGH-JKLM-NPQR-STUV")):
        response = recover(Visitor(app.test_client()), username, code)
        assert response.status_code == 422
        page = re.sub(r'(value|content)="[^"]*"', "", response.get_data(as_text=True))  # tokens differ
        answers.append(page.replace(username, "NAME"))
    assert "That username and recovery code don&#39;t match" in answers[0]
    assert answers[0] == answers[1]
    db.session.expire_all()
    assert member.check_password(PASSWORD)


def test_a_member_without_a_code_cannot_be_recovered(app, member):
    response = recover(Visitor(app.test_client()), "river_stone", "ABCD-EFGH-JKLM-NPQR-STUV")
    assert response.status_code == 422
    db.session.expire_all()
    assert member.check_password(PASSWORD)


def test_the_forgot_password_page_says_plainly_there_is_no_other_way(visitor):
    page = visitor.get("/forgot-password").get_data(as_text=True)
    assert "Without a recovery code a lost password cannot be recovered" in page
    assert 'href="/forgot-password"' in visitor.get("/login").get_data(as_text=True)


def test_a_recovery_keeps_what_was_typed_when_the_new_password_is_weak(app, member):
    code = make_code(member)
    response = recover(Visitor(app.test_client()), "river_stone", code, new="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Use at least 10 characters" in page and 'value="river_stone"' in page
    assert reset_password_with_recovery_code("river_stone", code, NEW_PASSWORD) is member  # not used up


@pytest.fixture
def limited_client(database_url):
    """A client of an app that enforces its rate limits (the test config switches them off)."""
    limited = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                          "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    with limited.app_context():
        yield Visitor(limited.test_client())
        db.session.remove()
        db.engine.dispose()


def test_guessing_recovery_codes_is_rate_limited_per_account(app, member, limited_client):
    statuses = [recover(limited_client, "river_stone", f"WRONG-CODE-{n}").status_code for n in range(6)]
    assert statuses == [422] * 5 + [429]
    assert recover(limited_client, "someone_else", "WRONG-CODE").status_code == 422  # the limit is that account's


@pytest.mark.parametrize("path", ["/settings/password", "/settings/username", "/settings/recovery-code",
                                  "/forgot-password"])
def test_account_pages_are_never_stored(client, path):
    assert "no-store" in client.get(path).headers["Cache-Control"]


def test_a_recovery_code_used_by_several_at_once_works_once(app, member):
    code = make_code(member)
    visitors = [Visitor(app.test_client()) for _ in range(5)]
    assert all(visitor.token for visitor in visitors)
    statuses = race([lambda visitor=visitor, n=n: recover(visitor, "river_stone", code, new=f"{NEW_PASSWORD} {n}")
                     for n, visitor in enumerate(visitors)])
    assert sorted(statuses) == [302, 422, 422, 422, 422]
    winner = statuses.index(302)
    db.session.expire_all()
    assert member.check_password(f"{NEW_PASSWORD} {winner}") and member.recovery_code_hash is None
