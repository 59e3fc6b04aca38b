"""Watched words: matching, what each action does to new and edited content, the new-member hold, and the page."""
import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.extensions import db
from forum.models import Hashtag, ModerationAction, ModerationItem, Post, Reply, Role, WatchedAction, WatchedWord
from forum.services import DomainError
from forum.services.posts import create_post, edit_post
from forum.services.replies import edit_reply
from forum.services.watched import (
    WatchRule,
    apply_watched_words,
    find_watched,
    normalise_phrase,
    refuse_blocked_words,
)
from tests.conftest import RequestInItsOwnContext
from tests.helpers import Visitor, make_member, make_post, make_reply

FLAG, HOLD, BLOCK, WARN = (WatchedAction.FLAG.value, WatchedAction.REQUIRE_APPROVAL.value,
                           WatchedAction.BLOCK.value, WatchedAction.CONTENT_WARNING.value)


# --- Matching: pure, no app ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase,text,written", [
    ("pills", "I still have the pills.", ["pills"]),
    ("pills", "I still have the PILLS", ["PILLS"]),
    ("Pills", "pills and more pills", ["pills", "pills"]),
    ("pills", "spills and pillsbury", []),
    ("pills", "#pills", ["pills"]),
    ("pills", "pills_stash", []),
    ("kill myself", "I want to kill\n   myself", ["kill\n   myself"]),
    ("kill myself", "kill yourself, killmyself", []),
    ("pills", "ＰＩＬＬＳ", ["ＰＩＬＬＳ"]),                      # full width, NFKC
    ("café", "a cafe\u0301 nearby", ["cafe\u0301"]),               # decomposed accent, span covers the mark
    ("ελπίδα", "Η ΕΛΠΊΔΑ μένει", ["ΕΛΠΊΔΑ"]),                       # Greek, any case
    ("कल", "कला", []),                                              # a following vowel sign is part of the word
    ("कल", "कल फिर", ["कल"]),
    ("c++", "I code c++ at night", ["c++"]),
    ("", "anything", []),
])
def test_find_watched(phrase, text, written):
    found = find_watched(text, [WatchRule(phrase, FLAG)])
    assert [text[f.start:f.end] for f in found] == written


def test_find_watched_prefers_the_longest_phrase_with_the_same_action():
    rules = [WatchRule("kill", FLAG), WatchRule("kill myself", FLAG)]
    assert [f.word.phrase for f in find_watched("I will kill myself", rules)] == ["kill myself"]


def test_a_longer_phrase_never_hides_a_shorter_one_asking_for_something_else():
    rules = [WatchRule("kill", HOLD), WatchRule("kill myself", FLAG)]
    found = find_watched("I will kill myself", rules)
    assert sorted((f.word.phrase, f.word.action) for f in found) == [("kill", HOLD), ("kill myself", FLAG)]


def test_find_watched_returns_the_words_it_was_given_in_text_order():
    rules = [WatchRule("beta", FLAG, "b"), WatchRule("alpha", WARN, "a")]
    found = find_watched("alpha then beta", rules)
    assert [(f.word, f.start, f.end) for f in found] == [(rules[1], 0, 5), (rules[0], 11, 15)]


@pytest.mark.parametrize("raw,stored", [("  Kill   Myself ", "kill myself"), ("ＰＩＬＬＳ", "pills"),
                                        ("Ωmega", "ωmega")])
def test_phrases_are_stored_normalised(raw, stored):
    assert normalise_phrase(raw) == stored


# --- Applying the list ---------------------------------------------------------------------------------------------

def watch(phrase, action, message=""):
    db.session.add(WatchedWord(phrase=normalise_phrase(phrase), action=action, message=message))
    db.session.commit()


def reasons_of(content, kind="watched_word"):
    column = ModerationItem.post_id if isinstance(content, Post) else ModerationItem.reply_id
    item = db.session.scalars(select(ModerationItem).where(column == content.id)).first()
    return [r.detail for r in item.reasons if r.kind == kind] if item else []


def test_a_blocked_word_keeps_the_members_text_and_saves_nothing(signed_in, member):
    watch("buy cheap", BLOCK, "we don't allow selling here.")
    response = signed_in.post("/posts/new", {"title": "Hello all", "body": "You can Buy  Cheap meds from me."})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please change “Buy  Cheap”: we don&#39;t allow selling here." in page
    assert "You can Buy  Cheap meds from me." in page and 'value="Hello all"' in page
    assert db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_a_blocked_word_in_a_reply_is_refused_too(signed_in_other, member):
    post = make_post(member)
    watch("buy cheap", BLOCK, "no selling, please.")
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "buy cheap here"})
    assert response.status_code == 422
    assert "Please change “buy cheap”: no selling, please." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Reply)) == 0


def test_refuse_blocked_words_names_the_body_field(app):
    watch("spamword", BLOCK, "remove the link.")
    refuse_blocked_words("fine title", "fine body")
    with pytest.raises(DomainError) as refused:
        refuse_blocked_words("a SPAMWORD title", "body")
    assert refused.value.field == "body" and refused.value.message == "Please change “SPAMWORD”: remove the link."


def test_require_approval_holds_a_post_until_a_moderator_approves(signed_in, member, other_member):
    watch("fentanyl", HOLD)
    response = signed_in.post("/posts/new", {"title": "Tonight", "body": "Thinking about Fentanyl again. #Recovery"})
    assert response.status_code == 302
    post = db.session.scalars(select(Post)).one()
    assert post.status == "pending"
    assert reasons_of(post) == [{"phrase": "fentanyl", "action": HOLD}]
    assert db.session.scalars(select(Hashtag)).one().post_count == 0  # pending posts don't count
    own_latest = signed_in.get("/").get_data(as_text=True)
    assert "Tonight" in own_latest and "Waiting for a moderator" in own_latest
    assert "Waiting for a moderator" in signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    other = Visitor(signed_in.client.application.test_client())
    other.sign_in(other_member.username)
    assert "Tonight" not in other.get("/").get_data(as_text=True)
    assert other.get(f"/posts/{post.id}").status_code in (403, 404)


def test_require_approval_holds_a_reply(app, member, other_member):
    post = make_post(member)
    watch("fentanyl", HOLD)
    reply = make_reply(other_member, post, "fentanyl helped me once")
    assert reply.status == "pending" and reasons_of(reply) == [{"phrase": "fentanyl", "action": HOLD}]


def test_flag_publishes_and_queues(app, member):
    watch("pills", FLAG)
    post = make_post(member, body="I counted my pills today. #Depression")
    assert post.status == "visible"
    assert reasons_of(post) == [{"phrase": "pills", "action": FLAG}]
    assert db.session.scalars(select(Hashtag)).one().post_count == 1


def test_content_warning_folds_the_content(app, member):
    watch("relapse", WARN, "relapse")
    watch("overdose", WARN)
    assert make_post(member, body="I had a relapse.").content_warning == "relapse"
    assert make_post(member, body="An overdose scare.").content_warning == "overdose"  # the phrase itself
    assert reasons_of(make_post(member, body="relapse")) == []  # a warning alone doesn't queue anything


def test_content_warning_keeps_one_the_author_set(app, member):
    watch("relapse", WARN, "relapse")
    post = create_post(member, "Hard week", "I had a relapse.")
    post.content_warning = "my own words"
    apply_watched_words(post, member)
    assert post.content_warning == "my own words"


def test_watched_words_apply_to_moderators_too(app):
    watch("pills", HOLD)
    assert make_post(make_member("a_mod", Role.MODERATOR), body="pills").status == "pending"


def test_an_edit_adding_a_held_word_holds_the_post(app, member):
    post = make_post(member, body="All good today. #Hope")
    watch("fentanyl", HOLD)
    edit_post(post, post.title, "fentanyl again #Hope")
    db.session.commit()
    assert post.status == "pending" and db.session.scalars(select(Hashtag)).one().post_count == 0


def test_an_edit_holding_a_reply_takes_it_out_of_the_posts_count(app, member, other_member):
    post = make_post(member, body="A long week. #Anxiety")
    replies = [make_reply(other_member, post, f"Same here, {i}.") for i in range(3)]
    watch("zebrafish", HOLD)
    edit_reply(replies[1], "zebrafish, actually")
    db.session.commit()
    db.session.refresh(post)
    assert replies[1].status == "pending" and post.reply_count == 2


def test_an_edit_holding_the_only_answer_puts_the_post_back_in_needs_a_reply(app, member, other_member):
    post = make_post(member, body="Anyone else awake? #Sleep")
    reply = make_reply(other_member, post, "I am.")
    make_reply(member, post, "Thank you.")  # the author's own reply is no answer
    watch("zebrafish", HOLD)
    edit_reply(reply, "I am, zebrafish.")
    db.session.commit()
    db.session.refresh(post)
    assert post.reply_count == 1 and post.first_response_at is None


def test_editing_a_held_reply_leaves_the_count_as_it_is(app, member, other_member):
    post = make_post(member, body="A long week. #Anxiety")
    make_reply(other_member, post, "Same here.")
    watch("zebrafish", HOLD)
    held = make_reply(other_member, post, "zebrafish")
    edit_reply(held, "Just words now.")  # still waits for a moderator: an edit never releases a hold
    db.session.commit()
    db.session.refresh(post)
    assert held.status == "pending" and post.reply_count == 1 and post.first_response_at is not None


def test_an_edit_keeping_a_flagged_word_adds_no_second_reason(app, member):
    watch("pills", FLAG)
    post = make_post(member, body="pills")
    edit_post(post, post.title, "pills, still")
    db.session.commit()
    assert len(reasons_of(post)) == 1


def test_an_edit_does_not_hold_hidden_content_as_pending(app, member):
    post = make_post(member, body="something")
    post.status = "hidden"
    watch("fentanyl", HOLD)
    edit_post(post, post.title, "fentanyl")
    assert post.status == "hidden"


@pytest.mark.parametrize("typed", ["", "my own words"])
def test_an_edit_keeps_a_watched_words_warning_while_the_word_stays(app, member, typed):
    watch("relapse", WARN, "relapse")
    post = make_post(member, body="I had a relapse.")
    edit_post(post, post.title, "I had a relapse, a small one.", content_warning=typed)
    db.session.commit()
    assert post.content_warning == "relapse"


def test_an_edit_taking_the_word_out_lets_the_author_clear_its_warning(app, member):
    watch("relapse", WARN, "relapse")
    post = make_post(member, body="I had a relapse.")
    edit_post(post, post.title, "A hard week, but I'm alright.", content_warning="")
    db.session.commit()
    assert post.content_warning == ""


def test_the_edit_form_says_the_moderators_added_a_watched_words_warning(app, member):
    watch("relapse", WARN, "relapse")
    post = make_post(member, body="I had a relapse.")
    visitor = Visitor(app.test_client())
    visitor.sign_in(member.username)
    page = visitor.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert "A moderator added this content warning, so it stays when you edit your post." in page


# --- The new-member hold -------------------------------------------------------------------------------------------

@pytest.fixture
def held_app(app, database_url):
    """The app with NEW_MEMBER_HOLD_POSTS=2, on the same database (the `app` fixture empties it afterwards)."""
    held = create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "NEW_MEMBER_HOLD_POSTS": 2})
    held.test_client_class = RequestInItsOwnContext  # each request its own `g`, as on a server
    with held.app_context():
        yield held
        db.session.remove()
        db.engine.dispose()


def test_the_new_member_hold_is_off_by_default(app, member):
    assert app.config["NEW_MEMBER_HOLD_POSTS"] == 0
    assert make_post(member).status == "visible"


def test_a_new_members_first_two_posts_wait_and_the_third_does_not(held_app):
    newcomer = make_member("new_here")
    first, second, third = (make_post(newcomer, title=f"Post {n}") for n in (1, 2, 3))
    assert [first.status, second.status, third.status] == ["pending", "pending", "visible"]
    assert reasons_of(first, "new_member") == [{"hold_first_posts": 2}]
    assert reasons_of(third, "new_member") == []


def test_the_hold_is_not_applied_again_when_a_held_post_is_edited(held_app):
    newcomer = make_member("new_here")
    post = make_post(newcomer)
    post.status = "visible"  # a moderator approved it
    db.session.commit()
    edit_post(post, post.title, "a typo fixed")
    assert post.status == "visible"


def test_removed_posts_do_not_count_toward_the_hold(held_app):
    newcomer = make_member("new_here")
    for n in (1, 2):
        make_post(newcomer, title=f"Post {n}").status = "removed"
    db.session.commit()
    assert make_post(newcomer, title="Post 3").status == "pending"


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_moderators_and_admins_are_never_held(held_app, role):
    staff = make_member("staff_" + role.value, role)
    assert make_post(staff).status == "visible"


def test_the_hold_through_the_composer(held_app):
    newcomer = make_member("new_here")
    visitor = Visitor(held_app.test_client())
    visitor.sign_in(newcomer.username)
    response = visitor.post("/posts/new", {"title": "My first post", "body": "Hello, everyone."},
                            follow_redirects=True)
    assert "Waiting for a moderator" in response.get_data(as_text=True)
    assert db.session.scalars(select(Post)).one().status == "pending"


def test_the_hold_can_be_passed_in_without_an_app_setting(app, member):
    post = create_post(member, "first", "words")
    post.status = "visible"
    apply_watched_words(post, member, hold_first_posts=1)
    assert post.status == "pending"


# --- The moderators' page -----------------------------------------------------------------------------------------

def audit(action):
    return [entry.detail for entry in db.session.scalars(select(ModerationAction)
                                                        .where(ModerationAction.action == action))]


def test_moderators_add_and_delete_watched_words_with_an_audit_trail(mod_visitor):
    response = mod_visitor.post("/moderation/words", {"phrase": "Buy  Cheap", "action": BLOCK,
                                                      "message": "no selling, please."})
    assert response.status_code == 302
    word = db.session.scalars(select(WatchedWord)).one()
    assert (word.phrase, word.action, word.message) == ("buy cheap", BLOCK, "no selling, please.")
    assert "buy cheap" in mod_visitor.get("/moderation/words").get_data(as_text=True)
    assert audit("watched_word_add") == [{"phrase": "buy cheap", "action": BLOCK}]
    assert mod_visitor.post(f"/moderation/words/{word.id}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(WatchedWord)) == 0
    assert audit("watched_word_delete") == [{"phrase": "buy cheap", "action": BLOCK}]


@pytest.mark.parametrize("fields,error", [
    ({"phrase": "", "action": FLAG}, "Please enter a word or phrase"),
    ({"phrase": "\u200b\u2060", "action": FLAG}, "Please enter a word or phrase"),  # nothing anyone could see
    ({"phrase": "x" * 201, "action": FLAG}, "at most 200 characters"),
    ({"phrase": "PILLS", "action": HOLD}, "“pills” is already on the list"),
    ({"phrase": "spam link", "action": BLOCK, "message": ""}, "Please say what the member should change"),
    ({"phrase": "graphic", "action": WARN, "message": "w" * 101}, "at most 100 characters"),
    ({"phrase": "spam link", "action": "shout"}, "Not a valid choice"),
])
def test_adding_a_watched_word_explains_what_is_wrong_and_keeps_the_input(mod_visitor, fields, error):
    watch("pills", FLAG)
    response = mod_visitor.post("/moderation/words", fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and error in page
    if fields["phrase"]:
        assert f'value="{fields["phrase"]}"' in page
    assert db.session.scalar(select(func.count()).select_from(WatchedWord)) == 1
    assert audit("watched_word_add") == []


def test_a_watched_word_takes_effect_at_once(mod_visitor, signed_in):
    mod_visitor.post("/moderation/words", {"phrase": "spam link", "action": BLOCK, "message": "no links."})
    response = signed_in.post("/posts/new", {"title": "hi", "body": "my spam link"})
    assert response.status_code == 422 and "Please change “spam link”: no links." in response.get_data(as_text=True)


def test_deleting_a_missing_word_is_404(mod_visitor):
    assert mod_visitor.post("/moderation/words/999/delete").status_code == 404


WORD_ROUTES = [("get", "/moderation/words"), ("post", "/moderation/words"), ("post", "/moderation/words/{word}/delete")]


@pytest.mark.parametrize("role,status", [(None, 302), (Role.MEMBER, 403), (Role.MODERATOR, None),
                                         (Role.ADMIN, None)])
@pytest.mark.parametrize("method,path", WORD_ROUTES)
def test_only_moderators_and_admins_manage_watched_words(app, method, path, role, status):
    watch("pills", FLAG)
    word = db.session.scalars(select(WatchedWord)).one()
    visitor = Visitor(app.test_client())
    if role is not None:
        visitor.sign_in(make_member("person_" + role.value, role).username)
    url = path.format(word=word.id)
    response = visitor.get(url) if method == "get" else visitor.post(url, {"phrase": "new one", "action": FLAG})
    if status is None:
        assert response.status_code in (200, 302) and "/login" not in response.headers.get("Location", "")
    else:
        assert response.status_code == status
        if role is None:
            assert "/login" in response.headers["Location"]
        assert db.session.scalar(select(func.count()).select_from(WatchedWord)) == 1
