"""/api/v1/search: the search page's results and guides as data, checked against the OpenAPI document."""
from __future__ import annotations

from forum.extensions import db
from tests.api_support import ApiClient
from tests.helpers import make_post


def test_search_answers_posts_the_viewer_may_see_and_guides(app, member, other_member):
    seen = make_post(other_member, title="Intensive outpatient, week two", body="Evenings are long. #Recovery")
    held = make_post(other_member, title="Intensive outpatient, held", body="Waiting. #Recovery")
    held.status = "pending"
    db.session.commit()
    body = ApiClient(app, "read_token", member).get("/search?q=intensive+outpatient").get_json()
    assert [result["id"] for result in body["results"]] == [seen.id]
    assert body["results"][0]["title_html"].count("<mark>") == 2
    assert any(guide["url"] == "/guides/inpatient-vs-intensive-outpatient" for guide in body["guides"])


def test_search_without_words_or_with_a_strange_cursor_is_calm(app, member):
    client = ApiClient(app, "none", member)
    empty = client.get("/search?q=%22%22")
    assert empty.status_code == 200 and empty.get_json()["results"] == [] and empty.get_json()["notices"]
    bad = client.get("/search?q=sleep&cursor=not-ours")
    assert bad.status_code == 400 and "cursor" in bad.get_json()["error"]["message"]


def test_the_author_filter_answers_nothing_for_a_member_who_keeps_activity_private(app, member, other_member):
    make_post(other_member, title="Lanterns", body="Lanterns on the porch.")
    other_member.hide_activity = True
    db.session.commit()
    for client in (ApiClient(app, "none"), ApiClient(app, "read_token", member)):
        body = client.get(f"/search?q=lanterns&author={other_member.username}").get_json()
        assert body["results"] == [] and body["notices"] == [f"Nothing by “{other_member.username}” matched. "
                                                             "Check the spelling?"]
