"""A hashtag shows as the community spells it (the spelling written most, the one already shown on a tie, or the
one a moderator chose: tests/test_tag_spellings.py) wherever the site names it as a tag: the tags list, its page,
post cards and a post's chips, search results, a member's followed tags, and the treatment guides' filter and
pages. Only the words members wrote keep their own spelling (a body's `#worklife` stays as typed, in the post and
its excerpt)."""
import re

import pytest

from forum.extensions import db
from forum.guides.loader import LIBRARY_DIR, load_library
from forum.models import Hashtag
from forum.services.following import set_tag_mode
from tests.helpers import make_member, make_post

#: The guides write it #WorkLife; here the community wrote #Worklife first, then others wrote it their way.
COMMUNITY_SPELLING = "Worklife"
TAG_LABEL = re.compile(r'<(a|span) class="(?:tag|unused-tag)"[^>]*>#(\w+)</\1>|<h1>#(\w+)</h1>')


@pytest.fixture
def spelt(app, member):
    make_post(make_member("first_to_say_it"), "Monday again", f"Back at my desk. #{COMMUNITY_SPELLING}")
    typed_in_the_field = make_post(member, "Commute", "The commute is where I think.", tags="WORKLIFE")
    in_the_text = make_post(member, "Deadlines", "Deadlines make my chest tight #worklife")
    set_tag_mode(member, db.session.query(Hashtag).filter_by(key="worklife").one(), "follow")
    db.session.commit()
    guide = next(guide for guide in load_library(LIBRARY_DIR) if "WorkLife" in guide.tags)
    return {"post": typed_in_the_field.id, "in_text": in_the_text.id, "guide": guide.slug}


@pytest.mark.parametrize("place", ["/tags", "/tags/WORKLIFE", "/tags/worklife", "/", "post", "/search?q=commute",
                                   "/search?q=worklife", "/my-tags", "profile", "/guides",
                                   "/guides?tag=worklife", "guide"])
def test_a_tag_shows_as_the_community_spells_it(signed_in, member, spelt, place):
    path = {"post": f"/posts/{spelt['post']}", "guide": f"/guides/{spelt['guide']}",
            "profile": f"/u/{member.username}"}.get(place, place)
    page = signed_in.get(path).get_data(as_text=True)
    labels = [a or h1 for _, a, h1 in TAG_LABEL.findall(page)]
    ours = [label for label in labels if label.casefold() == COMMUNITY_SPELLING.casefold()]
    assert ours, f"{path} names the tag nowhere: {labels}"
    assert set(ours) == {COMMUNITY_SPELLING}, path


def test_a_moderators_chosen_spelling_shows_in_the_guides_filter(signed_in, mod_visitor, spelt):
    mod_visitor.post("/moderation/tags/rename", {"tag": "worklife", "spelling": "WORKLIFE"})
    page = signed_in.get("/guides").get_data(as_text=True)
    assert ">#WORKLIFE</a>" in page
    assert ">#Worklife</a>" not in page and ">#WorkLife</a>" not in page


def test_the_members_own_words_keep_their_spelling(client, spelt):
    page = client.get(f"/posts/{spelt['in_text']}").get_data(as_text=True)
    assert 'class="hashtag">#worklife</a>' in page  # a link to the tag, in the words the member typed
