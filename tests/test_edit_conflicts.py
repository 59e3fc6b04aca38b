"""Edits sent twice make one change; an edit opened on words changed since (another tab, another device) shows
the member both versions instead of overwriting the newer one unseen."""
import re
from html import unescape

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.models import Post, Reply, Revision
from tests.helpers import make_post, make_reply

BASED_ON = re.compile(r'name="based_on"[^>]*value="([^"]*)"')


def opened(visitor, url: str) -> str:
    """Open an edit page as a browser tab would, and return the version of the words it was opened on."""
    page = visitor.get(url).get_data(as_text=True)
    match = BASED_ON.search(page)
    assert match, "the edit form carries the version it was opened on"
    return match.group(1)


def revisions() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Revision))


def post_words(title: str, body: str, based_on: str, **extra) -> dict:
    return {"title": title, "body": body, "tags": "", "content_warning": "", "based_on": based_on, **extra}


def test_the_same_edit_sent_twice_changes_the_post_once(signed_in, member):
    post = make_post(member)
    version = opened(signed_in, f"/posts/{post.id}/edit")
    words = post_words("A hard week, better now", "Some days are lighter. #Depression", version)
    assert signed_in.post(f"/posts/{post.id}/edit", words).status_code == 302
    assert signed_in.post(f"/posts/{post.id}/edit", words).status_code == 302  # its answer was lost; sent again
    assert revisions() == 1
    db.session.refresh(post)
    assert post.title == "A hard week, better now"


def test_saving_without_a_change_keeps_no_revision(signed_in, member):
    post = make_post(member)
    version = opened(signed_in, f"/posts/{post.id}/edit")
    edited_at = post.edited_at
    response = signed_in.post(f"/posts/{post.id}/edit", post_words(post.title, post.body, version))
    assert response.status_code == 302
    assert revisions() == 0
    db.session.refresh(post)
    assert post.edited_at == edited_at


def test_an_edit_from_an_older_tab_shows_both_versions_and_overwrites_only_when_sent_again(signed_in, member):
    post = make_post(member)
    first_tab = opened(signed_in, f"/posts/{post.id}/edit")
    second_tab = opened(signed_in, f"/posts/{post.id}/edit")
    assert signed_in.post(f"/posts/{post.id}/edit",
                          post_words("Update", "Written in the first tab. #Depression", first_tab)).status_code == 302

    response = signed_in.post(f"/posts/{post.id}/edit",
                              post_words("Update", "Written in the second tab. #Depression", second_tab))
    assert response.status_code == 409
    page = unescape(response.get_data(as_text=True))
    assert "changed after you opened this page" in page
    assert "What is saved now" in page and "Written in the first tab." in page
    assert "Written in the second tab." in page  # still in the box
    db.session.refresh(post)
    assert post.body == "Written in the first tab. #Depression"

    newer = BASED_ON.search(response.get_data(as_text=True)).group(1)
    assert newer != second_tab
    assert signed_in.post(f"/posts/{post.id}/edit",
                          post_words("Update", "Written in the second tab. #Depression", newer)).status_code == 302
    db.session.refresh(post)
    assert post.body == "Written in the second tab. #Depression"
    assert revisions() == 2


def test_a_change_of_hashtags_alone_is_a_change(signed_in, member):
    post = make_post(member, body="Some days are heavier than others.", tags="Depression")
    version = opened(signed_in, f"/posts/{post.id}/edit")
    response = signed_in.post(f"/posts/{post.id}/edit", post_words(post.title, post.body, version, tags="Anxiety"))
    assert response.status_code == 302
    db.session.refresh(post)
    assert [tag.name for tag in post.hashtags] == ["Anxiety"]


def test_a_form_without_a_version_is_applied_as_before(signed_in, member):
    post = make_post(member)
    response = signed_in.post(f"/posts/{post.id}/edit", post_words("Changed", "Changed words.", ""))
    assert response.status_code == 302
    db.session.refresh(post)
    assert post.body == "Changed words."


def test_reply_edits_are_sent_once_and_never_overwrite_a_newer_version_unseen(signed_in, member, other_member):
    post = make_post(other_member)
    reply = make_reply(member, post, "Thinking of you.")
    url = f"/replies/{reply.id}/edit"
    first_tab, second_tab = opened(signed_in, url), opened(signed_in, url)
    first = {"body": "Thinking of you tonight.", "based_on": first_tab}
    assert signed_in.post(url, first).status_code == 302
    assert signed_in.post(url, first).status_code == 302
    assert revisions() == 1

    response = signed_in.post(url, {"body": "Here if you want to talk.", "based_on": second_tab})
    assert response.status_code == 409
    assert "Thinking of you tonight." in unescape(response.get_data(as_text=True))
    db.session.refresh(reply)
    assert reply.body == "Thinking of you tonight."


@pytest.mark.parametrize("model", [Post, Reply])
def test_the_edit_pages_keep_a_draft_in_the_browser(signed_in, member, other_member, model):
    post = make_post(member)
    url = f"/posts/{post.id}/edit" if model is Post else f"/replies/{make_reply(member, post, 'Hi.').id}/edit"
    page = signed_in.get(url).get_data(as_text=True)
    assert re.search(r'data-draft="\d+:edit-(post|reply):\d+"', page)
    assert 'name="submission_key"' in page  # the key the landing page names, to let the draft go


def test_an_edit_form_has_a_key_of_its_own_not_the_one_the_post_was_written_with(signed_in, member):
    signed_in.post("/posts/new", {"title": "First night", "body": "Trying this out.", "submission_key": "w" * 32})
    post = db.session.scalar(sa.select(Post).where(Post.title == "First night"))
    page = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    key = re.search(r'name="submission_key"[^>]*value="([^"]*)"', page).group(1)
    assert key and key != "w" * 32
