"""The JSON API at /api/v1: every route under every way of signing in, the site's rules (visibility, crisis help,
idempotency, validation) through it, and its errors. Every answer is also checked against the OpenAPI document
(tests/api_support.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Flag, ModerationItem, Notification, Post, PostStatus, Reply
from forum.services.blocks import block
from tests.api_support import AUTHS, ApiClient, schema_errors
from tests.conftest import another_app
from tests.helpers import Visitor, make_post, make_reply
from tests.test_faults import rate_limited_app

CRISIS_TEXT = "I can't keep going. I want to die and I think tonight is the night."


@pytest.fixture
def world(app, member, other_member):
    """The member's own post, someone else's post with a reply by them, and a notification for the member."""
    own = make_post(member, title="Own words", body="Mine. #Sleep")
    others = make_post(other_member, title="Still here", body="A long week. #Anxiety")
    reply = make_reply(other_member, others, body="Writing it down helps me.")
    make_reply(other_member, own, body="I hear you.")  # notifies the member
    return {"own": own, "others": others, "reply": reply}


@pytest.fixture
def caller(app, member):
    """caller(auth): an ApiClient for the member, signed in that way."""
    return lambda auth: ApiClient(app, auth, member)


# --- every route × every way in --------------------------------------------------------------------------------

PUBLIC_READS = ["/posts", "/posts/{others}", "/tags", "/tags/Anxiety/posts", "/members/MapleAndTea",
                "/members/MapleAndTea/posts", "/openapi.json", "/search?q=week"]


@pytest.mark.parametrize("auth", AUTHS)
def test_public_reads_answer_everyone_but_a_revoked_token(caller, world, auth):
    client = caller(auth)
    statuses = {url: client.get(url.format(others=world["others"].id)).status_code for url in PUBLIC_READS}
    assert statuses == {url: 401 if auth == "revoked_token" else 200 for url in PUBLIC_READS}


@pytest.mark.parametrize("auth,status", [("none", 401), ("session", 200), ("read_token", 200), ("write_token", 200),
                                         ("revoked_token", 401)])
def test_notifications_are_for_the_member_only(caller, world, auth, status):
    response = caller(auth).get("/notifications")
    assert response.status_code == status
    if status == 200:
        lines = response.get_json()["notifications"]
        assert [line["kind"] for line in lines] == ["reply"] and response.get_json()["unread"] == 1


#: Each write: method, URL, body, and the status it answers when allowed.
WRITES = {
    "new post": ("POST", "/posts", {"title": "Day three", "body": "Small steps. #Recovery"}, 201),
    "new reply": ("POST", "/posts/{others}/replies", {"body": "Sending warmth."}, 201),
    "answer a reply": ("POST", "/posts/{others}/replies", {"body": "Same here.", "parent_id": "{reply}"}, 201),
    "heart a post": ("PUT", "/posts/{others}/heart", None, 200),
    "take a heart back": ("DELETE", "/posts/{others}/heart", None, 200),
    "heart a reply": ("PUT", "/replies/{reply}/heart", None, 200),
    "flag a post": ("POST", "/posts/{others}/flags", {"reason": "spam"}, 201),
    "flag a reply": ("POST", "/replies/{reply}/flags", {"reason": "other", "note": "Seems off-topic."}, 201),
    "mark read": ("POST", "/notifications/read", {}, 200),
}
DENIED = {"none": 401, "revoked_token": 401, "read_token": 403}


def _send(client: ApiClient, world, write: str):
    method, url, body, _ = WRITES[write]
    ids = {"others": world["others"].id, "reply": world["reply"].id}
    if body is not None:
        body = {key: int(value.format(**ids)) if value == "{reply}" else value for key, value in body.items()}
    return client.call(method, url.format(**ids), json=body)


@pytest.mark.parametrize("auth", AUTHS)
def test_writes_need_a_member_who_may_write(caller, world, auth):
    """Each write in turn (in an order where none undoes another) answers as this way of signing in may."""
    client = caller(auth)
    statuses = {write: _send(client, world, write).status_code for write in WRITES}
    assert statuses == {write: DENIED.get(auth, expected[3]) for write, expected in WRITES.items()}


def test_refused_writes_change_nothing(caller, world):
    for auth in ("none", "read_token", "revoked_token"):
        for write in WRITES:
            _send(caller(auth), world, write)
    assert db.session.scalar(select(func.count()).select_from(Post)) == 2
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.read_at.is_not(None))) == 0


def test_a_session_write_without_the_csrf_header_is_refused(caller, world):
    session = caller("session")
    response = session.post("/posts", json={"title": "t", "body": "b"}, headers={"X-CSRFToken": ""})
    assert response.status_code == 400 and "X-CSRFToken" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Post)) == 2


def test_a_token_sent_beside_a_session_is_the_only_credential(app, member, world):
    """A read token with a signed-in browser's cookie still can't write: the token decides."""
    client = ApiClient(app, "read_token", member)
    client.visitor.sign_in(member.username)
    response = client.post("/posts", json={"title": "t", "body": "b"}, headers={"X-CSRFToken": client.visitor.token})
    assert response.status_code == 403


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "Bearer kdr_not-a-real-one", "Bearer " + "x" * 500])
def test_a_malformed_or_unknown_token_is_a_401(caller, header):
    response = caller("none").get("/posts", headers={"Authorization": header})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == 401


def test_token_writes_need_no_csrf_and_leave_no_session(caller, world):
    client = caller("write_token")
    response = client.put(f"/posts/{world['others'].id}/heart")
    assert response.status_code == 200 and response.get_json() == {"hearted": True, "heart_count": 1, "changed": True}
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"
    assert "Authorization" in response.headers["Vary"]


# --- the site's rules, through the API --------------------------------------------------------------------------

def test_a_new_post_is_the_sites_post_with_tags(caller):
    response = caller("write_token").post("/posts", json={"title": "Day three", "body": "Small steps. #Recovery",
                                                          "tags": "#Sleep"})
    post = response.get_json()["post"]
    assert post["tags"] == ["Recovery", "Sleep"] and post["status"] == "visible" and post["hearted"] is False
    assert response.get_json()["care"] is None
    assert db.session.get(Post, post["id"]).body_html == post["body_html"]


def test_crisis_words_bring_the_author_help_and_alert_the_moderators(caller):
    response = caller("write_token").post("/posts", json={"title": "Tonight", "body": CRISIS_TEXT})
    care = response.get_json()["care"]
    assert response.status_code == 201 and response.get_json()["post"]["status"] == "visible"  # never hidden
    assert care["level"] == "crisis" and care["lines"] and care["help_url"] == "/help"
    assert any(line["phone"] == "988" for line in care["lines"]) and "You're not alone" in care["card_html"]
    item = db.session.scalars(select(ModerationItem)).one()
    assert item.post_id == response.get_json()["post"]["id"]


def test_a_reply_in_crisis_brings_its_author_help(caller, world):
    response = caller("write_token").post(f"/posts/{world['others'].id}/replies", json={"body": CRISIS_TEXT})
    assert response.status_code == 201 and response.get_json()["care"]["level"] == "crisis"


def test_the_author_reading_their_post_sees_the_help_and_others_do_not(app, member, other_member):
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    assert ApiClient(app, "read_token", member).get(f"/posts/{post.id}").get_json()["care"]["level"] == "crisis"
    assert ApiClient(app, "read_token", other_member).get(f"/posts/{post.id}").get_json()["care"] is None


def test_a_new_members_held_post_waits_for_the_moderators_and_shows_only_to_its_author(app, caller, other_member):
    app.config["NEW_MEMBER_HOLD_POSTS"] = 1
    response = caller("write_token").post("/posts", json={"title": "Hello", "body": "My first words here."})
    post = response.get_json()["post"]
    assert response.status_code == 201 and post["status"] == "pending"
    assert db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == post["id"])).one()
    assert ApiClient(app, "read_token", other_member).get(f"/posts/{post['id']}").status_code == 404
    assert post["id"] in [p["id"] for p in caller("read_token").get("/posts").get_json()["posts"]]


def test_a_retried_post_with_the_same_idempotency_key_is_made_once(caller):
    client = caller("write_token")
    key = {"Idempotency-Key": "retry-key-0123456789"}
    first = client.post("/posts", json={"title": "Once", "body": "Only once."}, headers=key)
    second = client.post("/posts", json={"title": "Once", "body": "Only once."}, headers=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["post"]["id"] == second.get_json()["post"]["id"]
    assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_a_retried_reply_is_made_once(caller, world):
    client = caller("write_token")
    key = {"Idempotency-Key": "reply-key-0123456789"}
    statuses = [client.post(f"/posts/{world['others'].id}/replies", json={"body": "Once."}, headers=key).status_code
                for _ in range(2)]
    assert statuses == [201, 200]
    assert db.session.scalar(select(func.count()).select_from(Reply).where(Reply.body == "Once.")) == 1


@pytest.mark.parametrize("body,headers,field", [
    ({"body": "No title"}, {}, "title"),
    ({"title": "x" * 151, "body": "Too long a title"}, {}, "title"),
    ({"title": 5, "body": "Not text"}, {}, "title"),
    ({"title": "Fine", "body": "Fine"}, {"Idempotency-Key": "short"}, "Idempotency-Key"),
])
def test_a_post_that_needs_another_look_says_which_field(caller, body, headers, field):
    response = caller("write_token").post("/posts", json=body, headers=headers)
    assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == [field]


@pytest.mark.parametrize("parent_id", ["1", 0, 2**40, 999_999])
def test_a_reply_to_a_reply_that_isnt_there_is_a_422(caller, world, parent_id):
    response = caller("write_token").post(f"/posts/{world['others'].id}/replies",
                                          json={"body": "Hi", "parent_id": parent_id})
    assert response.status_code == 422 and "parent_id" in response.get_json()["error"]["fields"]


def test_flagging_twice_is_a_409(caller, world):
    client = caller("write_token")
    assert client.post(f"/posts/{world['others'].id}/flags", json={"reason": "spam"}).status_code == 201
    response = client.post(f"/posts/{world['others'].id}/flags", json={"reason": "spam"})
    assert response.status_code == 409 and db.session.scalar(select(func.count()).select_from(Flag)) == 1


def test_a_flag_reason_we_dont_know_is_a_422(caller, world):
    response = caller("write_token").post(f"/posts/{world['others'].id}/flags", json={"reason": "boring"})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]


def test_hearting_ones_own_post_names_the_rule(caller, world):
    response = caller("write_token").put(f"/posts/{world['own'].id}/heart")
    assert response.status_code == 403 and "other members" in response.get_json()["error"]["message"]


def test_hearts_say_the_state_wanted(caller, world):
    client = caller("write_token")
    url = f"/posts/{world['others'].id}/heart"
    answers = [client.put(url).get_json(), client.put(url).get_json(), client.delete(url).get_json()]
    assert [(a["hearted"], a["heart_count"], a["changed"]) for a in answers] == [
        (True, 1, True), (True, 1, False), (False, 0, True)]


def test_marking_read_up_to_an_id_keeps_newer_ones_unread(caller, world, other_member, member):
    client = caller("write_token")
    first_id = client.get("/notifications").get_json()["notifications"][0]["id"]
    make_reply(other_member, world["own"], body="And again, I'm here.")
    answer = client.post("/notifications/read", json={"up_to": first_id}).get_json()
    assert answer["marked"] == 1 and answer["unread"] == 1
    assert client.post("/notifications/read").get_json() == {"marked": 1, "unread": 0}


# --- visibility: nothing hidden, held or blocked leaks --------------------------------------------------------

def _set_status(content, status: PostStatus) -> None:
    content.status = status.value
    db.session.commit()


def test_a_hidden_post_is_gone_for_others_and_marked_for_its_author(app, caller, world, other_member):
    _set_status(world["others"], PostStatus.HIDDEN)
    client = caller("read_token")
    assert client.get(f"/posts/{world['others'].id}").status_code == 404
    assert world["others"].id not in [p["id"] for p in client.get("/posts").get_json()["posts"]]
    assert client.get("/tags/Anxiety/posts").get_json()["posts"] == []
    assert client.get("/members/MapleAndTea/posts").get_json()["posts"] == []
    own_view = ApiClient(app, "read_token", other_member).get(f"/posts/{world['others'].id}")
    assert own_view.get_json()["post"]["status"] == "hidden"


def test_a_pending_reply_shows_only_to_its_author(app, caller, world, other_member):
    _set_status(world["reply"], PostStatus.PENDING)
    seen = [r["id"] for r in caller("read_token").get(f"/posts/{world['others'].id}").get_json()["replies"]]
    assert world["reply"].id not in seen
    theirs = ApiClient(app, "read_token", other_member).get(f"/posts/{world['others'].id}").get_json()["replies"]
    assert [(r["id"], r["status"]) for r in theirs] == [(world["reply"].id, "pending")]
    assert caller("write_token").put(f"/replies/{world['reply'].id}/heart").status_code == 404


def test_a_blocked_members_words_never_reach_the_blocker(caller, member, other_member, world):
    block(member, other_member)
    db.session.commit()
    client = caller("read_token")
    assert world["others"].id not in [p["id"] for p in client.get("/posts").get_json()["posts"]]
    assert client.get(f"/posts/{world['others'].id}").status_code == 404
    assert client.get("/members/MapleAndTea/posts").get_json()["posts"] == []
    replies_on_own = client.get(f"/posts/{world['own'].id}").get_json()["replies"]
    assert replies_on_own == [] and client.get("/notifications").get_json()["notifications"] == []


def test_private_activity_stays_private(caller, other_member, world):
    other_member.hide_activity = True
    db.session.commit()
    client = caller("read_token")
    profile = client.get("/members/MapleAndTea").get_json()["member"]
    assert profile["activity_shown"] is False and profile["followed_tags"] == []
    assert client.get("/members/MapleAndTea/posts").get_json()["posts"] == []


def test_lists_page_with_a_cursor(app, caller, member):
    app.config["POSTS_PER_PAGE"] = 2
    for n in range(3):
        make_post(member, title=f"Post {n}", body="Words.")
    client = caller("none")
    first = client.get("/posts").get_json()
    second = client.get(f"/posts?cursor={first['next_cursor']}").get_json()
    assert [p["title"] for p in first["posts"] + second["posts"]] == ["Post 2", "Post 1", "Post 0"]
    assert second["next_cursor"] is None


# --- errors: one shape everywhere under /api ------------------------------------------------------------------

@pytest.mark.parametrize("method,url,status", [
    ("GET", "/posts?cursor=nonsense", 400), ("GET", "/posts/2147483647", 404), ("GET", "/no/such/route", 404),
    ("GET", "/members/nobody_here", 404), ("GET", "/tags/NoSuchTag/posts", 404), ("PATCH", "/posts", 405),
    ("GET", "/posts?cursor=%00", 400),
])
def test_errors_have_one_shape(caller, method, url, status):
    response = caller("read_token").call(method, url)
    error = response.get_json()["error"]
    assert response.status_code == status and error["code"] == status and error["message"]


def test_405_says_which_methods_work(caller):
    allowed = caller("none").call("PATCH", "/posts").headers["Allow"]
    assert set(allowed.split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_413_for_more_than_a_megabyte(caller):
    response = caller("write_token").post("/posts", json={"title": "Big", "body": "x" * 1_100_000})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == 413


def test_a_body_that_isnt_a_json_object_is_a_400(caller):
    response = caller("write_token").post("/posts", json=["title", "body"])
    assert response.status_code == 400 and response.get_json()["error"]["fields"] == {}


JSON_HEADER = {"Content-Type": "application/json"}


def test_an_empty_body_said_to_be_json_is_no_body(caller, world):
    client = caller("write_token")
    hearted = client.put(f"/posts/{world['others'].id}/heart", headers=JSON_HEADER)
    assert hearted.status_code == 200 and hearted.get_json()["hearted"] is True
    assert client.post("/notifications/read", headers=JSON_HEADER).get_json() == {"marked": 1, "unread": 0}


@pytest.mark.parametrize("body", ["", "[1, 2]", '{"title": "Edited"}'])
def test_a_method_a_route_does_not_take_is_a_405_whatever_the_body(caller, world, body):
    response = caller("write_token").call("PATCH", f"/posts/{world['own'].id}", headers=JSON_HEADER,
                                          check=False, data=body)
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize("body", [{"before": "abc"}, {"up_to": 1, "all": True}])
def test_marking_read_refuses_fields_it_does_not_take(caller, world, body):
    client = caller("write_token")
    response = client.post("/notifications/read", json=body)
    unknown = sorted(set(body) - {"up_to"})
    assert response.status_code == 422 and sorted(response.get_json()["error"]["fields"]) == unknown
    assert client.get("/notifications").get_json()["unread"] == 1  # nothing was marked


@pytest.mark.parametrize("path,body,unknown", [
    ("/posts", {"title": "A title", "body": "Some words.", "draft": True}, ["draft"]),
    ("/posts/{others}/replies", {"body": "I hear you.", "bogus": "x"}, ["bogus"]),
    ("/posts/{others}/replies", {"body": "I hear you.", "parentId": 1, "extra": 1}, ["extra", "parentId"]),
    ("/posts/{others}/flags", {"reason": "spam", "extra": 1}, ["extra"]),
    ("/replies/{reply}/flags", {"reason": "spam", "notes": "typo of note"}, ["notes"]),
])
def test_a_write_refuses_fields_it_does_not_take_and_makes_nothing(caller, world, path, body, unknown):
    before = [db.session.scalar(select(func.count()).select_from(model)) for model in (Post, Reply, Flag)]
    response = caller("write_token").post(path.format(others=world["others"].id, reply=world["reply"].id),
                                          json=body)
    assert response.status_code == 422 and sorted(response.get_json()["error"]["fields"]) == unknown
    assert "isn't a field this takes" in response.get_json()["error"]["fields"][unknown[0]][0]
    assert [db.session.scalar(select(func.count()).select_from(model)) for model in (Post, Reply, Flag)] == before


def test_a_reply_may_still_name_the_reply_it_answers(caller, world):
    response = caller("write_token").post(f"/posts/{world['others'].id}/replies",
                                          json={"body": "Same here.", "parent_id": world["reply"].id})
    assert response.status_code == 201 and response.get_json()["reply"]["parent_id"] == world["reply"].id


def test_a_bug_is_a_json_500_that_shows_nothing_of_it(database_url, caplog):
    app = another_app({"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/api/v1/boom")
    def boom():
        raise ZeroDivisionError("a bug")

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500 and schema_errors(response.get_json(), "Error") == []
    assert "ZeroDivisionError" not in response.get_data(as_text=True)
    assert "Unhandled error on GET /api/v1/boom" in caplog.text


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer kdr_" + "a" * 43}], ids=["visitor", "token"])
def test_without_the_database_the_api_answers_503_and_when_to_retry(headers):
    """A token can't be checked either: that is the database's trouble (503), not a bad token (401)."""
    down = another_app({"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-kindred-directory/kindred.sqlite3"})
    response = ApiClient(down).get("/posts", headers=headers)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0


def test_the_site_keeps_its_html_error_pages(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.content_type.startswith("text/html")


# --- rate limits: the site's own, shared with it ------------------------------------------------------------------

def test_new_posts_share_the_sites_hourly_limit_and_the_429_says_when_to_retry(app, database_url, member):
    if not database_url.startswith("sqlite"):
        pytest.skip("the limit is the same whatever the database; once is enough")
    limited = rate_limited_app(database_url, "memory://")
    browser = Visitor(limited.test_client())
    browser.sign_in(member.username)
    client = ApiClient(limited, "write_token", member)
    site = [browser.post("/posts/new", {"title": f"Site {i}", "body": "Words."}).status_code for i in range(15)]
    api = [client.post("/posts", json={"title": f"API {i}", "body": "Words."}).status_code for i in range(16)]
    assert site == [302] * 15 and api == [201] * 15 + [429]  # 30 an hour in all, as on the site
    refused = client.post("/posts", json={"title": "One more", "body": "Words."})
    assert refused.get_json()["error"]["code"] == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert db.session.scalar(select(func.count()).select_from(Post)) == 30


def test_notifications_page_with_a_cursor_and_reading_them_marks_nothing(caller, member, other_member):
    post = make_post(other_member, title="Roll call", body="Who's around tonight?")
    for i in range(55):
        make_reply(other_member, post, f"@{member.username} are you up? ({i})")
    client = caller("write_token")
    first = client.get("/notifications").get_json()
    assert len(first["notifications"]) == 50 and first["unread"] == 55 and first["next_cursor"]
    rest = client.get(f"/notifications?cursor={first['next_cursor']}").get_json()
    assert len(rest["notifications"]) == 5 and rest["next_cursor"] is None
    replies = [line["reply_id"] for line in first["notifications"] + rest["notifications"]]
    assert len(set(replies)) == 55 and rest["unread"] == 55


def test_a_notifications_cursor_we_did_not_make_is_a_400(caller):
    response = caller("write_token").get("/notifications?cursor=bm90LW91cnM")
    assert response.status_code == 400 and response.get_json()["error"]["message"].startswith("That cursor")


#: Comfort the model alone reads as concern: its author is offered help without being told we heard pain.
COMFORT_THE_MODEL_HEARS = "I am so sorry you are hurting. Please don't give up, please reach out to 988 right now."


def test_a_reply_only_the_model_heard_gets_the_card_the_page_shows(caller, world):
    response = caller("write_token").post(f"/posts/{world['others'].id}/replies",
                                          json={"body": COMFORT_THE_MODEL_HEARS})
    written = response.get_json()["care"]
    assert response.status_code == 201 and written["level"] == "concern" and written["tentative"] is True
    assert "However today is going" in written["card_html"] and "That sounds really hard" not in written["card_html"]
    read = caller("read_token").get(f"/posts/{world['others'].id}").get_json()["care"]
    assert read == written


def test_crisis_care_is_never_tentative(caller):
    care = caller("write_token").post("/posts", json={"title": "Tonight", "body": CRISIS_TEXT}).get_json()["care"]
    assert care["level"] == "crisis" and care["tentative"] is False
