"""Notifications: replies, mentions, hearts, followed tags and moderators' messages; grouping, blocks, hidden
content, settings, the unread count and mark-as-read, and a page whose queries don't grow with its lines."""
import re

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Notification, Role, WatchedAction
from forum.services.blocks import block
from forum.services.following import set_tag_mode
from forum.services.hearts import set_heart
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import item_for
from forum.services.notifications import reading, set_muted_kinds
from forum.services.notifications.sending import MAX_MENTIONS, mentioned_keys
from forum.services.tags import hashtags_named
from forum.services.watched import add_watched_word
from tests.helpers import count_queries, make_member, make_post, make_reply

UNREAD_BADGE = re.compile(r'Notifications <span class="badge" aria-label="(\d+) unread">')


def notifications_page(visitor) -> str:
    """The page's main content, where the lines are."""
    return visitor.get("/notifications").get_data(as_text=True).split('<main', 1)[1]


def unread_badge(visitor) -> int:
    match = UNREAD_BADGE.search(visitor.get("/tags").get_data(as_text=True))
    return int(match.group(1)) if match else 0


def stored(**where) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).filter_by(**where))


def follow(member, name, mode="follow"):
    set_tag_mode(member, hashtags_named([name])[0], mode)
    db.session.commit()


def moderator_acts(content, action, moderator=None, **fields):
    moderator = moderator or make_member("kind_mod", Role.MODERATOR)
    item = item_for(content)
    db.session.flush()
    take_action(moderator, item, item.version, action, **fields)
    db.session.commit()


def hearts_from(names, target):
    for name in names:
        set_heart(make_member(name), target, True)
    db.session.commit()


# --- Finding mentions: pure, no app ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,keys", [
    ("Thank you @river_stone", ["river_stone"]),
    ("@MapleAndTea and @mapleandtea, again", ["mapleandtea"]),
    ("(@sam_the-1st), @ab, @sam.", ["sam_the-1st", "sam"]),              # @ab is too short to be a name
    ("write to sam@example.org", []),
    ("see example.com/@river_stone", []),
    ("in code: `@river_stone` and\n\n```\n@maple\n```\n", []),
    ("    @indented_code", []),
])
def test_mentioned_keys(text, keys):
    assert mentioned_keys(text) == keys


def test_mentions_stop_at_the_limit():
    text = " ".join(f"@member_{n}" for n in range(MAX_MENTIONS + 5))
    assert len(mentioned_keys(text)) == MAX_MENTIONS


# --- Each kind ---------------------------------------------------------------------------------------------------

def test_a_reply_to_my_post_appears(signed_in, member, other_member):
    post = make_post(member, title="Rough night")
    reply = make_reply(other_member, post)
    page = notifications_page(signed_in)
    assert "MapleAndTea replied to your post “Rough night”" in page
    assert f'href="/posts/{post.id}/replies/{reply.id}"' in page


def test_an_answer_to_my_reply_tells_me_and_the_post_author_once_each(signed_in, member, other_member):
    author = make_member("first_voice")
    post = make_post(author, title="Hello")
    mine = make_reply(member, post)
    make_reply(other_member, post, "Same here.", parent=mine)
    assert "MapleAndTea answered your reply on “Hello”" in notifications_page(signed_in)
    assert stored(recipient_id=author.id, kind="reply") == 2 and stored(recipient_id=member.id) == 1


def test_answering_my_own_post_notifies_nobody(member):
    make_reply(member, make_post(member))
    assert stored() == 0


def test_a_mention_appears_whatever_the_letter_case(signed_in, member, other_member):
    post = make_post(other_member, title="Thank you all", body="Especially @RIVER_STONE, for listening.")
    page = notifications_page(signed_in)
    assert "MapleAndTea mentioned you in “Thank you all”" in page and f'href="/posts/{post.id}"' in page


def test_a_mention_in_a_reply_links_to_the_reply(signed_in, member, other_member):
    post = make_post(make_member("first_voice"), title="Hello")
    reply = make_reply(other_member, post, "@river_stone knows this feeling.")
    page = notifications_page(signed_in)
    assert "mentioned you in a reply on “Hello”" in page and f"/posts/{post.id}/replies/{reply.id}" in page


def test_mentions_skip_the_author_and_names_nobody_has(member):
    make_post(member, body="Note to self, @river_stone: and hello @nobody_here.")
    assert stored() == 0


def test_a_mentioned_post_author_hears_about_the_reply_once(member, other_member):
    make_reply(other_member, make_post(member), "@river_stone I hear you.")
    assert stored(recipient_id=member.id) == 1 and stored(kind="mention") == 0


def test_a_heart_appears(signed_in, member, other_member):
    post = make_post(member, title="Small win")
    set_heart(other_member, post, True)
    db.session.commit()
    assert "MapleAndTea sent a heart for your post “Small win”" in notifications_page(signed_in)


def test_hearts_on_one_post_are_one_line_naming_the_newest(signed_in, member):
    post = make_post(member, title="Small win")
    hearts_from(["sam_a", "sam_b", "sam_c"], post)
    page = notifications_page(signed_in)
    assert "sam_c and 2 others sent hearts for your post “Small win”" in page and page.count("sent hearts") == 1


def test_two_hearts_name_both(signed_in, member, other_member):
    reply = make_reply(member, make_post(other_member, title="Hello"))
    hearts_from(["sam_a", "sam_b"], reply)
    assert "sam_b and sam_a sent hearts for your reply on “Hello”" in notifications_page(signed_in)


def test_a_heart_taken_back_and_sent_again_notifies_once(signed_in_other, member):
    post = make_post(member)
    for hearted in ("1", "0", "1", "0", "1"):
        signed_in_other.post(f"/posts/{post.id}/heart", {"hearted": hearted})
    assert stored(kind="heart") == 1


def test_new_posts_in_a_followed_tag_are_one_line(signed_in, member):
    follow(member, "Anxiety")
    for name in ("sam_a", "sam_b", "sam_c"):
        make_post(make_member(name), body="Racing thoughts again. #Anxiety")
    page = notifications_page(signed_in)
    assert "3 new posts in #Anxiety" in page and 'href="/tags/Anxiety"' in page


def test_one_post_in_a_followed_tag_is_named(signed_in, member, other_member):
    follow(member, "Anxiety")
    make_post(other_member, title="Racing thoughts", body="Again tonight. #Anxiety")
    assert "A new post in #Anxiety: “Racing thoughts”" in notifications_page(signed_in)


def test_a_post_in_several_followed_tags_notifies_once_and_never_its_author(member, other_member):
    follow(member, "Anxiety"), follow(member, "Depression"), follow(other_member, "Anxiety")
    make_post(other_member, body="Both, lately. #Anxiety #Depression")
    assert stored(recipient_id=member.id, kind="tag_post") == 1 and stored(recipient_id=other_member.id) == 0


def test_a_post_carrying_a_muted_tag_is_not_announced(member, other_member):
    follow(member, "Anxiety"), follow(member, "Grief", mode="mute")
    make_post(other_member, body="Missing her. #Anxiety #Grief")
    assert stored() == 0


def test_a_moderators_action_links_to_the_message_and_not_the_content(signed_in, member):
    moderator_acts(make_post(member, title="Words to review"), "hide", reason="Personal details")
    page = notifications_page(signed_in)
    assert "A moderator wrote to you about your post" in page and 'href="/notices"' in page
    assert "Words to review" not in page


def test_reading_the_moderators_message_clears_its_notification(signed_in, member):
    moderator_acts(make_post(member), "warn", reason="Please be gentle")
    assert unread_badge(signed_in) == 1
    signed_in.get("/notices")
    assert unread_badge(signed_in) == 0 and "A moderator wrote to you" in notifications_page(signed_in)


# --- Blocks, hidden content, held content ----------------------------------------------------------------------

def test_nothing_reaches_me_from_someone_i_blocked(signed_in, member, other_member):
    block(member, other_member)
    follow(member, "Anxiety")
    make_post(other_member, body="@river_stone this is for you. #Anxiety")
    assert stored() == 0


def test_nothing_reaches_someone_i_blocked(member, other_member):
    block(member, other_member)
    db.session.commit()
    make_post(member, body="Thinking of @MapleAndTea today.")
    make_reply(member, make_post(other_member))
    assert stored() == 0


def test_a_mention_on_a_post_whose_author_i_blocked_does_not_reach_me(member, other_member):
    post = make_post(other_member)
    third = make_member("third_voice")
    make_reply(third, post, "Thinking of @river_stone too.")
    assert stored(recipient_id=member.id) == 1
    block(member, other_member)
    db.session.commit()
    make_reply(third, post, "And @river_stone again.")
    assert stored(recipient_id=member.id) == 1


def test_blocking_later_takes_their_lines_away(signed_in, member, other_member):
    make_reply(other_member, make_post(member))
    assert unread_badge(signed_in) == 1
    signed_in.post(f"/u/{other_member.username}/block")
    assert "MapleAndTea replied" not in notifications_page(signed_in) and unread_badge(signed_in) == 0


@pytest.mark.parametrize("status", ["hidden", "pending", "removed"])
def test_a_line_disappears_when_its_post_is_hidden(signed_in, member, other_member, status):
    post = make_post(other_member, title="About you", body="Thanks, @river_stone.")
    assert "About you" in notifications_page(signed_in)
    post.status = status
    db.session.commit()
    assert "About you" not in notifications_page(signed_in) and unread_badge(signed_in) == 0


def test_a_line_disappears_when_its_reply_is_hidden(signed_in, member, other_member):
    post = make_post(member, title="Rough night")
    reply = make_reply(other_member, post)
    reply.status = "hidden"
    db.session.commit()
    assert "Rough night" not in notifications_page(signed_in)


def test_a_held_reply_notifies_nobody_until_approved(signed_in, member, other_member):
    moderator = make_member("kind_mod", Role.MODERATOR)
    add_watched_word(moderator, "pills", WatchedAction.REQUIRE_APPROVAL.value)
    db.session.commit()
    reply = make_reply(other_member, make_post(member), "I counted the pills, @river_stone.")
    assert reply.status == "pending" and stored(recipient_id=member.id) == 0
    moderator_acts(reply, "approve", moderator)
    assert stored(recipient_id=member.id, kind="reply") == 1
    assert "MapleAndTea replied to your post" in notifications_page(signed_in)


# --- Settings ------------------------------------------------------------------------------------------------------

def test_settings_turn_kinds_off_and_they_are_never_created(signed_in, member, other_member):
    response = signed_in.post("/notifications/settings", {"mention": "y", "tag_post": "y"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.muted_notifications == ["reply", "heart"]
    post = make_post(member)
    make_reply(other_member, post)
    set_heart(other_member, post, True)
    make_post(other_member, body="Hi @river_stone")
    assert stored(recipient_id=member.id, kind="reply") == 0 and stored(recipient_id=member.id, kind="heart") == 0
    assert stored(recipient_id=member.id, kind="mention") == 1


def test_settings_page_shows_the_choices_and_why_moderation_stays_on(signed_in, member):
    set_muted_kinds(member, ["heart"])
    db.session.commit()
    page = signed_in.get("/notifications/settings").get_data(as_text=True)
    assert 'id="heart" name="heart" type="checkbox" value="y">' in page
    assert 'checked id="reply"' in page and "always stays on" in page


def test_moderators_messages_arrive_with_everything_turned_off(member):
    set_muted_kinds(member, ["reply", "mention", "heart", "tag_post", "moderation"])
    db.session.commit()
    assert member.muted_notifications == ["reply", "mention", "heart", "tag_post"]
    moderator_acts(make_post(member), "warn", reason="Please be gentle")
    assert stored(recipient_id=member.id, kind="moderation") == 1


# --- Unread count and mark-as-read ---------------------------------------------------------------------------------

def test_nav_counts_unread_lines_and_opening_the_page_reads_the_lines_it_shows(signed_in, member, other_member):
    post = make_post(member)
    hearts_from(["sam_a", "sam_b"], post)
    make_reply(other_member, post)
    assert unread_badge(signed_in) == 2  # two hearts are one line
    page = notifications_page(signed_in)
    assert page.index('id="new-heading"') < page.index("MapleAndTea replied"), "new on the visit that shows them"
    assert unread_badge(signed_in) == 0
    assert "Earlier" in notifications_page(signed_in)


def test_a_line_arriving_after_the_page_was_shown_stays_unread(signed_in, member, other_member):
    post = make_post(member)
    make_reply(other_member, post)
    notifications_page(signed_in)
    hearts_from(["sam_a"], post)
    assert unread_badge(signed_in) == 1


def test_mark_all_read_clears_the_badge_and_keeps_lines_under_earlier(signed_in, member, other_member):
    make_reply(other_member, make_post(member))
    page = notifications_page(signed_in)
    up_to = re.search(r'name="up_to" type="hidden" value="(\d+)"', page).group(1)
    assert signed_in.post("/notifications/read", {"up_to": up_to}).status_code == 302
    page = notifications_page(signed_in)
    assert unread_badge(signed_in) == 0 and "Earlier" in page and "MapleAndTea replied" in page
    assert "Mark all as read" not in page


def test_mark_read_leaves_what_arrived_after_the_page_was_shown(signed_in, member, other_member):
    post = make_post(member)
    make_reply(other_member, post)
    shown = db.session.scalar(select(func.max(Notification.id)))
    hearts_from(["sam_a"], post)
    signed_in.post("/notifications/read", {"up_to": str(shown)})
    assert unread_badge(signed_in) == 1


def test_mark_read_needs_the_csrf_token(signed_in, member, other_member):
    make_reply(other_member, make_post(member))
    assert signed_in.client.post("/notifications/read").status_code == 400
    assert unread_badge(signed_in) == 1


def test_notifications_are_for_signed_in_members(client):
    assert client.get("/notifications").status_code == 302
    assert client.get("/notifications/settings").status_code == 302


def test_the_page_runs_the_same_queries_for_5_or_30_lines(signed_in, member):
    voices = [make_member(name) for name in ("sam_a", "sam_b", "sam_c")]

    def queries_with(lines: int) -> int:
        while db.session.scalar(select(func.count(func.distinct(Notification.group_key)))) < lines:
            post = make_post(member)
            for voice in voices[:2]:
                make_reply(voice, post)
            set_heart(voices[2], post, True)
            db.session.commit()
        with count_queries(db.engine) as statements:
            assert signed_in.get("/notifications").status_code == 200
        return len(statements)

    assert queries_with(5) == queries_with(30)


# --- more lines than a page holds ---------------------------------------------------------------------------------

MORE_THAN_A_PAGE = 55
OLDER_LINK = re.compile(r'<a href="(/notifications\?after=[^"]+)" rel="next">Older notifications</a>')


@pytest.fixture
def many_mentions(member, other_member):
    """MapleAndTea mentions the member in 55 replies: 55 unread lines, more than the page's 50."""
    post = make_post(other_member, title="Roll call", body="Who's around tonight?")
    return [make_reply(other_member, post, f"@{member.username} are you up? ({i})") for i in range(MORE_THAN_A_PAGE)]


def test_opening_the_page_reads_only_the_lines_it_shows_and_the_older_ones_are_on_the_next_page(
        signed_in, many_mentions):
    first = notifications_page(signed_in)
    assert first.count("mentioned you") == 50
    assert unread_badge(signed_in) == MORE_THAN_A_PAGE - 50  # the five oldest still wait
    older = signed_in.get(OLDER_LINK.search(first).group(1).replace("&amp;", "&")).get_data(as_text=True)
    new_part = older.split('id="new-heading"', 1)[1].split("Mark all as read", 1)[0]
    assert new_part.count("mentioned you") == MORE_THAN_A_PAGE - 50
    assert unread_badge(signed_in) == 0


def test_the_older_page_repeats_no_line_the_first_page_showed(signed_in, many_mentions):
    first = notifications_page(signed_in)
    older = signed_in.get(OLDER_LINK.search(first).group(1).replace("&amp;", "&")).get_data(as_text=True)
    shown_first = set(re.findall(r"/replies/(\d+)", first))
    shown_older = re.findall(r"/replies/(\d+)", older)
    assert len(shown_first) == 50 and len(shown_older) == MORE_THAN_A_PAGE - 50
    assert not shown_first & set(shown_older), "lines the first page read come back under Earlier"
    assert "Earlier" not in older


def test_mark_all_as_read_still_reads_the_lines_on_later_pages(signed_in, many_mentions):
    page = notifications_page(signed_in)
    up_to = re.search(r'name="up_to" type="hidden" value="(\d+)"', page).group(1)
    signed_in.post("/notifications/read", {"up_to": up_to})
    assert unread_badge(signed_in) == 0


def test_a_page_cursor_we_did_not_make_is_a_bad_request(signed_in):
    assert signed_in.get("/notifications?after=not-ours").status_code == 400


def test_a_line_whose_notifications_are_older_than_a_busy_one_still_shows(member, other_member, monkeypatch):
    """The page looks for its lines among the newest unread notifications; one long line filling that look
    must not hide an older line below it."""
    monkeypatch.setattr(reading, "WALK_ROWS_PER_LINE", 1)
    make_reply(other_member, make_post(member, title="Older one"))
    busy = make_post(member, title="Busy one")
    for name in ("sam_a", "sam_b", "sam_c"):
        make_reply(make_member(name), busy)
    db.session.commit()
    lines = reading.lines_for(member, limit=2)
    assert [(line.kind, line.post_title, line.count) for line in lines] == [
        ("reply", "Busy one", 3), ("reply", "Older one", 1)]


def test_the_badge_and_the_page_walk_unread_notifications_by_their_own_index(app):
    """Member's unread, newest first, on both databases (a partial index; PostgreSQL also holds the group key)."""
    index = {found["name"]: found for found in sa.inspect(db.engine).get_indexes("notifications")}
    newest = index["ix_notifications_unread_newest"]
    assert newest["column_names"][:3] == ["recipient_id", "created_at", "id"]
    where = newest["dialect_options"].get(f"{db.engine.dialect.name}_where")
    assert "read_at IS NULL" in str(where)
