"""A form sent after its sender's sign-in ended (signed out in another tab, or on every device) asks them to sign
in, shows the words it carried, and leads back to the page it was on: never to its own address, which only takes
POST, and never with the words lost."""
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Reply
from tests.helpers import CSRF_INPUT, PASSWORD, Visitor, make_post

WORDS = "It took me an hour to write this.\nPlease don't let it vanish."
NEXT_FIELD = re.compile(r'name="next" type="hidden" value="([^"]*)"')
KEPT = re.compile(r'<textarea id="kept-\d+" readonly[^>]*>(.*?)</textarea>', re.S)


def open_page(visitor, path: str) -> str:
    """The CSRF token of a page the member opens (a form on it can be sent later)."""
    return CSRF_INPUT.search(visitor.get(path).get_data(as_text=True)).group(1)


def sign_in_from(page: str, visitor, username: str):
    """Sign in with the sign-in form of `page`, as the member would."""
    assert 'action="/login"' in page, "the form signs in, whatever address showed it"
    sent = {"csrf_token": CSRF_INPUT.search(page).group(1), "username": username, "password": PASSWORD,
            "next": html.unescape(NEXT_FIELD.search(page).group(1))}
    return visitor.client.post("/login", data=sent)


def replies() -> int:
    return db.session.scalar(select(func.count()).select_from(Reply))


def test_a_reply_sent_after_signing_out_in_another_tab_is_kept_and_signing_in_leads_back(signed_in, member):
    post = make_post(member)
    token = open_page(signed_in, f"/posts/{post.id}")
    signed_in.client.post("/logout", data={"csrf_token": token})  # the other tab

    response = signed_in.client.post(f"/posts/{post.id}/replies", data={"csrf_token": token, "body": WORDS},
                                     headers={"Referer": f"http://localhost/posts/{post.id}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "Welcome back" in page
    assert "What you wrote, kept here" in page
    assert [html.unescape(kept) for kept in KEPT.findall(page)] == [WORDS]
    assert response.headers["Cache-Control"] == "no-store"
    assert replies() == 0

    landed = sign_in_from(page, signed_in, member.username)
    assert landed.status_code == 302 and landed.headers["Location"] == f"/posts/{post.id}"
    assert signed_in.get(landed.headers["Location"]).status_code == 200


def test_signing_out_every_device_keeps_the_words_another_device_was_sending(app, member):
    post = make_post(member)
    laptop, phone = Visitor(app.test_client()), Visitor(app.test_client())
    laptop.sign_in(member.username)
    phone.sign_in(member.username)
    token = open_page(laptop, f"/posts/{post.id}")
    assert phone.post("/settings/sign-out-everywhere").status_code == 302

    response = laptop.client.post(f"/posts/{post.id}/replies", data={"csrf_token": token, "body": WORDS},
                                  headers={"Referer": f"http://localhost/posts/{post.id}"})
    assert response.status_code == 401
    assert [html.unescape(kept) for kept in KEPT.findall(response.get_data(as_text=True))] == [WORDS]


@pytest.mark.parametrize("referer", [None, "https://elsewhere.example/posts/1", "http://localhost/posts/{post}/replies"])
def test_without_a_page_of_ours_to_go_back_to_signing_in_leads_to_the_page_above_the_form(signed_in, member, referer):
    post = make_post(member)
    token = open_page(signed_in, f"/posts/{post.id}")
    signed_in.client.post("/logout", data={"csrf_token": token})
    headers = {"Referer": referer.format(post=post.id)} if referer else {}
    response = signed_in.client.post(f"/posts/{post.id}/replies", data={"csrf_token": token, "body": WORDS},
                                     headers=headers)
    page = response.get_data(as_text=True)
    assert html.unescape(NEXT_FIELD.search(page).group(1)) == f"/posts/{post.id}"


@pytest.mark.parametrize("sent_to,lands_on", [
    ("/posts/{post}/heart", "/posts/{post}"),
    ("/tags/Depression/follow", "/tags/Depression"),
    ("/notifications/read", "/notifications"),
    ("/u/MapleAndTea/block", "/u/MapleAndTea"),
])
def test_a_button_pressed_after_signing_out_leads_back_to_its_page_not_a_405(signed_in, member, other_member,
                                                                            sent_to, lands_on):
    post = make_post(member)
    sent_to, lands_on = sent_to.format(post=post.id), lands_on.format(post=post.id)
    token = open_page(signed_in, f"/posts/{post.id}")
    signed_in.client.post("/logout", data={"csrf_token": token})

    response = signed_in.client.post(sent_to, data={"csrf_token": token})
    assert response.status_code == 302
    login = urlsplit(response.headers["Location"])
    assert login.path == "/login" and parse_qs(login.query)["next"] == [lands_on]
    landed = signed_in.post("/login", {"username": member.username, "password": PASSWORD, "next": lands_on})
    assert landed.headers["Location"] == lands_on
    assert signed_in.get(lands_on).status_code == 200


def test_a_page_opened_signed_out_still_comes_back_after_signing_in(client):
    response = client.get("/posts/new?from=menu")
    assert parse_qs(urlsplit(response.headers["Location"]).query)["next"] == ["/posts/new?from=menu"]
