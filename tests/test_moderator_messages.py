"""A message from the moderators is hard to miss: a banner on every page until it is read, pinned above the
notifications, and its mention of the help page is a link to it."""
import re

from forum.extensions import db
from forum.models import Priority, ReasonKind
from forum.services.hearts import set_heart
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from tests.helpers import make_post

BANNER = re.compile(r'<p class="moderator-banner">.*?</p>', re.S)


def write_to(author, moderator, message_key="crisis_lines"):
    post = make_post(author, title="A long night", body="Words for the moderators to read. #Anxiety")
    item = add_reason(post, ReasonKind.FLAG.value, {"reason": "at_risk"}, Priority.AT_RISK_FLAG)
    take_action(moderator, item, item.version, "message", message_key=message_key)
    db.session.commit()
    return post


def test_every_page_shows_the_banner_until_the_message_is_read(signed_in, member, moderator):
    assert not BANNER.search(signed_in.get("/").get_data(as_text=True))
    write_to(member, moderator)
    for path in ("/", "/tags", "/help", "/notifications"):
        banner = BANNER.search(signed_in.get(path).get_data(as_text=True))
        assert banner and 'href="/notices"' in banner.group(0), path
    assert not BANNER.search(signed_in.get("/notices").get_data(as_text=True)), "not on the messages page itself"
    assert not BANNER.search(signed_in.get("/").get_data(as_text=True)), "gone once read"


def test_nobody_else_sees_the_banner(signed_in_other, member, moderator, client):
    write_to(member, moderator)
    assert not BANNER.search(signed_in_other.get("/").get_data(as_text=True))
    assert not BANNER.search(client.get("/").get_data(as_text=True))


def test_the_message_is_pinned_above_newer_notifications(signed_in, member, other_member, moderator):
    post = write_to(member, moderator)
    set_heart(other_member, post, True)
    db.session.commit()
    page = signed_in.get("/notifications").get_data(as_text=True)
    assert page.index("From the moderators") < page.index('id="new-heading"')
    assert "We&#39;re worried about you" in page.split('id="new-heading"')[0]
    signed_in.get("/notices")
    assert "From the moderators" not in signed_in.get("/notifications").get_data(as_text=True)


def test_the_help_page_in_a_message_is_a_link(signed_in, member, moderator):
    write_to(member, moderator)
    page = signed_in.get("/notices").get_data(as_text=True)
    assert 'help page (<a href="/help">/help</a>)' in page
