"""The moderation log speaks in words: what happened, on which post or reply by title, by whom and why."""
import re
from html import unescape

import pytest

from forum.extensions import db
from forum.models import Priority, ReasonKind
from forum.services.moderation.actions import hide_automatically, take_action
from forum.services.moderation.audit import LOG_NAMES, log_name
from forum.services.moderation.queue import add_reason
from forum.services.watched import add_watched_word
from tests.helpers import make_post, make_reply


def visible_text(response) -> str:
    """What a reader sees: the page without its tags, attributes and option values."""
    body = response.get_data(as_text=True).split("<main", 1)[1]
    body = re.sub(r"</?(a|span|time|strong|em|q)\b[^>]*>", "", body)  # inline: part of the sentence around it
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def logged(app, member, other_member, moderator):
    """A log with a hide on a post, an automatic hide on a reply, and a watched word added."""
    post = make_post(member, title="A hard week at work")
    item = add_reason(post, ReasonKind.FLAG.value, {"reason": "spam", "label": "Spam"}, Priority.ROUTINE)
    reply = make_reply(other_member, post, "Buy things at my shop.")
    take_action(moderator, item, item.version, "hide", reason="A link to a shop")
    reply_item = add_reason(reply, ReasonKind.FLAG.value, {"reason": "spam", "label": "Spam"}, Priority.ROUTINE)
    hide_automatically(reply_item, reply, reason="flagged by 3 members", note="", notice="Hidden for now.", detail={})
    add_watched_word(moderator, "miracle cure", "require_approval")
    db.session.commit()
    return item


def test_every_action_has_a_human_name():
    from forum.services.moderation.actions import ACTION_LABELS, AUTOMATIC_ACTIONS, OTHER_LOGGED_ACTIONS
    for action in {*ACTION_LABELS, *AUTOMATIC_ACTIONS, *OTHER_LOGGED_ACTIONS}:
        assert action in LOG_NAMES and "_" not in log_name(action)


def test_the_log_names_actions_in_words_not_internal_keys(mod_visitor, logged):
    text = visible_text(mod_visitor.get("/moderation/log"))
    assert "Hidden automatically after several flags" in text and "Watched word added" in text and "Hidden " in text
    for internal in ("auto_hide", "watched_word_add", "require_approval"):
        assert internal not in text


def test_the_log_shows_what_was_acted_on_by_its_title(mod_visitor, logged, member):
    response = mod_visitor.get("/moderation/log")
    text = visible_text(response)
    assert f"The post “A hard week at work”, by {member.username}" in text
    assert "A reply on “A hard week at work”, by MapleAndTea" in text
    assert "“miracle cure”" in text and "Why: A link to a shop" in text
    assert not re.search(r"\bitem \d", text)
    assert f'href="/moderation/items/{logged.id}"' in response.get_data(as_text=True)


def test_the_action_filter_lists_human_names_and_still_filters(mod_visitor, logged):
    response = mod_visitor.get("/moderation/log?action=auto_hide")
    page = response.get_data(as_text=True)
    assert '<option value="auto_hide" selected>Hidden automatically after several flags</option>' in page
    text = visible_text(response)
    assert "Kindred (automatic)" in text and "Watched word added" not in text.rsplit("Filter ", 1)[1]


def test_every_moderation_page_shows_the_same_four_tabs(mod_visitor):
    for path, current in (("/moderation/", "Queue"), ("/moderation/log", "Log"), ("/moderation/words", "Watched words"),
                          ("/moderation/tags", "Hashtags")):
        page = mod_visitor.get(path).get_data(as_text=True)
        tabs = re.search(r'<nav class="tabs" aria-label="Moderation">(.*?)</nav>', page, re.S).group(1)
        assert re.findall(r">([A-Z][\w ]+?)(?: \(\d+\))?</a>", tabs) == ["Queue", "Log", "Health", "Watched words",
                                                                            "Hashtags"]
        assert re.search(rf'aria-current="page">{current}', tabs)


def test_the_queue_names_each_reason_in_words(mod_visitor, member):
    make_post(member, title="Tonight", body="I want to die and I think tonight is the night.")
    flagged = make_post(member, title="Shop", body="Buy things. #Anxiety")
    add_reason(flagged, ReasonKind.WATCHED_WORD.value, {"phrase": "buy things"}, Priority.ROUTINE)
    db.session.commit()
    text = visible_text(mod_visitor.get("/moderation/"))
    assert "Crisis detector:" in text and "Watched word: “buy things”" in text
    assert "watched word:" not in text and "crisis:" not in text
