"""Anyone can choose whose crisis lines lead the help page: a visitor's choice stays in their browser, a member's
in their settings; the page never shows how the server is laid out."""
import re

import pytest

from forum.extensions import db
from forum.web_helpers import COUNTRY_COOKIE, viewer_country

LOCAL_HEADING = re.compile(r'<option selected value="(\w+)">')


def shown_country(visitor) -> str:
    """The country whose lines the help page leads with: the one its chooser has selected."""
    return LOCAL_HEADING.search(visitor.get("/help").get_data(as_text=True)).group(1)


def test_a_visitor_chooses_a_country_and_the_browser_remembers_it(visitor):
    assert shown_country(visitor) == "US"
    response = visitor.post("/help/country", {"country": "GB"})
    assert response.status_code == 302 and response.headers["Location"] == "/help"
    cookie = visitor.client.get_cookie(COUNTRY_COOKIE)
    assert cookie.value == "GB" and cookie.http_only
    page = visitor.get("/help").get_data(as_text=True)
    assert "Where you are: United Kingdom" in page and "Samaritans" in page
    assert '<option selected value="GB">' in page


def test_another_visitor_still_sees_the_sites_default(app, visitor):
    visitor.post("/help/country", {"country": "GB"})
    assert LOCAL_HEADING.search(app.test_client().get("/help").get_data(as_text=True)).group(1) == "US"


def test_the_chosen_country_leads_the_care_shown_elsewhere_too(app):
    """Care beside a post and the composer's crisis check ask viewer_country too."""
    with app.test_request_context("/", headers={"Cookie": f"{COUNTRY_COOKIE}=GB"}):
        assert viewer_country() == "GB"


@pytest.mark.parametrize("value", ["XX", "", "gb'><script>", "G" * 500])
def test_a_country_nobody_lists_is_refused_calmly(visitor, value):
    response = visitor.post("/help/country", {"country": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Please choose once more" in page
    assert "988 Suicide &amp; Crisis Lifeline" in page  # the lines stay on screen
    assert visitor.client.get_cookie(COUNTRY_COOKIE) is None


@pytest.mark.parametrize("value", ["XX", "../../etc", "gb\n"])
def test_a_forged_cookie_is_ignored(client, value):
    client.set_cookie(COUNTRY_COOKIE, value)
    assert LOCAL_HEADING.search(client.get("/help").get_data(as_text=True)).group(1) == "US"


def test_without_the_csrf_token_the_page_still_answers_with_help(client):
    response = client.post("/help/country", data={"country": "GB"})
    assert response.status_code == 422 and "Please choose once more" in response.get_data(as_text=True)
    assert client.get_cookie(COUNTRY_COOKIE) is None


def test_a_member_choosing_on_the_help_page_saves_it_to_their_settings(signed_in, member):
    assert signed_in.post("/help/country", {"country": "IE"}).status_code == 302
    db.session.expire_all()
    assert member.country == "IE"
    assert shown_country(signed_in) == "IE"


def test_a_members_saved_country_wins_over_the_browsers(signed_in, member):
    member.country = "CA"
    db.session.commit()
    signed_in.client.set_cookie(COUNTRY_COOKIE, "GB")
    assert shown_country(signed_in) == "CA"


def test_the_help_page_shows_no_internal_file_path(visitor):
    page = visitor.get("/help").get_data(as_text=True)
    assert not re.search(r"forum/|\.toml|\.py\b|/work/|/srv/", page)


def test_shared_caches_do_not_keep_a_visitors_help_page(visitor):
    response = visitor.get("/help")
    assert "private" in response.headers["Cache-Control"] and "Cookie" in response.headers["Vary"]


# --- somewhere we have no list for ------------------------------------------------------------------------------

def lines_on(page: str) -> list[str]:
    """The names of the lines shown, in order."""
    return re.findall(r'<article class="hotline[^"]*">\s*<h3>([^<]+)</h3>', page)


def test_the_heading_names_the_country_not_its_code(visitor):
    page = visitor.get("/help").get_data(as_text=True)
    assert "Where you are: United States" in page and "Where you are (US)" not in page


def test_someone_elsewhere_can_choose_to_see_the_directories_first(visitor):
    page = visitor.get("/help").get_data(as_text=True)
    assert '<option value="INTL">Elsewhere / another country</option>' in page
    assert visitor.post("/help/country", {"country": "INTL"}).status_code == 302
    assert visitor.client.get_cookie(COUNTRY_COOKIE).value == "INTL"
    page = visitor.get("/help").get_data(as_text=True)
    assert "Wherever you are" in page and "We don't have a list for your country yet" in page
    help_page = page.split('<div class="help-page">', 1)[1].split("<footer", 1)[0]
    assert lines_on(help_page)[0] == "Find A Helpline"
    assert "988" not in help_page and "Crisis Text Line" not in help_page


def test_a_member_elsewhere_meets_the_directories_first_in_their_crisis_panel(signed_in, member):
    assert signed_in.post("/help/country", {"country": "INTL"}).status_code == 302
    response = signed_in.post("/posts/new", {"title": "Tonight", "body": "I am going to kill myself tonight"})
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    panel = page.split('class="crisis-panel"', 1)[1].split("</section>", 1)[0]
    assert lines_on(panel)[0] == "Find A Helpline"
    assert 'href="tel:988"' not in panel


def test_a_member_can_save_elsewhere_in_their_settings(signed_in, member):
    page = signed_in.get("/settings").get_data(as_text=True)
    assert '<option value="INTL">Elsewhere / another country</option>' in page


def test_the_composers_live_check_leads_with_the_directories_for_someone_elsewhere(signed_in, member):
    member.country = "INTL"
    db.session.commit()
    card = signed_in.client.post("/api/crisis/check", json={"text": "I am going to kill myself tonight"},
                                 headers={"X-CSRFToken": signed_in.token}).get_json()["card"]
    assert lines_on(card)[0] == "Find A Helpline" and 'href="tel:988"' not in card


def footer_of(page: str) -> str:
    return page.split('<footer class="site-footer">', 1)[1]


@pytest.mark.parametrize("country, shown, absent", [
    ("US", ('United States: call or text <a href="tel:988">988</a>',), ("116 123",)),
    ("GB", ('United Kingdom: call <a href="tel:116123">116 123</a> (Samaritans)',), ("tel:988",)),
    ("CA", ('Canada: call or text <a href="tel:988">9-8-8</a>',), ("tel:911",)),
    ("INTL", (), ("tel:",)),
])
def test_every_pages_footer_gives_the_viewers_own_first_line(visitor, country, shown, absent):
    """The footer is on every page: a member outside the US was shown only the US number there."""
    visitor.post("/help/country", {"country": country})
    for path in ("/", "/help", "/no-such-page"):
        footer = footer_of(visitor.get(path).get_data(as_text=True))
        assert "Find someone to talk to, any time" in footer and "call your local emergency number" in footer
        for words in shown:
            assert words in footer, (path, footer)
        for words in absent:
            assert words not in footer, (path, footer)


def test_a_members_saved_country_leads_their_footer(signed_in, member):
    member.country = "IE"
    db.session.commit()
    footer = footer_of(signed_in.get("/").get_data(as_text=True))
    assert "Ireland: call" in footer and "Samaritans Ireland" in footer and "tel:988" not in footer
