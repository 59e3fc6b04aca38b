"""A line break counts once, as the browser counts it: what maxlength let a member type is never "too long"
because the browser sent each line break as two characters (CRLF). Text is kept with "\\n" line breaks."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import MemberNotice, Post, Reply
from forum.models.post import POST_BODY_MAX, REPLY_BODY_MAX
from tests.helpers import make_post
from tests.test_moderation import act, queued_post


def typed_in_a_browser(length: int, line: int = 100) -> str:
    """Text of `length` characters as a textarea counts them (a line break is one), sent as the browser sends
    it: every line break as CRLF."""
    lines, remaining = [], length
    while remaining > line:
        lines.append("x" * (line - 1))
        remaining -= line
    lines.append("x" * remaining)
    return "\r\n".join(lines)


def browser_count(sent: str) -> int:
    return len(sent.replace("\r\n", "\n"))


def test_the_helper_makes_what_a_browser_sends():
    sent = typed_in_a_browser(20_000)
    assert browser_count(sent) == 20_000 and len(sent) == 20_199 and "\r" not in sent.replace("\r\n", "")


def test_a_post_as_long_as_the_page_allows_is_kept_with_single_line_breaks(signed_in):
    body = typed_in_a_browser(POST_BODY_MAX)
    response = signed_in.post("/posts/new", {"title": "All of it", "body": body})
    assert response.status_code == 302
    post = db.session.scalars(select(Post)).one()
    assert post.body == body.replace("\r\n", "\n") and len(post.body) == POST_BODY_MAX and "\r" not in post.body


def test_a_post_longer_than_the_page_allows_is_still_refused(signed_in):
    response = signed_in.post("/posts/new", {"title": "Too much", "body": typed_in_a_browser(POST_BODY_MAX + 1)})
    assert response.status_code == 422 and "Posts can be up to 20,000 characters" in response.get_data(as_text=True)


def test_a_reply_as_long_as_the_page_allows_is_kept(signed_in_other, member):
    post = make_post(member)
    body = typed_in_a_browser(REPLY_BODY_MAX)
    assert signed_in_other.post(f"/posts/{post.id}/replies", {"body": body}).status_code == 302
    assert db.session.scalars(select(Reply)).one().body == body.replace("\r\n", "\n")


def test_an_edit_as_long_as_the_page_allows_is_kept(signed_in, member):
    post = make_post(member)
    body = typed_in_a_browser(POST_BODY_MAX)
    assert signed_in.post(f"/posts/{post.id}/edit", {"title": post.title, "body": body}).status_code == 302
    db.session.refresh(post)
    assert len(post.body) == POST_BODY_MAX


@pytest.mark.parametrize("sent,kept", [("one\r\ntwo", "one\ntwo"), ("one\rtwo", "one\ntwo"), ("one\ntwo", "one\ntwo")])
def test_a_bio_as_long_as_the_page_allows_is_kept_with_single_line_breaks(signed_in, member, sent, kept):
    filler = "x" * (500 - len(kept))
    response = signed_in.post("/settings", {"country": "", "bio": filler + sent})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.bio == filler + kept


def test_a_moderators_reason_as_long_as_the_page_allows_is_kept(mod_visitor, member):
    post, item = queued_post(member)
    reason = typed_in_a_browser(1000, line=50)
    assert act(mod_visitor, item, "hide", reason=reason).status_code == 302
    db.session.refresh(post)
    assert post.moderation_note == reason.replace("\r\n", "\n")


def test_a_second_review_note_as_long_as_the_page_allows_loses_no_words(mod_visitor, signed_in, member):
    post, item = queued_post(member)
    act(mod_visitor, item, "hide", reason="Looks like spam")
    notice = db.session.scalars(select(MemberNotice)).one()
    note = typed_in_a_browser(1000, line=50)
    signed_in.post(f"/notices/{notice.id}/review", {"note": note})
    db.session.refresh(notice)
    assert notice.review_note == note.replace("\r\n", "\n")  # was cut to 1000 with CRLF: its last 19 went
