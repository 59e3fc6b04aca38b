"""Search finds the treatment guides too, above the members' posts."""
from __future__ import annotations

from tests.helpers import make_post


def test_a_search_shows_the_guides_that_answer_it(app, client, member):
    make_post(member, title="Starting an intensive outpatient programme", body="Nervous about Monday. #Recovery")
    page = client.get("/search?q=intensive+outpatient").get_data(as_text=True)
    assert "Treatment guides" in page
    assert 'href="/guides/inpatient-vs-intensive-outpatient"' in page
    assert page.index("Treatment guides") < page.index("Starting an")


def test_the_tag_filter_narrows_guides_and_an_author_filter_leaves_them_out(app, client, member):
    tagged = client.get("/search?q=inpatient&tag=PTSD").get_data(as_text=True)
    assert 'href="/guides/inpatient-vs-intensive-outpatient"' in tagged  # it carries #PTSD
    assert "/guides/paying-for-treatment" not in tagged  # it doesn't
    by_author = client.get(f"/search?q=inpatient&author={member.username}").get_data(as_text=True)
    assert "Treatment guides" not in by_author


def test_words_no_guide_holds_show_no_guide_panel(app, client):
    assert "Treatment guides" not in client.get("/search?q=lighthouse+keeper").get_data(as_text=True)
