"""A long conversation comes a page of threads at a time, and links to a reply still land on it."""
import re
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from forum.extensions import db
from forum.models import PostStatus, Reply
from tests.helpers import make_member, make_post, make_reply

PER_PAGE = 3
REPLY_IDS = re.compile(r'<article class="reply[^"]*" id="reply-(\d+)"')
NEXT = re.compile(r'rel="next" href="([^"]+)"')


@pytest.fixture
def long_thread(app, member, other_member):
    """Seven threads on `member`'s post; the second and the fifth (page 2) have answers."""
    app.config["REPLIES_PER_PAGE"] = PER_PAGE
    post = make_post(member, title="A long evening")
    tops = [make_reply(other_member, post, f"Thread {n}") for n in range(7)]
    make_reply(member, post, "Thank you, truly.", parent=tops[1])
    make_reply(member, post, "This one helped.", parent=tops[4])
    make_reply(other_member, post, "Glad it did.", parent=tops[4])
    return post, tops


def reply_ids(html: str) -> list[int]:
    return [int(found) for found in REPLY_IDS.findall(html)]


def all_pages(visitor, post) -> list[list[int]]:
    pages, url = [], f"/posts/{post.id}"
    while url:
        html = visitor.get(url).get_data(as_text=True)
        pages.append(reply_ids(html))
        found = NEXT.search(html)
        url = found.group(1).replace("&amp;", "&") if found else None
    return pages


def answers_of(reply: Reply) -> list[int]:
    return list(db.session.scalars(select(Reply.id).where(Reply.parent_id == reply.id).order_by(Reply.id)))


def test_the_first_page_shows_the_post_and_the_first_threads(client, long_thread):
    post, tops = long_thread
    html = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert reply_ids(html) == [tops[0].id, tops[1].id, *answers_of(tops[1]), tops[2].id]
    assert '<article class="post" id="post">' in html and "10 replies" in html and "page 1 of 3" in html


def test_next_links_lead_through_every_reply_once_in_conversation_order(client, long_thread):
    post, tops = long_thread
    pages = all_pages(client, post)
    assert len(pages) == 3
    expected = []
    for top in tops:
        expected += [top.id, *answers_of(top)]
    assert [reply_id for page in pages for reply_id in page] == expected


def test_answers_stay_on_the_page_of_the_reply_they_answer(client, long_thread):
    post, tops = long_thread
    second = all_pages(client, post)[1]
    assert second == [tops[3].id, tops[4].id, *answers_of(tops[4]), tops[5].id]


def test_a_later_page_names_the_post_and_links_back(client, long_thread):
    post, _ = long_thread
    first = client.get(f"/posts/{post.id}").get_data(as_text=True)
    html = client.get(NEXT.search(first).group(1)).get_data(as_text=True)
    assert "A long evening" in html and 'class="post post-compact"' in html and "page 2 of 3" in html
    assert '<div class="prose">Some days' not in html  # the post's body stays on the first page
    assert f'rel="prev" href="/posts/{post.id}#replies"' in html


def test_a_cursor_we_did_not_make_is_a_bad_request(client, long_thread):
    post, _ = long_thread
    assert client.get(f"/posts/{post.id}?after=not-ours").status_code == 400


@pytest.mark.parametrize("which, page", [(0, 0), (4, 1), (6, 2)])
def test_the_reply_link_redirects_to_the_page_holding_the_reply(client, long_thread, which, page):
    post, tops = long_thread
    reply = tops[which]
    response = client.get(f"/posts/{post.id}/replies/{reply.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#reply-{reply.id}")
    assert reply.id in all_pages(client, post)[page]
    assert reply.id in reply_ids(client.get(response.headers["Location"]).get_data(as_text=True))


def test_the_reply_link_to_an_answer_lands_on_its_parents_page(client, long_thread):
    post, tops = long_thread
    answer = answers_of(tops[4])[-1]
    location = client.get(f"/posts/{post.id}/replies/{answer}").headers["Location"]
    assert location.endswith(f"#reply-{answer}") and "after=" in location
    page = reply_ids(client.get(location).get_data(as_text=True))
    assert page == [tops[3].id, tops[4].id, *answers_of(tops[4]), tops[5].id]


def test_the_reply_link_is_404_for_a_reply_of_another_post(client, long_thread, member):
    post, tops = long_thread
    elsewhere = make_post(member, title="Elsewhere")
    assert client.get(f"/posts/{elsewhere.id}/replies/{tops[0].id}").status_code == 404
    assert client.get(f"/posts/{post.id}/replies/999999").status_code == 404


def test_a_hidden_reply_is_404_through_its_link_except_for_its_author(client, signed_in_other, long_thread):
    post, tops = long_thread
    tops[5].status = PostStatus.HIDDEN.value
    db.session.commit()
    assert client.get(f"/posts/{post.id}/replies/{tops[5].id}").status_code == 404
    assert signed_in_other.get(f"/posts/{post.id}/replies/{tops[5].id}").status_code == 302


def test_a_blocked_members_reply_is_404_through_its_link_for_the_blocker(signed_in, other_member, long_thread):
    post, tops = long_thread
    assert signed_in.post(f"/u/{other_member.username}/block").status_code == 302
    assert signed_in.get(f"/posts/{post.id}/replies/{tops[4].id}").status_code == 404


def test_an_answer_to_a_hidden_reply_stands_on_its_own_page_and_its_link_finds_it(client, long_thread):
    post, tops = long_thread
    tops[4].status = PostStatus.HIDDEN.value
    db.session.commit()
    answer = answers_of(tops[4])[0]
    pages = all_pages(client, post)
    seen = [reply_id for page in pages for reply_id in page]
    assert tops[4].id not in seen and answer in seen and len(seen) == len(set(seen))
    location = client.get(f"/posts/{post.id}/replies/{answer}").headers["Location"]
    assert answer in reply_ids(client.get(location).get_data(as_text=True))


def test_replying_to_a_long_thread_lands_on_the_page_holding_the_reply(signed_in_other, long_thread):
    post, _ = long_thread
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "Still here with you."})
    reply = db.session.scalars(select(Reply).order_by(Reply.id.desc())).first()
    assert response.status_code == 302
    location = response.headers["Location"]
    assert urlsplit(location).fragment == f"reply-{reply.id}" and "after=" in location
    html = signed_in_other.get(location).get_data(as_text=True)
    assert reply.id in reply_ids(html) and "page 3 of 3" in html and "Write a reply" in html


def test_a_short_conversation_has_no_pager(client, member, other_member):
    post = make_post(member)
    make_reply(other_member, post)
    html = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert 'class="pager"' not in html and "page 1 of" not in html


def test_care_on_a_later_page_answers_the_whole_conversation(app, signed_in, member):
    app.config["REPLIES_PER_PAGE"] = 1
    post = make_post(member, title="Hard night")
    make_reply(make_member("worried_one"), post, "I want to kill myself tonight.")
    make_reply(make_member("steady_one"), post, "Sending you strength.")
    first = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    later = signed_in.get(NEXT.search(first).group(1)).get_data(as_text=True)
    assert "I want to kill myself" in first and "I want to kill myself" not in later
    assert 'class="care-note"' in first and 'class="care-note"' in later


def test_help_for_the_viewers_own_words_on_another_page_fits_what_they_wrote(app, signed_in, member):
    """On a conversation longer than a page the viewer's help comes from every reply of theirs (their words'
    categories choose the lines), never from someone else's: here their overdose leads with Poison Help on a
    page that shows only another member's crisis."""
    app.config["REPLIES_PER_PAGE"] = 1
    post = make_post(make_member("first_poster"), title="Rough evening")
    make_reply(make_member("worried_one"), post, "I want to kill myself tonight.")
    make_reply(member, post, "I took way too many of my pills an hour ago and I feel really strange.")
    first = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "I want to kill myself" in first and "way too many" not in first
    panel = first.split('class="crisis-panel"', 1)[1].split("</section>", 1)[0]
    assert "Poison" in panel.split("<details>", 1)[0]


@pytest.mark.parametrize("threads", [0, 2, 3, 4, 5, 6, 7])
def test_a_new_thread_lands_on_the_page_the_pager_shows_it_on(app, signed_in_other, member, other_member, threads):
    """The landing is found before the reply is written (forum.services.threads.cursor_for_new_reply): at every
    place against the page boundaries it is the page the pager leads to, and holds the reply."""
    app.config["REPLIES_PER_PAGE"] = PER_PAGE
    post = make_post(member, title="Counting the evening")
    for n in range(threads):
        make_reply(other_member, post, f"Thread {n}")
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "One more, with you."})
    reply = db.session.scalars(select(Reply).order_by(Reply.id.desc())).first()
    assert response.status_code == 302
    html = signed_in_other.get(response.headers["Location"]).get_data(as_text=True)
    assert reply.id in reply_ids(html)
    pages = all_pages(signed_in_other, post)
    assert reply.id in pages[-1] and ("after=" in response.headers["Location"]) == (len(pages) > 1)


def test_answering_a_thread_on_an_earlier_page_lands_on_that_page(signed_in_other, long_thread):
    post, tops = long_thread
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "Coming back to this.",
                                                                  "parent_id": str(tops[4].id)})
    reply = db.session.scalars(select(Reply).order_by(Reply.id.desc())).first()
    html = signed_in_other.get(response.headers["Location"]).get_data(as_text=True)
    assert reply.parent_id == tops[4].id and reply.id in reply_ids(html) and tops[4].id in reply_ids(html)
    assert "page 2 of 3" in html


def test_each_replys_reply_link_is_the_page_it_is_on_with_reply_to(app, long_thread, signed_in):
    """Built once a page, not by url_for per reply: the same addresses url_for gives, on the first page and on
    a later one (whose address carries its cursor)."""
    post, _ = long_thread
    url, checked = f"/posts/{post.id}", 0
    while url:
        html = signed_in.get(url).get_data(as_text=True)
        after = dict(part.split("=", 1) for part in urlsplit(url).query.split("&") if part).get("after")
        for href, answered in re.findall(r'<a href="([^"]+)" data-reply-to="(\d+)"', html):
            with app.test_request_context():
                expected = url_for("posts.show", post_id=post.id, after=after, reply_to=int(answered),
                                   _anchor="reply")
            assert href.replace("&amp;", "&") == expected
            checked += 1
        found = NEXT.search(html)
        url = found.group(1).replace("&amp;", "&").split("#")[0] if found else None
    assert checked == 10  # every reply, answers included, on all three pages
