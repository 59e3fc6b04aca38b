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


def test_export_holds_everything_kept_about_the_member_and_no_secret(signed_in, member, other_member, moderator):
    from forum.models import MemberNotice
    from forum.services.moderation.actions import take_action
    from forum.services.notices import request_second_review
    from forum.services.posts import edit_post
    from forum.services.replies import edit_reply
    from forum.services.tokens import create_token

    mine = make_post(member, title="Before", body="First words #Hope")
    edit_post(mine, "After", "Second words #Hope")
    reply = make_reply(member, make_post(other_member, title="Theirs"), "reply first words")
    edit_reply(reply, "reply second words")
    make_reply(other_member, mine, "Thinking of you")  # a notification for the member
    token, secret = create_token(member, "my journal", "read")
    db.session.commit()
    take_action(moderator, item := _item_for(mine), item.version, "hide", reason="Checking in with you first")
    notice = db.session.scalars(select(MemberNotice).where(MemberNotice.member_id == member.id)).one()
    request_second_review(member, notice, "It was about my own recovery")
    db.session.commit()

    text = signed_in.get("/settings/export").get_data(as_text=True)
    data = json.loads(text)
    post = data["posts"][0]
    assert [(v["title"], v["body"]) for v in post["earlier_versions"]] == [("Before", "First words #Hope")]
    assert [v["body"] for v in data["replies"][0]["earlier_versions"]] == ["reply first words"]
    assert [(n["kind"], n["post_id"]) for n in data["notifications"]][:1] == [("reply", mine.id)]
    assert data["messages_from_moderators"][0]["your_review_request"] == "It was about my own recovery"
    assert data["messages_from_moderators"][0]["post_id"] == mine.id
    assert [(t["name"], t["scope"], t["revoked_at"]) for t in data["access_tokens"]] == [("my journal", "read", None)]
    assert len(data["sign_ins"]) == 1 and set(data["sign_ins"][0]) == {"started_at", "expires_at"}
    assert data["member"]["has_recovery_code"] is False and "suspended_until" in data["member"]
    member = db.session.get(User, member.id)
    for secret_text in (secret, token.secret_hash, member.password_hash):
        assert secret_text not in text
    assert "token_hash" not in text and "password" not in text


def _item_for(post):
    from forum.models import ModerationItem
    from forum.services.moderation.queue import add_reason
    item = db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == post.id)).first()
    if item is None:
        item = add_reason(post, "flag", {"label": "Spam"}, 10)
        db.session.commit()
    return item
