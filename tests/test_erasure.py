"""Deleting means gone: after each kind of deletion, no text column of any table holds the deleted words.

Each test writes a unique marker into everything a member can write (title, body, hashtag, an edit, a
flag note), lets the crisis detector and the moderation queue copy what they copy, deletes, and then
scans every text and JSON column of every table for the marker. The scan first proves it can see the
marker, so a test can't pass by looking nowhere. Runs on SQLite and again on PostgreSQL.
"""
import pytest
from sqlalchemy import JSON, String, Text, cast, func, select

from forum.extensions import db
from forum.models import FlagReason, Hashtag, MemberNotice, ModerationItem, Post, Reply
from forum.services.flags import flag_content
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.notices import request_second_review
from forum.services.posts import delete_post, edit_post
from forum.services.privacy import delete_account
from forum.services.replies import delete_reply, edit_reply
from tests.helpers import make_member, make_post, make_reply

MARKER = "zqxmarker7731"
#: Read as a crisis by the detector (as in tests/test_crisis_web.py); names no method.
CRISIS_TEXT = "I can't keep going. I want to die and I think tonight is the night."


def text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text, JSON)):
                yield column


def traces_of(text: str) -> list[str]:
    """Every `table.column` whose value holds `text`, ignoring case."""
    found = []
    for column in text_columns():
        holds = func.lower(cast(column, Text)).contains(text.lower(), autoescape=True)
        found += [f"{column.table.name}.{column.name}"
                  for _ in db.session.execute(select(column).where(holds)).all()]
    return found


def item_of(post) -> ModerationItem:
    return db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == post.id)).one()


def crisis_phrases(content) -> list[str]:
    phrases = [match["phrase"] for match in content.crisis_matches]
    assert phrases, "the detector should have matched something"
    return phrases


def assert_gone(*texts: str) -> None:
    db.session.expire_all()
    for text in texts:
        assert traces_of(text) == [], f"{text!r} survived the deletion"


@pytest.fixture
def flagger(app):
    return make_member("watchful_friend")


def test_the_scan_sees_every_copy_before_deleting(member, flagger):
    post = make_post(member, title=f"Title {MARKER}", body=f"Body {MARKER} #{MARKER}tag")
    flag_content(flagger, post, FlagReason.OTHER, f"Note {MARKER}")
    db.session.commit()
    assert {"posts.title", "posts.body", "posts.body_html", "posts.excerpt", "hashtags.key", "hashtags.name",
            "flags.note", "moderation_reasons.detail"} <= set(traces_of(MARKER))


def test_deleting_a_post_leaves_no_trace(member, flagger, other_member, moderator):
    post = make_post(member, title=f"Title {MARKER}", body=f"First words {MARKER}. #{MARKER}tag #Depression")
    edit_post(post, post.title, f"{CRISIS_TEXT} {MARKER} #{MARKER}tag")
    db.session.commit()
    phrases = crisis_phrases(post)
    flag_content(flagger, post, FlagReason.OTHER, f"Worried about {MARKER}")
    make_reply(other_member, post, body="With you.")
    make_post(other_member, title="Mornings", body="Small steps today. #Depression")
    db.session.commit()
    # A moderator hides it, and the author asks for a second look in words that quote it.
    item = item_of(post)
    take_action(moderator, item, item.version, "hide", reason="Hidden while we check in with you")
    notice = db.session.scalars(select(MemberNotice).where(MemberNotice.post_id == post.id)).one()
    request_second_review(member, notice, f"Please read it again, I only meant {MARKER}")
    db.session.commit()
    assert len(traces_of(MARKER)) >= 9

    delete_post(post)
    db.session.commit()
    assert_gone(MARKER, *phrases)
    assert db.session.scalars(select(Hashtag.key)).all() == ["depression"], "a tag others could use stays"


@pytest.mark.parametrize("answered", [True, False], ids=["kept-as-placeholder", "removed"])
def test_deleting_a_reply_leaves_no_trace(member, other_member, flagger, answered):
    post = make_post(other_member, title="Anyone awake?", body="Long night.")
    reply = make_reply(member, post, body=f"First words {MARKER}")
    edit_reply(reply, f"{CRISIS_TEXT} {MARKER}")
    db.session.commit()
    phrases = crisis_phrases(reply)
    flag_content(flagger, reply, FlagReason.OTHER, f"Worried about {MARKER}")
    if answered:
        make_reply(other_member, post, body="Please stay with us.", parent=reply)
    db.session.commit()
    assert len(traces_of(MARKER)) >= 4

    delete_reply(db.session.get(Reply, reply.id))
    db.session.commit()
    assert_gone(MARKER, *phrases)
    assert (db.session.get(Reply, reply.id) is not None) == answered


@pytest.fixture
def leaving(app):
    return make_member(f"{MARKER}_me")


def leave_traces_everywhere(leaving, other_member, moderator):
    """The leaving member writes, edits, is answered, flags someone else, and is warned by a moderator."""
    own = make_post(leaving, title=f"Mine {MARKER}", body=f"{CRISIS_TEXT} #{MARKER}tag")
    answered = make_reply(leaving, make_post(other_member, title="A question", body="Anyone?"),
                          body=f"Reply {MARKER}")
    make_reply(other_member, answered.post, body="Thank you.", parent=answered)
    edit_reply(answered, f"Reply edited {MARKER}")
    theirs = make_post(other_member, title="Someone else's", body="Their words.")
    flag_content(leaving, theirs, FlagReason.OTHER, f"Flag note {MARKER}")
    item = add_reason(own, "flag", {"label": "Spam"}, 10)
    db.session.commit()
    take_action(moderator, item, item.version, "warn", reason=f"Please be gentle, {leaving.username}.")
    db.session.commit()
    return crisis_phrases(own)


def test_deleting_an_account_with_its_words_leaves_no_trace_of_them_or_their_name(leaving, other_member,
                                                                                  moderator):
    phrases = leave_traces_everywhere(leaving, other_member, moderator)
    assert len(traces_of(MARKER)) >= 10

    delete_account(leaving, keep_words_anonymously=False)
    db.session.commit()
    assert_gone(MARKER, *phrases)
    # Only their posts went; the thread they answered and the post they flagged stay.
    assert sorted(db.session.scalars(select(Post.title))) == ["A question", "Someone else's"]


def test_leaving_words_behind_anonymously_leaves_no_trace_of_the_name(leaving, other_member, moderator):
    leave_traces_everywhere(leaving, other_member, moderator)
    name = leaving.username

    delete_account(leaving, keep_words_anonymously=True)
    db.session.commit()
    assert_gone(name, f"Flag note {MARKER}")
    assert traces_of(f"Mine {MARKER}") == ["posts.title"], "the words stay, under former-member"



@pytest.mark.parametrize("deletion", ["post", "account"])
def test_a_deleted_posts_own_content_warning_leaves_the_audit_log(member, moderator, deletion):
    post = make_post_with_warning(member, f"my brother {MARKER}")
    item = add_reason(post, "flag", {"label": "Graphic"}, 10)
    db.session.commit()
    take_action(moderator, item, item.version, "content_warning", warning_text="loss")
    db.session.commit()
    assert "moderation_actions.detail" in traces_of(MARKER), "the log kept the author's warning as it was"

    if deletion == "post":
        delete_post(post)
    else:
        delete_account(member, keep_words_anonymously=False)
    db.session.commit()
    assert_gone(MARKER)


def make_post_with_warning(author, warning: str):
    from forum.services.posts import create_post
    post = create_post(author, "Anniversary", "It has been a year today.", content_warning=warning)
    db.session.commit()
    return post


@pytest.mark.parametrize("keep_words", [True, False], ids=["anonymously", "with-words"])
def test_a_name_given_up_lately_leaves_with_the_account(leaving, moderator, keep_words):
    from forum.services.usernames import change_username
    post = make_post(leaving, title="Checking in", body="Still here.")
    item = add_reason(post, "flag", {"label": "Spam"}, 10)
    db.session.commit()
    take_action(moderator, item, item.version, "warn", reason=f"Please be gentle, {leaving.username}.")
    old_name = change_username(leaving, "fresh_start_42")
    db.session.commit()
    assert {"moderation_actions.reason", "past_usernames.username"} <= set(traces_of(old_name))

    delete_account(leaving, keep_words_anonymously=keep_words)
    db.session.commit()
    assert_gone(old_name, "fresh_start_42")
