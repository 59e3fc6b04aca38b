"""A hashtag typed in the text and again in the tags field shows once on the post: the chips under it carry
only the tags its body doesn't already link."""
import re

from tests.helpers import make_post


def chips_on(visitor, post) -> list[str]:
    page = visitor.get(f"/posts/{post.id}").get_data(as_text=True)
    chips = re.search(r'<ul class="tags" aria-label="Hashtags">(.*?)</ul>', page, re.S)
    return re.findall(r'class="tag"[^>]*>#(\w+)</a>', chips.group(1)) if chips else []


def test_a_tag_linked_in_the_body_is_not_repeated_as_a_chip(client, member):
    post = make_post(member, title="Sleepless", body="Another long night. #anxiety", tags="#Anxiety #Sleep")
    assert chips_on(client, post) == ["Sleep"]
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert len(re.findall(r">#anxiety</a>", page, re.I)) == 1


def test_tags_named_only_in_the_title_or_the_field_stay_as_chips(client, member):
    post = make_post(member, title="A #Recovery milestone", body="Thirty days today.", tags="#Sobriety")
    assert sorted(chips_on(client, post)) == ["Recovery", "Sobriety"]


def test_a_hashtag_inside_code_is_not_a_link_so_it_stays_a_chip(client, member):
    post = make_post(member, title="Notes", body="I typed `#Grief` by mistake.", tags="#Grief")
    assert chips_on(client, post) == ["Grief"]
