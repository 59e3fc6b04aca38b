"""The front page, needs-a-reply, tag pages, profiles: ordering, pagination, and no N+1 queries."""
import html
import re
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import PostStatus, utcnow
from forum.services.blocks import block
from forum.services.following import MUTE, set_tag_mode
from forum.services.tags import find_hashtag
from tests.helpers import Visitor, count_queries, make_member, make_post, make_reply


def post_ids_on(page_html: str) -> list[int]:
    import re
    return [int(i) for i in re.findall(r'class="card-title"><a href="/posts/(\d+)"', page_html)]


def make_posts(author, count, **kwargs):
    posts = [make_post(author, title=f"Post {i}", **kwargs) for i in range(count)]
    # Distinct, ordered activity times so the expected order is unambiguous.
    start = utcnow() - timedelta(hours=count)
    for i, post in enumerate(posts):
        post.created_at = post.last_activity_at = start + timedelta(hours=i)
    db.session.commit()
    return posts


def walk_pages(client, path):
    """Follow "Older posts" links to the end; return every page's post ids."""
    import re
    pages, url = [], path
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(post_ids_on(html))
        found = re.search(r'rel="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    return pages


def test_latest_pages_through_every_post_once(client, member):
    posts = make_posts(member, 45)
    pages = walk_pages(client, "/")
    assert [len(p) for p in pages] == [20, 20, 5]
    assert sum(pages, []) == [p.id for p in reversed(posts)]


@pytest.mark.parametrize("path, newest_first", [("/", True), ("/needs-reply", False)])
def test_posts_tied_on_the_sort_time_page_through_once_each_in_id_order(client, member, path, newest_first):
    """The cursor's time is shared by rows on both sides of the page break: the id decides."""
    posts = [make_post(member, title=f"Same moment {i}") for i in range(25)]
    moment = utcnow() - timedelta(hours=1)
    for post in posts:
        post.created_at = post.last_activity_at = moment
    db.session.commit()
    pages = walk_pages(client, path)
    ids = sorted(p.id for p in posts)
    assert [len(p) for p in pages] == [20, 5]
    assert sum(pages, []) == (ids[::-1] if newest_first else ids)


def test_a_reply_brings_a_post_back_to_the_top(client, member, other_member):
    posts = make_posts(member, 3)
    make_reply(other_member, posts[0])
    assert post_ids_on(client.get("/").get_data(as_text=True))[0] == posts[0].id


def test_needs_a_reply_lists_unanswered_posts_oldest_first(client, member, other_member):
    posts = make_posts(member, 4)
    make_reply(other_member, posts[1])
    make_reply(member, posts[2], "An update from me")  # the author's own reply doesn't answer it
    old = make_post(member, title="Weeks ago")
    old.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    html = client.get("/needs-reply").get_data(as_text=True)
    assert post_ids_on(html) == [posts[0].id, posts[2].id, posts[3].id]


def test_needs_a_reply_count_shows_in_the_nav(client, member):
    make_posts(member, 2)
    assert 'aria-label="2 waiting"' in client.get("/tags").get_data(as_text=True)


@pytest.mark.parametrize("leave_out", [lambda viewer, author: block(viewer, author),
                                       lambda viewer, author: set_tag_mode(viewer, find_hashtag("Depression"), MUTE)],
                         ids=["author blocked", "tag muted"])
def test_needs_a_reply_badge_leaves_out_what_the_viewer_blocked_or_muted(signed_in, member, other_member, leave_out):
    make_post(other_member)
    leave_out(member, other_member)
    db.session.commit()
    page = signed_in.get("/needs-reply").get_data(as_text=True)
    assert post_ids_on(page) == [] and 'waiting"' not in page


def test_hidden_posts_stay_out_of_feeds_except_for_their_author(client, signed_in, member, other_member):
    visible = make_post(other_member, title="Seen by all")
    hidden = make_post(member, title="Under review")
    hidden.status = PostStatus.HIDDEN.value
    db.session.commit()
    assert post_ids_on(client.get("/").get_data(as_text=True)) == [visible.id]
    assert client.get(f"/posts/{hidden.id}").status_code == 404
    author_view = signed_in.get("/").get_data(as_text=True)
    assert set(post_ids_on(author_view)) == {visible.id, hidden.id} and "reviews it" in author_view


@pytest.mark.parametrize("spelling", ["Depression", "depression", "DEPRESSION", "%23Depression"])
def test_tag_page_is_case_insensitive(client, member, spelling):
    post = make_post(member, body="#Depression is loud today")
    response = client.get(f"/tags/{spelling}")
    assert response.status_code == 200 and post_ids_on(response.get_data(as_text=True)) == [post.id]


def test_tag_page_lists_only_its_posts_and_paginates(client, member):
    tagged = make_posts(member, 22, body="#Anxiety tonight")
    make_post(member, body="#Recovery day 30")
    pages = walk_pages(client, "/tags/anxiety")
    assert sum(pages, []) == [p.id for p in reversed(tagged)]


@pytest.mark.parametrize("status", [PostStatus.PENDING, PostStatus.HIDDEN])
def test_own_hidden_posts_take_their_place_on_a_tag_page_across_pages(client, signed_in, member, other_member,
                                                                     status):
    """The author sees their own posts among the visible ones in order, page after page; no one else does."""
    blocked = make_member("blocked_voice")
    assert signed_in.post(f"/u/{blocked.username}/block").status_code == 302
    visible = [make_post(other_member, title=f"Visible {i}", body="#Anxiety tonight") for i in range(30)]
    mine = [make_post(member, title=f"Mine {i}", body="#Anxiety too") for i in range(2)]
    theirs = [make_post(blocked, title=f"Blocked {i}", body="#Anxiety also") for i in range(3)]
    for post in mine:
        post.status = status.value
    # Newest first: one of mine ends the author's page 1, the other sits inside page 2; blocked ones among them.
    newest_first = (visible[:19] + [mine[0], theirs[0]] + visible[19:24] + [theirs[1], mine[1]] + visible[24:]
                    + [theirs[2]])
    now = utcnow()
    for i, post in enumerate(newest_first):
        post.created_at = post.last_activity_at = now - timedelta(hours=i)
    db.session.commit()

    authors_pages = walk_pages(signed_in, "/tags/anxiety")
    assert [len(p) for p in authors_pages] == [20, 12] and authors_pages[0][-1] == mine[0].id
    assert sum(authors_pages, []) == [p.id for p in newest_first if p not in theirs]
    everyone_else = [p.id for p in newest_first if p not in mine]
    assert sum(walk_pages(client, "/tags/anxiety"), []) == everyone_else
    other = Visitor(client.application.test_client())
    other.sign_in(other_member.username)
    assert sum(walk_pages(other, "/tags/anxiety"), []) == everyone_else


def test_a_tag_page_pages_through_more_own_hidden_posts_than_fit_on_a_page(signed_in, member, other_member):
    mine = make_posts(member, 23, body="#Anxiety again")
    visible = make_posts(other_member, 3, body="#Anxiety tonight")
    for post in mine:
        post.status = PostStatus.PENDING.value
        post.created_at = post.last_activity_at = post.last_activity_at - timedelta(days=2)
    db.session.commit()
    pages = walk_pages(signed_in, "/tags/anxiety")
    assert [len(p) for p in pages] == [20, 6]
    assert sum(pages, []) == [p.id for p in reversed(visible)] + [p.id for p in reversed(mine)]


def test_unknown_tag_is_a_404(client):
    assert client.get("/tags/NoSuchTag").status_code == 404


def test_tag_index_orders_by_use(client, member):
    make_post(member, title="a", body="#PTSD #Anxiety")
    make_post(member, title="b", body="#anxiety")
    html = client.get("/tags").get_data(as_text=True)
    assert html.index("#Anxiety") < html.index("#PTSD") and "2 posts" in html


def test_profile_lists_the_members_posts(client, member, other_member):
    mine = make_post(member, title="Mine")
    make_post(other_member, title="Theirs")
    html = client.get("/u/RIVER_STONE").get_data(as_text=True)
    assert post_ids_on(html) == [mine.id]
    assert client.get("/u/nobody_here").status_code == 404


@pytest.mark.parametrize("path", ["/", "/needs-reply", "/tags", "/tags/Depression", "/u/river_stone"])
def test_a_cursor_we_did_not_make_is_a_friendly_400(client, member, path):
    make_post(member)
    response = client.get(f"{path}?after=not-a-cursor")
    assert response.status_code == 400 and "didn&#39;t make sense" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/tags/Depression", "/posts/{first}"])
def test_page_queries_do_not_grow_with_rows(app, client, member, path):
    """Five rows or twenty, the page runs the same number of SQL statements (no N+1)."""
    others = [make_member(f"voice_{i}") for i in range(3)]

    def fill(n):
        posts = make_posts(member, n, body="#Depression #Hope words")
        for post in posts[:n]:
            make_reply(others[len(post.title) % 3], post)
        for i in range(n):
            make_reply(others[i % 3], posts[0], f"reply {i}")
        return posts

    def queries(url):
        db.session.expire_all()
        with count_queries(db.engine) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    posts = fill(5)
    few = queries(path.format(first=posts[0].id))
    fill(20)
    many = queries(path.format(first=posts[0].id))
    assert many == few


@pytest.mark.parametrize("path,signed_in_as,heading", [
    ("/", None, "You don't have to carry it alone."),
    ("/needs-reply", None, "Posts that need a reply"),
    ("/", "river_stone", "Latest posts"),
])
def test_each_feed_page_has_one_main_heading(app, client, member, path, signed_in_as, heading):
    """Screen readers list a page by its headings: one <h1> names the page, the hidden feed heading sits under
    the visitors' welcome when there is one."""
    visitor = Visitor(client)
    if signed_in_as:
        visitor.sign_in(signed_in_as)
    page = visitor.get(path).get_data(as_text=True)
    assert [html.unescape(found) for found in re.findall(r"<h1[^>]*>(.*?)</h1>", page)] == [heading]
