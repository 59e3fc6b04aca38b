"""The page cache for visitors: kept pages are served again only until anything is written, never to
someone with a cookie, and app servers that share a database or Redis never show each other stale pages."""
from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import event, select, update

from forum.extensions import db
from forum.models import Post, PostStatus, Reply, Role
from forum.services.blocks import block
from forum.services.hearts import set_heart
from forum.services.posts import delete_post, edit_post
from forum.services.replies import delete_reply
from forum.services.tag_admin import merge_tags
from tests.conftest import another_app
from tests.helpers import Visitor, make_member, make_post, make_reply


def cached_app(database_url: str, **config):
    return another_app({"SQLALCHEMY_DATABASE_URI": database_url, "PAGE_CACHE_SECONDS": 60, **config})


@pytest.fixture
def site(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL without Redis keeps no page cache: the Redis case is below")
    return cached_app(database_url)


def read(client, path: str) -> tuple[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    return response.headers.get("X-Page-Cache", ""), response.get_data(as_text=True)


def test_a_visitor_is_served_the_kept_page_until_something_is_written(site):
    with site.app_context():
        author = make_member("tidewater")
        post = make_post(author, title="Quiet harbour tonight", body="Sitting with it. #Anxiety")
        post_id = post.id
    visitor = site.test_client()
    assert read(visitor, "/tags/Anxiety")[0] == "miss"
    state, page = read(visitor, "/tags/Anxiety")
    assert state == "hit" and "Quiet harbour tonight" in page
    with site.app_context():
        edit_post(db.session.get(Post, post_id), "Calmer harbour tonight", "Sitting with it. #Anxiety")
        db.session.commit()
    state, page = read(visitor, "/tags/Anxiety")
    assert state == "miss" and "Calmer harbour tonight" in page and "Quiet harbour tonight" not in page
    for path in ("/", "/needs-reply", "/tags", f"/posts/{post_id}"):  # every reading page is kept
        read(visitor, path)
        assert read(visitor, path)[0] == "hit", path


def test_etags_let_a_browser_keep_its_copy(site):
    with site.app_context():
        make_post(make_member("tidewater"), body="Small steps. #Recovery")
    visitor = site.test_client()
    etag = visitor.get("/tags/Recovery").headers["ETag"]
    again = visitor.get("/tags/Recovery", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers.get("X-Page-Cache") == "hit"


def test_members_and_anyone_with_a_cookie_get_a_fresh_page(site):
    with site.app_context():
        author = make_member("tidewater")
        make_post(author, body="Small steps. #Recovery")
    member = Visitor(site.test_client())
    member.sign_in("tidewater")
    for _ in range(2):
        response = member.get("/tags/Recovery")
        assert "X-Page-Cache" not in response.headers and "tidewater" in response.get_data(as_text=True)
    assert "Cookie" in response.headers["Vary"]
    stranger = site.test_client()
    stranger.set_cookie("country", "GB")
    assert "X-Page-Cache" not in stranger.get("/tags/Recovery").headers


def _hide_by_statement(context):
    db.session.execute(update(Post).where(Post.id == context["post"].id).values(status=PostStatus.HIDDEN.value))


def _hide_by_moderator(context):
    context["post"].status = PostStatus.HIDDEN.value


#: Each way the page can change: (what is done, what the post's page shows after, or must not).
CHANGES = {
    "edit": (lambda c: edit_post(c["post"], "Harbour lights, edited", "Sitting with it. #Anxiety"),
             "Harbour lights, edited", True),
    "hide (a moderator)": (_hide_by_moderator, "Harbour lights", False),
    "hide (an UPDATE statement)": (_hide_by_statement, "Harbour lights", False),
    "delete the post": (lambda c: delete_post(c["post"]), "Harbour lights", False),
    "delete a reply": (lambda c: delete_reply(c["reply"]), "You are not alone on the water.", False),
    "reply": (lambda c: make_reply(c["helper"], c["post"], "Lighting a lamp for you."),
              "Lighting a lamp for you.", True),
    "heart": (lambda c: set_heart(c["helper"], c["post"], True), "♥</span> 1<span", True),
    "merge tags": (lambda c: merge_tags(c["moderator"], "Anxiety", "Worry"), "#Worry", True),
    "block": (lambda c: block(c["helper"], c["author"]), "Harbour lights", True),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_reaches_the_next_visitor(site, change):
    do, text, present = CHANGES[change]
    with site.app_context():
        author, helper = make_member("tidewater"), make_member("lamplighter")
        moderator = make_member("harbour_mod", Role.MODERATOR)
        make_post(helper, title="Another worry", body="Hello. #Worry")
        post = make_post(author, title="Harbour lights", body="Sitting with it. #Anxiety")
        make_reply(helper, post, "You are not alone on the water.")
        post_id = post.id
    visitor = site.test_client()
    read(visitor, f"/posts/{post_id}")
    assert read(visitor, f"/posts/{post_id}")[0] == "hit"
    with site.app_context():
        post = db.session.get(Post, post_id)
        context = {"post": post, "reply": db.session.scalar(select(Reply).where(Reply.post_id == post_id)),
                   **{name: db.session.merge(member) for name, member in
                      (("author", author), ("helper", helper), ("moderator", moderator))}}
        do(context)
        db.session.commit()
    response = visitor.get(f"/posts/{post_id}")
    assert response.headers.get("X-Page-Cache") != "hit"
    if response.status_code == 200:
        assert (text in response.get_data(as_text=True)) is present
    else:
        assert response.status_code == 404 and not present


def test_another_process_writing_to_the_same_sqlite_file_ends_the_kept_page(site, database_url):
    """Two apps here stand for two worker processes: they share nothing in memory, only the database file."""
    other_worker = cached_app(database_url)
    with site.app_context():
        post = make_post(make_member("tidewater"), title="Harbour lights", body="Sitting with it. #Anxiety")
        post_id = post.id
    visitor = site.test_client()
    read(visitor, f"/posts/{post_id}")
    with other_worker.app_context():
        db.session.get(Post, post_id).status = PostStatus.HIDDEN.value
        db.session.commit()
    assert visitor.get(f"/posts/{post_id}").status_code == 404


def test_app_servers_sharing_redis_never_show_each_other_stale_pages(app, database_url):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url or not database_url.startswith("postgresql"):
        pytest.skip("set TEST_DATABASE_URL and TEST_REDIS_URL (bash .ci/run does) to run the Redis page cache")
    prefix = f"kindred-test-{os.getpid()}"
    first, second = (cached_app(database_url, REDIS_URL=redis_url, RATELIMIT_KEY_PREFIX=prefix) for _ in range(2))
    with first.app_context():
        post_id = make_post(make_member("tidewater"), title="Harbour lights", body="Sitting. #Anxiety").id
    visitor = first.test_client()
    read(visitor, f"/posts/{post_id}")
    assert read(visitor, f"/posts/{post_id}")[0] == "hit"
    with second.app_context():
        db.session.get(Post, post_id).status = PostStatus.HIDDEN.value
        db.session.commit()
    assert visitor.get(f"/posts/{post_id}").status_code == 404


# --- what is remembered for every viewer: a tag's related tags ------------------------------------

def _related_tags_on(page: str) -> list[str]:
    section = page.split('aria-label="Related tags"', 1)
    return re.findall(r">#([^<]+)</a>", section[1].split("</ul>", 1)[0]) if len(section) == 2 else []


class _Statements:
    """The SELECTs sent while counting, to see which were answered from memory."""

    def __init__(self, app):
        self.sent: list[str] = []
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._note)

    def _note(self, conn, cursor, statement, *_args):
        self.sent.append(statement)

    def related_queries(self) -> int:
        """The related-tags query groups the tag's newest posts' other tags by tag: no other page query does."""
        return sum("GROUP BY hashtags.id" in statement for statement in self.sent)

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._note)


def test_a_tags_related_tags_are_worked_out_once_until_something_is_written(site):
    with site.app_context():
        author = make_member("tidewater")
        make_member("lamplighter")
        make_post(author, title="Restless", body="Awake again. #Anxiety #Insomnia")
        post_id = make_post(author, title="Holding on", body="One more day. #Anxiety #Recovery").id
    member = Visitor(site.test_client())
    member.sign_in("lamplighter")
    statements = _Statements(site)
    try:
        first = member.get("/tags/Anxiety").get_data(as_text=True)
        second = member.get("/tags/Anxiety").get_data(as_text=True)
        assert sorted(_related_tags_on(first)) == sorted(_related_tags_on(second)) == ["Insomnia", "Recovery"]
        assert statements.related_queries() == 1  # the second page, a member's, was not cached: only its sample
        with site.app_context():  # a moderator hides the only post that paired #Anxiety with #Recovery
            db.session.get(Post, post_id).status = PostStatus.HIDDEN.value
            db.session.commit()
        after = member.get("/tags/Anxiety").get_data(as_text=True)
        assert _related_tags_on(after) == ["Insomnia"] and statements.related_queries() == 2
    finally:
        statements.close()


def test_another_process_writing_ends_the_related_tags_kept_here(site, database_url):
    other_worker = cached_app(database_url)
    with site.app_context():
        author = make_member("tidewater")
        make_post(author, title="Restless", body="Awake again. #Anxiety #Insomnia")
    visitor = site.test_client()
    assert _related_tags_on(read(visitor, "/tags/Anxiety")[1]) == ["Insomnia"]
    with other_worker.app_context():
        make_post(db.session.merge(author), title="Sunrise", body="Made it through. #Anxiety #Hope")
    state, page = read(visitor, "/tags/Anxiety")
    assert state == "miss" and sorted(_related_tags_on(page)) == ["Hope", "Insomnia"]
