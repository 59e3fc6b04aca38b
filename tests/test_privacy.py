"""Members own their words: export them, or leave and take them (or leave them anonymously)."""
import json

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Hashtag, Heart, Post, Reply, User
from forum.services.hearts import set_heart
from tests.helpers import PASSWORD, make_post, make_reply


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_export_contains_exactly_the_members_own_words(signed_in, member, other_member):
    mine = make_post(member, title="My own post", body="Mine #Hope")
    theirs = make_post(other_member, title="Their post", body="Theirs, private to them")
    make_reply(member, theirs, "My reply to them")
    make_reply(other_member, mine, "Their reply to me")
    set_heart(member, theirs, True)
    db.session.commit()
    response = signed_in.get("/settings/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["member"]["username"] == "river_stone"
    assert [p["title"] for p in data["posts"]] == ["My own post"] and data["posts"][0]["hashtags"] == ["Hope"]
    assert [r["body"] for r in data["replies"]] == ["My reply to them"]
    assert data["hearts_given"] == [{"post_id": theirs.id, "reply_id": None, "at": data["hearts_given"][0]["at"]}]
    text = json.dumps(data)
    assert "Their reply to me" not in text and "Theirs, private to them" not in text and "MapleAndTea" not in text


def test_deleting_the_account_needs_the_password(signed_in, member):
    response = signed_in.post("/settings/delete", {"keep": "remove", "password": "wrong"})
    assert response.status_code == 422 and "password isn" in response.get_data(as_text=True)
    assert db.session.get(User, member.id) is not None


def test_delete_account_and_words(signed_in, member, other_member):
    mine = make_post(member, title="Mine", body="#Grief")
    theirs = make_post(other_member, title="Theirs")
    answered = make_reply(member, theirs, "my words")
    make_reply(other_member, theirs, "an answer to them", parent=answered)
    make_reply(member, theirs, "unanswered words")
    set_heart(member, theirs, True)
    db.session.commit()
    mine_id, theirs_id = mine.id, theirs.id
    assert signed_in.post("/settings/delete", {"keep": "remove", "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(User).where(User.username == "river_stone")).first() is None
    assert db.session.get(Post, mine_id) is None
    bodies = sorted(r.body for r in db.session.scalars(select(Reply)))
    assert bodies == ["", "an answer to them"], "answered reply stays as [deleted]; the other is gone"
    theirs = db.session.get(Post, theirs_id)
    assert theirs.heart_count == 0 and count(Heart) == 0 and theirs.reply_count == 1
    assert db.session.scalars(select(Hashtag).where(Hashtag.name == "Grief")).first() is None, \
        "a hashtag only their posts used leaves with them"
    assert "Sign out" not in signed_in.get("/").get_data(as_text=True)


def test_delete_account_keeping_words_anonymously(signed_in, client, member, other_member):
    mine_id = make_post(member, title="Still useful to someone").id
    signed_in.post("/settings/delete", {"keep": "anonymise", "password": PASSWORD})
    page = client.get(f"/posts/{mine_id}").get_data(as_text=True)
    assert "Still useful to someone" in page and "former-member" in page and "river_stone" not in page


def test_nobody_can_sign_in_as_the_placeholder(app, visitor, member):
    from forum.services.privacy import former_member
    former_member()
    db.session.commit()
    visitor.post("/login", {"username": "former-member", "password": ""})
    assert "Sign out" not in visitor.get("/").get_data(as_text=True)


def test_settings_save_profile_and_reading_choices(signed_in, member):
    response = signed_in.post("/settings", {"country": "", "bio": "tea", "pronouns": "they/them",
                                            "hide_activity": "y", "content_warnings": "open"})
    assert response.status_code == 302
    db.session.expire_all()
    member = db.session.get(User, member.id)
    assert (member.pronouns, member.hide_activity, member.content_warnings) == ("they/them", True, "open")
