"""The guide pages: /guides and its tag filter, one page per guide, the guides panel on tag pages."""
from __future__ import annotations

import re

import pytest

from forum.guides.loader import LIBRARY_DIR, load_library
from tests.helpers import make_post

GUIDES = list(load_library(LIBRARY_DIR))


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
def test_every_guide_renders_at_its_address_with_the_disclaimer_and_help(client, guide):
    main = main_of(page(client, f"/guides/{guide.slug}"))
    assert f"<h1>{guide.title}</h1>" in main.replace("&#39;", "'")
    assert "not medical advice" in main
    assert 'href="/help"' in main
    assert f'datetime="{guide.last_reviewed.isoformat()}"' in main
    for source in guide.sources:
        assert f'href="{source.url}"' in main
    if "| ---" in guide.body:  # a comparison table survives the renderer and its sanitiser
        assert "<table>" in main and "<th>" in main and "<td>" in main
    # Strict CSP: the rendered guide brings no inline style or script with it.
    assert " style=" not in main and "<script" not in main


def test_an_unknown_guide_gets_the_sites_404_page(client):
    html = page(client, "/guides/no-such-guide", 404).replace("&#39;", "'")
    assert "We couldn't find that page" in html and 'href="/help"' in html


def test_the_index_lists_every_guide_with_its_summary(client):
    main = main_of(page(client, "/guides")).replace("&#39;", "'")
    for guide in GUIDES:
        assert f'href="/guides/{guide.slug}"' in main and guide.summary in main


def test_the_index_filters_by_tag_whatever_its_case(client):
    main = main_of(page(client, "/guides?tag=caregiving"))
    listed = set(re.findall(r'<h2><a href="/guides/([a-z0-9-]+)"', main))
    assert listed == {guide.slug for guide in GUIDES if guide.has_tag("Caregiving")} != set()


@pytest.mark.parametrize("tag", ["NoGuideHasThis", "not a tag", "x" * 5000, "%23x"])
def test_a_tag_no_guide_carries_gets_a_calm_empty_list(client, tag):
    main = main_of(page(client, f"/guides?tag={tag}"))
    assert "No guide is tagged" in main and 'href="/guides"' in main
    assert not re.search(r'<h2><a href="/guides/', main)


def test_a_tag_page_shows_the_guides_carrying_that_tag(client, member):
    make_post(member, "Week two of my programme", "Groups every evening. #Caregiving")
    main = main_of(page(client, "/tags/caregiving"))
    for guide in GUIDES:
        assert (f'href="/guides/{guide.slug}"' in main) is guide.has_tag("Caregiving")


def test_a_tag_with_many_guides_shows_a_few_and_links_to_the_rest(client, member):
    carrying = [guide for guide in GUIDES if guide.has_tag("Addiction")]
    assert len(carrying) > 3
    make_post(member, "Day thirty", "A month in and still here. #Addiction")
    panel = page(client, "/tags/Addiction").split('class="guide-panel"', 1)[1].split("</aside>", 1)[0]
    assert len(re.findall(r'href="/guides/[a-z0-9-]+"', panel)) == 3
    assert f'href="/guides?tag=Addiction">{len(carrying) - 3} more guides on #Addiction</a>' in panel


def test_a_tag_page_without_guides_has_no_guides_panel(client, member):
    make_post(member, "A poem", "Words for a grey day. #Poetry")
    assert "guide-panel" not in page(client, "/tags/Poetry")


def test_a_guide_links_to_its_tags_community_pages(client, member):
    guide = next(guide for guide in GUIDES if guide.has_tag("Addiction"))
    make_post(member, "Day thirty", "A month in and still here. #addiction")
    community = page(client, f"/guides/{guide.slug}").split('class="guide-community"', 1)[1].split("</aside>")[0]
    assert 'href="/tags/addiction"' in community  # the tag's page, spelled as the community spelled it
    assert "Talk to people who've been there" in page(client, f"/guides/{guide.slug}").replace("&#39;", "'")
    # A tag nobody has used yet has no page to link to, and says so instead of linking to a 404.
    unused = [tag for tag in guide.tags if tag.casefold() != "addiction"]
    for tag in unused:
        assert f'href="/tags/{tag}"' not in community and f"#{tag}" in community


def test_every_page_has_a_guides_link_in_the_navigation(client):
    nav = page(client, "/help").split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/guides"' in nav
    assert 'aria-current="page">Guides' in page(client, "/guides").split("</nav>", 1)[0]
