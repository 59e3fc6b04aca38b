"""Following and muting hashtags, the "My tags" feed, muted tags left out of feeds, and related tags."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Hashtag, PostStatus, TagFollow, utcnow
from forum.services.following import related_tags
from forum.services.tags import find_hashtag
from tests.helpers import count_queries, make_post, make_reply
from tests.test_feeds import make_posts, post_ids_on, walk_pages

JSON = {"Accept": "application/json"}


def follows_of(member) -> list[tuple[str, str]]:
    """The member's choices as (tag name, mode), straight from the table."""
    db.session.expire_all()
    rows = db.session.execute(select(Hashtag.name, TagFollow.mode).join(TagFollow.hashtag)
                              .where(TagFollow.user_id == member.id).order_by(Hashtag.key))
    return [tuple(row) for row in rows]


def posts_in_order(author, *bodies):
    """One post per body, each an hour newer than the one before."""
    posts = [make_post(author, title=f"Post {i}", body=body) for i, body in enumerate(bodies)]
    start = utcnow() - timedelta(hours=len(posts))
    for i, post in enumerate(posts):
        post.created_at = post.last_activity_at = start + timedelta(hours=i)
    db.session.commit()
    return posts


@pytest.fixture
def anxiety(member):
    make_post(member, title="Racing thoughts", body="Can't slow down tonight. #Anxiety")
    return find_hashtag("Anxiety")


# Following and muting

def test_following_a_tag_adds_one_row_and_says_so(signed_in, member, anxiety):
    response = signed_in.post("/tags/Anxiety/follow", follow_redirects=True)
    assert response.request.path == "/tags/Anxiety"
    assert "Its posts will gather on your My tags page" in response.get_data(as_text=True)
    assert follows_of(member) == [("Anxiety", "follow")]


def test_following_twice_keeps_one_row(signed_in, member, anxiety):
    first = signed_in.post("/tags/Anxiety/follow", headers=JSON).get_json()
    second = signed_in.post("/tags/Anxiety/follow", headers=JSON).get_json()
    assert first["changed"] is True and second["changed"] is False
    assert follows_of(member) == [("Anxiety", "follow")]


def test_tag_names_in_follow_links_are_case_insensitive(signed_in, member, anxiety):
    assert signed_in.post("/tags/aNXIETY/follow").status_code == 302
    assert follows_of(member) == [("Anxiety", "follow")]


def test_muting_a_followed_tag_replaces_the_follow(signed_in, member, anxiety):
    signed_in.post("/tags/Anxiety/follow")
    signed_in.post("/tags/Anxiety/mute")
    assert follows_of(member) == [("Anxiety", "mute")]


def test_following_a_muted_tag_replaces_the_mute(signed_in, member, anxiety):
    signed_in.post("/tags/Anxiety/mute")
    signed_in.post("/tags/Anxiety/follow")
    assert follows_of(member) == [("Anxiety", "follow")]


def test_muting_twice_keeps_one_row(signed_in, member, anxiety):
    signed_in.post("/tags/Anxiety/mute")
    assert signed_in.post("/tags/Anxiety/mute", headers=JSON).get_json()["changed"] is False
    assert follows_of(member) == [("Anxiety", "mute")]


@pytest.mark.parametrize("mode, undo", [("follow", "unfollow"), ("mute", "unmute")])
def test_undoing_a_choice_deletes_the_row_and_a_repeat_is_harmless(signed_in, member, anxiety, mode, undo):
    signed_in.post(f"/tags/Anxiety/{mode}")
    assert signed_in.post(f"/tags/Anxiety/{undo}").status_code == 302
    assert signed_in.post(f"/tags/Anxiety/{undo}").status_code == 302
    assert follows_of(member) == []


def test_unfollowing_a_muted_tag_leaves_it_muted(signed_in, member, anxiety):
    signed_in.post("/tags/Anxiety/mute")
    signed_in.post("/tags/Anxiety/unfollow")
    assert follows_of(member) == [("Anxiety", "mute")]


def test_a_json_request_gets_the_new_state_and_counts_only_followers(signed_in, other_member, anxiety):
    signed_in.post("/tags/Anxiety/follow")
    db.session.add(TagFollow(user_id=other_member.id, hashtag_id=anxiety.id, mode="mute"))
    db.session.commit()
    response = signed_in.post("/tags/anxiety/mute", headers=JSON)
    assert response.get_json() == {"tag": "Anxiety", "mode": "mute", "changed": True, "followers": 0}


def test_visitors_are_sent_to_sign_in_before_following(visitor, anxiety):
    response = visitor.post("/tags/Anxiety/follow")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert db.session.scalar(select(TagFollow)) is None


def test_following_an_unknown_tag_is_a_404(signed_in):
    assert signed_in.post("/tags/NoSuchTag/follow").status_code == 404


def test_following_without_the_csrf_token_is_refused(signed_in, member, anxiety):
    response = signed_in.client.post("/tags/Anxiety/follow")
    assert response.status_code == 400 and follows_of(member) == []


def test_following_a_merged_tag_follows_the_tag_it_became(signed_in, member, anxiety):
    make_post(member, title="Old spelling", body="#Worry")
    find_hashtag("Worry").merged_into_id = anxiety.id
    db.session.commit()
    signed_in.post("/tags/Worry/follow")
    assert follows_of(member) == [("Anxiety", "follow")]


# The tag page

def test_tag_page_shows_follow_and_mute_buttons_and_the_follower_count(signed_in, signed_in_other, anxiety):
    signed_in_other.post("/tags/Anxiety/follow")
    html = signed_in.get("/tags/Anxiety").get_data(as_text=True)
    assert "1 member follows this tag" in html
    assert 'action="/tags/Anxiety/follow"' in html and 'action="/tags/Anxiety/mute"' in html
    signed_in.post("/tags/Anxiety/follow")
    html = signed_in.get("/tags/Anxiety").get_data(as_text=True)
    assert "2 members follow this tag" in html
    assert 'action="/tags/Anxiety/unfollow"' in html and 'action="/tags/Anxiety/follow"' not in html


def test_a_muted_tag_page_offers_to_unmute(signed_in, anxiety):
    signed_in.post("/tags/Anxiety/mute")
    html = signed_in.get("/tags/Anxiety").get_data(as_text=True)
    assert 'action="/tags/Anxiety/unmute"' in html and 'action="/tags/Anxiety/mute"' not in html


def test_visitors_see_no_follow_buttons(client, anxiety):
    html = client.get("/tags/Anxiety").get_data(as_text=True)
    assert "no one follows this tag yet" in html and "/tags/Anxiety/follow" not in html


# My tags

def test_my_tags_needs_a_member(client):
    response = client.get("/my-tags")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_my_tags_link_shows_in_the_nav_for_members_only(client, signed_in):
    assert 'href="/my-tags"' in signed_in.get("/").get_data(as_text=True)
    assert 'href="/my-tags"' not in client.get("/").get_data(as_text=True)


def test_a_tag_called_following_keeps_its_own_page(signed_in, member):
    post = make_post(member, title="Who I follow", body="Thinking about #following my gut")
    assert post_ids_on(signed_in.get("/tags/following").get_data(as_text=True)) == [post.id]
    assert signed_in.post("/tags/following/follow").status_code == 302
    assert post_ids_on(signed_in.get("/my-tags").get_data(as_text=True)) == [post.id]


def test_my_tags_lists_posts_with_followed_tags_latest_activity_first(signed_in, member, other_member):
    oldest, older, newer, elsewhere, newest = posts_in_order(
        other_member, "#Anxiety again", "#Hope today", "#Anxiety and #Hope", "#Cooking", "#Hope still")
    signed_in.post("/tags/Anxiety/follow")
    signed_in.post("/tags/Hope/follow")
    make_reply(member, oldest)  # a reply brings the oldest post back to the top
    html = signed_in.get("/my-tags").get_data(as_text=True)
    assert post_ids_on(html) == [oldest.id, newest.id, newer.id, older.id]


def test_my_tags_shows_a_post_with_several_followed_tags_once_and_pages_through(signed_in, other_member):
    posts = make_posts(other_member, 25, body="#Anxiety #Depression #Hope")
    for name in ("Anxiety", "Depression", "Hope"):
        signed_in.post(f"/tags/{name}/follow")
    pages = walk_pages(signed_in, "/my-tags")
    assert [len(page) for page in pages] == [20, 5]
    assert sum(pages, []) == [post.id for post in reversed(posts)]


def test_my_tags_leaves_out_posts_the_member_may_not_see(signed_in, other_member):
    shown = make_post(other_member, title="Shown", body="#Anxiety")
    hidden = make_post(other_member, title="Under review", body="#Anxiety")
    hidden.status = PostStatus.HIDDEN.value
    db.session.commit()
    signed_in.post("/tags/Anxiety/follow")
    assert post_ids_on(signed_in.get("/my-tags").get_data(as_text=True)) == [shown.id]


def test_empty_my_tags_suggests_the_most_used_tags_not_yet_chosen(signed_in, member):
    make_post(member, title="a", body="#Anxiety #PTSD #Recovery")
    make_post(member, title="b", body="#Anxiety #PTSD")
    make_post(member, title="c", body="#Anxiety")
    signed_in.post("/tags/Recovery/mute")
    html = signed_in.get("/my-tags").get_data(as_text=True)
    assert "any tags yet" in html and post_ids_on(html) == []
    suggested = html[html.index('aria-label="Suggested tags"'):]
    assert suggested.index("#Anxiety") < suggested.index("#PTSD") and "#Recovery" not in suggested
    assert 'action="/tags/Anxiety/follow"' in suggested


def test_following_from_the_suggestions_returns_to_my_tags(signed_in, member):
    post = make_post(member, body="#Anxiety")
    response = signed_in.post("/tags/Anxiety/follow", {"back": "my-tags"})
    assert response.headers["Location"] == "/my-tags"
    assert post_ids_on(signed_in.get("/my-tags").get_data(as_text=True)) == [post.id]


def test_an_unknown_back_value_returns_to_the_tag_page(signed_in, anxiety):
    response = signed_in.post("/tags/Anxiety/follow", {"back": "https://elsewhere.example"})
    assert response.headers["Location"] == "/tags/Anxiety"


# Muted tags

@pytest.fixture
def muted_setup(signed_in, other_member):
    """river_stone mutes #Gambling; other_member wrote one post with it and one without."""
    muted = make_post(other_member, title="Another relapse", body="Lost it all again #Gambling #Recovery")
    kept = make_post(other_member, title="Day 12", body="Still going #Recovery")
    signed_in.post("/tags/Gambling/mute")
    return muted, kept


@pytest.mark.parametrize("path", ["/", "/needs-reply"])
def test_muted_tag_posts_leave_the_muters_feeds(signed_in, muted_setup, path):
    muted, kept = muted_setup
    assert post_ids_on(signed_in.get(path).get_data(as_text=True)) == [kept.id]


@pytest.mark.parametrize("path", ["/", "/needs-reply"])
def test_muted_tag_posts_stay_in_everyone_elses_feeds(client, signed_in_other, muted_setup, path):
    muted, kept = muted_setup
    for reader in (client, signed_in_other):
        assert set(post_ids_on(reader.get(path).get_data(as_text=True))) == {muted.id, kept.id}


def test_muted_tag_posts_stay_on_their_tag_page_and_post_page(signed_in, muted_setup):
    muted, kept = muted_setup
    assert post_ids_on(signed_in.get("/tags/Gambling").get_data(as_text=True)) == [muted.id]
    assert signed_in.get(f"/posts/{muted.id}").status_code == 200


def test_a_muted_tag_outweighs_a_followed_one_in_my_tags(signed_in, muted_setup):
    muted, kept = muted_setup
    signed_in.post("/tags/Recovery/follow")
    assert post_ids_on(signed_in.get("/my-tags").get_data(as_text=True)) == [kept.id]


def test_unmuting_brings_the_posts_back(signed_in, muted_setup):
    muted, kept = muted_setup
    signed_in.post("/tags/Gambling/unmute")
    assert set(post_ids_on(signed_in.get("/").get_data(as_text=True))) == {muted.id, kept.id}


# Related tags

def test_related_tags_come_most_shared_first(app, member):
    make_post(member, title="1", body="#Anxiety #Sleep #Hope")
    make_post(member, title="2", body="#Anxiety #Sleep")
    make_post(member, title="3", body="#Anxiety #Sleep #Work")
    make_post(member, title="4", body="#Anxiety #Hope")
    make_post(member, title="5", body="#Cooking #Hope")  # shares nothing with #Anxiety
    hidden = make_post(member, title="6", body="#Anxiety #Work #Cooking")
    hidden.status = PostStatus.HIDDEN.value
    db.session.commit()
    related = related_tags(None, find_hashtag("Anxiety"))
    assert [tag.name for tag in related] == ["Sleep", "Hope", "Work"]


def test_related_tags_count_only_the_newest_visible_posts_of_the_tag(app, member):
    make_post(member, title="old 1", body="#Anxiety #Sleep")
    make_post(member, title="old 2", body="#Anxiety #Sleep")
    make_post(member, title="new 1", body="#Anxiety #Hope")
    make_post(member, title="new 2", body="#Anxiety #Hope #Work")
    hidden = make_post(member, title="newest, hidden", body="#Anxiety #Cooking")
    hidden.status = PostStatus.HIDDEN.value
    db.session.commit()
    related = related_tags(None, find_hashtag("Anxiety"), sample=2)
    assert [tag.name for tag in related] == ["Hope", "Work"]


def test_related_tags_are_at_most_eight(app, member):
    make_post(member, body="#Anxiety " + " ".join(f"#Other{i}" for i in range(10)))
    assert len(related_tags(None, find_hashtag("Anxiety"))) == 8


def test_related_tags_take_one_query(app, member):
    for i in range(5):
        make_post(member, title=str(i), body=f"#Anxiety #Side{i} #Hope")
    tag = find_hashtag("Anxiety")
    with count_queries(db.engine) as statements:
        related_tags(None, tag)
    assert len(statements) == 1


def test_tag_page_links_related_tags(client, member):
    make_post(member, body="#Anxiety #Sleep")
    html = client.get("/tags/Anxiety").get_data(as_text=True)
    related = html[html.index('aria-label="Related tags"'):]
    assert 'href="/tags/Sleep"' in related


# Query counts

@pytest.mark.parametrize("path", ["/", "/needs-reply", "/my-tags", "/tags/Depression"])
def test_member_pages_queries_do_not_grow_with_rows(signed_in, other_member, path):
    """With follows and a mute in place, five rows or twenty cost the same number of SQL statements."""

    def fill(n):
        make_posts(other_member, n, body="#Depression #Hope words")
        make_posts(other_member, 2, body="#Gambling")

    def queries():
        db.session.expire_all()
        with count_queries(db.engine) as statements:
            assert signed_in.get(path).status_code == 200
        return len(statements)

    fill(5)
    signed_in.post("/tags/Depression/follow")
    signed_in.post("/tags/Gambling/mute")
    few = queries()
    fill(20)
    assert queries() == few
