"""Writing, reading, editing and deleting posts."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Hashtag, Post, Priority, ReasonKind
from forum.services import DomainError
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.moderation.undo import undo_action
from forum.services.posts import create_post
from forum.services.text import tag_path
from tests.api_support import ApiClient
from tests.helpers import make_post


def write(visitor, title="Rough night", body="Couldn't sleep again. #Insomnia #Depression", tags=""):
    return visitor.post("/posts/new", {"title": title, "body": body, "tags": tags})


def post_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Post))


def test_writing_a_post_publishes_it_with_its_hashtags(signed_in):
    response = write(signed_in, body="Couldn't sleep again. #Insomnia #depression", tags="ptsd, #Recovery")
    assert response.status_code == 302
    post = db.session.scalars(select(Post)).one()
    assert response.headers["Location"].partition("#")[0] == f"/posts/{post.id}"  # (a help card may add an anchor)
    assert [t.name for t in post.hashtags] == sorted(["Insomnia", "depression", "ptsd", "Recovery"])
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Rough night" in page and 'href="/tags/Insomnia"' in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/posts/new")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_hashtag_identity_ignores_case_and_keeps_the_first_spelling(signed_in):
    write(signed_in, title="one", body="#Depression today")
    write(signed_in, title="two", body="#DEPRESSION again and #depression")
    tag = db.session.scalars(select(Hashtag)).one()
    assert tag.name == "Depression" and tag.post_count == 2


def test_a_bad_hashtag_is_named_with_the_other_problems_at_once(signed_in):
    response = signed_in.post("/posts/new", {"title": "", "body": "", "tags": "#1bad"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give your post a title" in page and "Write a few words" in page
    assert "These aren&#39;t hashtags we can use: “#1bad”" in page and 'value="#1bad"' in page
    assert post_count() == 0


def test_the_api_names_a_bad_hashtag_with_the_other_fields(app, member):
    response = ApiClient(app, "write_token", member).post("/posts", json={"title": "", "body": "ok", "tags": "C#"})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"title", "tags"} and "hashtags we can use: “C#”" in fields["tags"][0]


def test_creating_a_post_still_refuses_a_bad_hashtag_whoever_calls_it(member):
    with pytest.raises(DomainError, match="hashtags we can use") as refused:
        create_post(member, "Title", "Words.", "#1bad")
    assert refused.value.field == "tags"


@pytest.mark.parametrize("field,value,message", [
    ("title", "", "Give your post a title"),
    ("title", "x" * 151, "Titles can be up to 150 characters"),
    ("body", "", "Write a few words"),
    ("body", "x" * 20_001, "Posts can be up to 20,000 characters"),
    ("tags", "C# ok", "aren&#39;t hashtags we can use"),
])
def test_invalid_post_is_refused_and_keeps_what_was_typed(signed_in, field, value, message):
    data = {"title": "My title stays", "body": "My words stay here.", "tags": "hope", field: value}
    response = signed_in.post("/posts/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    for kept in data.values():
        assert kept[:200] in page
    assert post_count() == 0


def test_more_than_thirty_hashtags_names_the_limit_and_keeps_the_text(signed_in):
    body = "Trailing tags: " + " ".join(f"#tag{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(31))
    response = write(signed_in, body=body)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "at most 30 hashtags" in page and "#tagbe" in page
    assert post_count() == 0


def test_thirty_hashtags_are_fine(signed_in):
    body = " ".join(f"#tag{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(30))
    assert write(signed_in, body=body).status_code == 302
    assert len(db.session.scalars(select(Post)).one().hashtags) == 30


def test_expired_csrf_token_keeps_the_text(signed_in):
    response = signed_in.client.post("/posts/new", data={"csrf_token": "stale", "title": "Kept title",
                                                         "body": "Every word I wrote is still here."})
    page = response.get_data(as_text=True)
    assert "send it once more" in page
    assert "Every word I wrote is still here." in page and "Kept title" in page
    assert post_count() == 0


def test_missing_csrf_token_saves_nothing(signed_in):
    response = signed_in.client.post("/posts/new", data={"title": "t", "body": "b"})
    assert response.status_code == 422
    assert post_count() == 0


def test_post_page_shows_the_post(client, member):
    post = make_post(member, title="Small wins", body="I **showered** today. #SelfCare")
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "<strong>showered</strong>" in page and "Small wins" in page


def test_missing_post_is_a_friendly_404(client):
    response = client.get("/posts/999999")
    assert response.status_code == 404
    assert "couldn&#39;t find that page" in response.get_data(as_text=True)


def test_author_edits_their_post(signed_in, member):
    post = make_post(member, body="First draft #Anxiety")
    form = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert "First draft #Anxiety" in form
    response = signed_in.post(f"/posts/{post.id}/edit", {"title": "Better title", "body": "Second draft #Hope"})
    assert response.status_code == 302
    db.session.refresh(post)
    assert post.title == "Better title" and post.edited_at is not None
    assert [t.name for t in post.hashtags] == ["Hope"]
    counts = dict(db.session.execute(select(Hashtag.name, Hashtag.post_count)).all())
    assert counts == {"Hope": 1}  # only this post used #Anxiety, so it went with the edit


def test_a_hashtag_edited_out_of_its_only_post_goes_and_one_still_used_stays(signed_in, member, other_member):
    post = make_post(member, body="Thinking of #MyDadsName and #Grief today.")
    make_post(other_member, title="Mine too", body="Still here. #Grief")
    signed_in.post(f"/posts/{post.id}/edit", {"title": "A hard week", "body": "Thinking of him today. #Grief"})
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Hashtag.key))) == ["grief"], "a tag no post uses any more goes"


def test_edit_form_shows_tags_that_only_the_tags_field_added(signed_in, member):
    post = make_post(member, body="Words #Anxiety", tags="Recovery")
    page = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert 'value="#Recovery"' in page


@pytest.mark.parametrize("method,path", [
    ("get", "/posts/{id}/edit"), ("post", "/posts/{id}/edit"),
    ("get", "/posts/{id}/delete"), ("post", "/posts/{id}/delete"),
])
def test_others_cannot_edit_or_delete_a_post(signed_in_other, member, method, path):
    post = make_post(member)
    url = path.format(id=post.id)
    response = signed_in_other.get(url) if method == "get" else signed_in_other.post(url, {"title": "x", "body": "y"})
    assert response.status_code == 403
    db.session.refresh(post)
    assert post.title == "A hard week"


def test_author_deletes_their_post_with_its_replies(signed_in, member, other_member):
    from tests.helpers import make_reply
    post = make_post(member)
    make_reply(other_member, post)
    assert "Yes, delete it" in signed_in.get(f"/posts/{post.id}/delete").get_data(as_text=True)
    response = signed_in.post(f"/posts/{post.id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert post_count() == 0
    assert db.session.scalars(select(Hashtag)).first() is None, "a hashtag only this post used goes with it"


def test_hashtag_links_in_stored_html_reach_the_tag_page(app, client, member):
    make_post(member, body="Tonight I'm grateful. #Überleben")
    assert tag_path("Überleben") == "/tags/%C3%9Cberleben"
    assert client.get(tag_path("Überleben")).status_code == 200


def test_tag_path_matches_the_route(app):
    from flask import url_for
    with app.test_request_context():
        assert url_for("tags.show", name="Depression") == tag_path("Depression")


def test_markdown_is_sanitised_on_the_page(client, member):
    post = make_post(member, body='<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>')
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    body = page.split('<div class="prose">', 1)[1].split("</div>", 1)[0]
    assert "<img" not in body and "&lt;img" in body


# --- Content warnings: the author's own, and a moderator's that only a moderator takes off ---------------------

MODERATORS_NOTE = "A moderator added this content warning, so it stays when you edit your post."


def warned_post(author, moderator, warning="self-harm"):
    """A post a moderator put a content warning on, through the queue like any moderator action."""
    post = make_post(author, body="Some days are heavier than others. #Depression")
    item = add_reason(post, ReasonKind.FLAG.value, {"label": "Graphic"}, Priority.ROUTINE)
    record = take_action(moderator, item, item.version, "content_warning", warning_text=warning)
    db.session.commit()
    return post, record


def edit_with_warning(visitor, post, warning):
    return visitor.post(f"/posts/{post.id}/edit", {"title": post.title, "body": post.body,
                                                   "content_warning": warning})


@pytest.mark.parametrize("typed", ["", "something milder"])
def test_an_author_edit_keeps_a_moderators_content_warning(signed_in, member, moderator, typed):
    post, _ = warned_post(member, moderator)
    assert edit_with_warning(signed_in, post, typed).status_code == 302
    db.session.refresh(post)
    assert post.content_warning == "self-harm" and post.edited_at is not None


def test_an_author_still_changes_or_clears_their_own_warning(signed_in, member):
    post = create_post(member, "Hard week", "Words", content_warning="grief")
    db.session.commit()
    edit_with_warning(signed_in, post, "loss")
    db.session.refresh(post)
    assert post.content_warning == "loss"
    edit_with_warning(signed_in, post, "")
    db.session.refresh(post)
    assert post.content_warning == ""


def test_once_a_moderator_undoes_their_warning_the_author_decides_again(signed_in, member, moderator):
    post, record = warned_post(member, moderator)
    undo_action(moderator, record)
    db.session.commit()
    edit_with_warning(signed_in, post, "my words")
    db.session.refresh(post)
    assert post.content_warning == "my words"


def test_a_moderator_replacing_the_authors_warning_keeps_theirs(signed_in, member, moderator):
    post = create_post(member, "Hard week", "Words", content_warning="grief")
    db.session.commit()
    item = add_reason(post, ReasonKind.FLAG.value, {"label": "Graphic"}, Priority.ROUTINE)
    take_action(moderator, item, item.version, "content_warning", warning_text="suicide")
    db.session.commit()
    edit_with_warning(signed_in, post, "grief")
    db.session.refresh(post)
    assert post.content_warning == "suicide"


def test_the_edit_form_says_a_moderator_added_the_warning(signed_in, member, moderator):
    post, _ = warned_post(member, moderator)
    page = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert MODERATORS_NOTE in page
    assert re.search(r'<input[^>]*id="content_warning"[^>]*readonly[^>]*value="self-harm"', page)


def test_the_edit_form_leaves_the_authors_own_warning_editable(signed_in, member):
    post = create_post(member, "Hard week", "Words", content_warning="grief")
    db.session.commit()
    page = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert MODERATORS_NOTE not in page and "readonly" not in page
