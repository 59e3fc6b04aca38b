"""Crisis detection in the forum: the author sees help at once, moderators get the item, readers get guidance."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModerationItem, ModerationReason, Post, Priority, Reply, utcnow
from tests.helpers import Visitor, make_member, make_post, make_reply

CRISIS_TEXT = "I can't keep going. I want to die and I think tonight is the night."
CONCERN_TEXT = "Honestly, what's the point of any of it. I'm so tired of feeling like this."
CALM_TEXT = "Therapy went well today and I walked by the sea. #Depression #Suicide #PTSD #Recovery"
CRISIS_REPLY = "Same. This is my last post, goodbye everyone."
PANEL = "You're not alone. You can talk to someone right now."
CONCERN_CARD = "That sounds really hard"
CARE_NOTE = "Worried about this member?"
HELP_ANCHOR = "help-for-you"
WAITING_LINE = "is waiting to hear from someone"
GUIDANCE = "Replying with care"
USUAL_WAIT = "usually get a first reply"


def write_post(visitor, body, title="This week"):
    return visitor.post("/posts/new", {"title": title, "body": body})


def items() -> list[ModerationItem]:
    return list(db.session.scalars(select(ModerationItem)))


def landing(visitor, response) -> str:
    """The page a redirect leads to, as the browser gets it (the fragment stays in the browser)."""
    return visitor.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)


def answered_posts(body="Long week. #Depression", count=3):
    """Enough answered posts from others that the usual wait for a first reply is known."""
    for n in range(count):
        post = make_post(make_member(f"earlier_{n}"), title="earlier", body=body)
        make_reply(make_member(f"answerer_{n}"), post)
        post = db.session.get(Post, post.id)
        post.created_at = utcnow() - timedelta(days=1)
        post.first_response_at = post.created_at + timedelta(minutes=30)
    db.session.commit()


def test_crisis_post_goes_up_and_its_author_sees_help_at_once(signed_in):
    response = write_post(signed_in, CRISIS_TEXT)
    assert response.status_code == 302
    post = db.session.scalars(select(Post)).one()
    assert post.status == "visible" and post.crisis_level == "crisis" and "suicide" in post.crisis_categories
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert PANEL in page and 'href="tel:988"' in page
    assert "Your words are up" in page
    assert CARE_NOTE not in page


def test_nobody_else_sees_the_authors_panel(client, signed_in_other, member):
    post = make_post(member, body=CRISIS_TEXT)
    for reader in (client, signed_in_other):
        page = reader.get(f"/posts/{post.id}").get_data(as_text=True)
        assert PANEL not in page and HELP_ANCHOR not in page
        assert f"river_stone {WAITING_LINE}" in page
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)
    assert CARE_NOTE in page and GUIDANCE in page


#: Wording that would tell a reader the detector fired, or that moderators were alerted about this post.
VERDICT_WORDS = ("let know", "have been told", "alerted", "moderators have been", "detector", "flagged automatically")


def test_a_visitor_who_is_not_signed_in_learns_nothing_of_the_detectors_verdict(client, member):
    """What the detector thought is about the author's health: a public page must read the same either way."""
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert CARE_NOTE not in page and GUIDANCE not in page and 'class="care-note"' not in page
    assert not [words for words in VERDICT_WORDS if words in page.lower()]


@pytest.mark.parametrize("body", [CRISIS_TEXT, CONCERN_TEXT], ids=["crisis", "concern"])
def test_care_guidance_for_other_members_never_says_a_detector_fired(signed_in_other, member, body):
    post = make_post(member, body=body)
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True).lower()
    assert CARE_NOTE.lower() in page or GUIDANCE.lower() in page
    assert not [words for words in VERDICT_WORDS if words in page]


@pytest.mark.parametrize("body,heading", [(CRISIS_TEXT, PANEL), (CONCERN_TEXT, CONCERN_CARD)],
                         ids=["crisis", "concern"])
def test_a_post_that_signals_distress_lands_its_author_on_the_help(signed_in, body, heading):
    response = write_post(signed_in, body)
    assert response.headers["Location"].endswith(f"#{HELP_ANCHOR}")
    assert f'<h2 id="{HELP_ANCHOR}" tabindex="-1">{heading}' in landing(signed_in, response)


@pytest.mark.parametrize("body,heading", [(CRISIS_REPLY, PANEL), (CONCERN_TEXT, CONCERN_CARD)],
                         ids=["crisis", "concern"])
def test_a_reply_that_signals_distress_lands_its_author_on_the_help_then_offers_their_reply(
        signed_in_other, member, body, heading):
    post = make_post(member, body="Rough week, anyone else?")
    for n in range(3):  # the help must not be left thousands of pixels above the reply
        make_reply(make_member(f"earlier_voice_{n}"), post, "I hear you. " * 40)
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": body})
    assert response.headers["Location"].endswith(f"#{HELP_ANCHOR}")
    page = landing(signed_in_other, response)
    reply = db.session.scalars(select(Reply).where(Reply.body == body)).one()
    assert f'<h2 id="{HELP_ANCHOR}" tabindex="-1">{heading}' in page, "the anchor is the help's heading"
    between = page.split(f'id="{HELP_ANCHOR}"', 1)[1].split('id="post"', 1)[0]
    assert f'href="#reply-{reply.id}"' in between, "after the help, a way to the reply they wrote"


def test_an_everyday_reply_still_lands_on_itself(signed_in_other, member):
    post = make_post(member, body="Rough week, anyone else?")
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": "I hear you. Sending strength."})
    reply = db.session.scalars(select(Reply)).one()
    assert response.headers["Location"].endswith(f"#reply-{reply.id}")
    assert HELP_ANCHOR not in landing(signed_in_other, response)


def test_the_author_of_a_crisis_post_is_spoken_to_not_about(signed_in):
    answered_posts()
    response = write_post(signed_in, CRISIS_TEXT + " #Depression")
    page = landing(signed_in, response)
    assert PANEL in page
    assert WAITING_LINE not in page, "the waiting line is for other readers"
    assert GUIDANCE not in page, "the guidance is for people replying to someone in crisis"
    assert USUAL_WAIT not in page, "a wait estimate is no answer to someone in crisis"


def test_a_crisis_replier_is_not_given_guidance_about_their_own_words(app, signed_in_other, member):
    post = make_post(member, body="Rough week, anyone else?")
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": CRISIS_REPLY})
    assert GUIDANCE not in landing(signed_in_other, response)
    reader = Visitor(app.test_client())
    reader.sign_in(make_member("third_voice").username)
    assert GUIDANCE in reader.get(f"/posts/{post.id}").get_data(as_text=True)


def test_a_post_without_hashtags_never_shows_a_usual_wait(signed_in, signed_in_other):
    answered_posts(body="Long week, no tags here.")
    response = write_post(signed_in, "Rough day at work, nothing more to say.")
    assert USUAL_WAIT not in landing(signed_in, response)
    assert USUAL_WAIT not in signed_in_other.get(response.headers["Location"]).get_data(as_text=True)


def test_a_calm_post_with_hashtags_still_shows_its_author_the_usual_wait(signed_in):
    answered_posts()
    response = write_post(signed_in, "Rough day at work. #Depression")
    assert USUAL_WAIT in landing(signed_in, response)


def test_the_help_comes_before_the_post_is_up_message(signed_in):
    page = landing(signed_in, write_post(signed_in, CRISIS_TEXT))
    assert page.index(f'id="{HELP_ANCHOR}"') < page.index("Your post is up") < page.index('id="post"')
    assert page.count("Your post is up") == 1


def test_the_help_comes_before_the_reply_is_up_message(signed_in_other, member):
    post = make_post(member, body="Rough week, anyone else?")
    page = landing(signed_in_other, signed_in_other.post(f"/posts/{post.id}/replies", {"body": CRISIS_REPLY}))
    assert page.index(f'id="{HELP_ANCHOR}"') < page.index("Your reply is up") < page.index('id="post"')
    assert page.count("Your reply is up") == 1


def test_crisis_post_opens_a_top_priority_moderation_item_with_its_reasons(app, member):
    post = make_post(member, body=CRISIS_TEXT)
    item = db.session.scalars(select(ModerationItem)).one()
    assert item.post_id == post.id and item.status == "open" and item.priority == Priority.CRISIS
    reason = item.reasons[0]
    assert reason.kind == "crisis" and reason.detail["level"] == "crisis"
    phrases = [m["phrase"] for m in reason.detail["matches"]]
    assert phrases, "the moderator must be able to see why"
    text = f"{post.title}\n\n{post.body}"
    for match in post.crisis_matches:
        assert text[match["start"]:match["end"]]


def test_concern_gets_a_gentler_card_and_a_lower_priority(signed_in, member):
    response = write_post(signed_in, CONCERN_TEXT)
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "That sounds really hard" in page and PANEL not in page
    assert items()[0].priority == Priority.CONCERN


TENTATIVE_CARD = "However today is going, support is here if you want it."


def test_help_only_the_model_asked_for_offers_itself_without_saying_it_heard_pain(signed_in):
    # Most help cards the model alone asks for are on posts that are not distress, so that card offers
    # help and does not presume; where the lexicon heard distress, the card says so.
    response = write_post(signed_in, "I cried all day again.", title="Today")
    page = landing(signed_in, response)
    assert TENTATIVE_CARD in page and CONCERN_CARD not in page
    assert items() == []  # and nothing reaches the moderators
    response = write_post(signed_in, CONCERN_TEXT)
    page = landing(signed_in, response)
    assert CONCERN_CARD in page and TENTATIVE_CARD not in page
    draft = signed_in.client.post("/api/crisis/check", json={"text": "I cried all day again."},
                                  headers={"X-CSRFToken": signed_in.token}).get_json()
    assert TENTATIVE_CARD in draft["card"]


def test_everyday_post_with_heavy_hashtags_raises_nothing(signed_in):
    response = write_post(signed_in, CALM_TEXT)
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert PANEL not in page and "That sounds really hard" not in page
    assert items() == []


def test_crisis_reply_shows_its_author_the_panel_and_queues_the_reply(signed_in_other, member):
    post = make_post(member, body="Rough week, anyone else?")
    response = signed_in_other.post(f"/posts/{post.id}/replies",
                                    {"body": "Same. This is my last post, goodbye everyone."})
    page = signed_in_other.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert PANEL in page
    reply = db.session.scalars(select(Reply)).one()
    assert reply.crisis_level == "crisis"
    assert items()[0].reply_id == reply.id


def test_repliers_see_guidance_beside_the_reply_box(signed_in_other, member):
    post = make_post(member, body=CONCERN_TEXT)
    page = signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)
    assert "Replying with care" in page


@pytest.mark.parametrize("text", [
    "I took way too many of my pills an hour ago and I feel really strange.",
    "My chest is tight and I can't feel my hands after what I took, I think I messed up badly.",
])
def test_overdose_leads_with_poison_help(signed_in, text):
    response = write_post(signed_in, text)
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    panel = page.split('class="crisis-panel"', 1)[1].split("</section>", 1)[0]
    lead = panel.split("<details>", 1)[0]
    assert "Poison" in lead


def test_members_country_decides_the_lines(signed_in, member):
    member = db.session.get(type(member), member.id)
    member.country = "GB"
    db.session.commit()
    response = write_post(signed_in, CRISIS_TEXT)
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    lead = page.split('class="crisis-panel"', 1)[1].split("<details>", 1)[0]
    assert "116 123" in lead and "988" not in lead


def test_editing_into_crisis_opens_an_item_and_a_calm_edit_adds_nothing(signed_in, member):
    post = make_post(member, body="Just a normal day.")
    assert items() == []
    signed_in.post(f"/posts/{post.id}/edit", {"title": "Tonight", "body": CRISIS_TEXT})
    assert len(items()) == 1
    signed_in.post(f"/posts/{post.id}/edit", {"title": "Tonight", "body": CRISIS_TEXT + " Sorry for the typo."})
    assert db.session.scalar(select(func.count()).select_from(ModerationReason)) == 1


def test_api_check_answers_members_with_the_card_and_stores_nothing(signed_in):
    token = signed_in.token
    response = signed_in.client.post("/api/crisis/check", json={"text": CRISIS_TEXT},
                                     headers={"X-CSRFToken": token})
    data = response.get_json()
    assert response.status_code == 200
    assert data["level"] == "crisis" and "suicide" in data["categories"] and data["matches"]
    assert "tel:988" in data["card"] and "You can still post" in data["card"]
    assert items() == [] and db.session.scalar(select(func.count()).select_from(Post)) == 0


def test_api_check_returns_no_card_for_everyday_text(signed_in):
    response = signed_in.client.post("/api/crisis/check", json={"text": CALM_TEXT},
                                     headers={"X-CSRFToken": signed_in.token})
    assert response.get_json()["level"] == "none" and response.get_json()["card"] == ""


def test_api_check_reads_a_reply_draft_as_a_reply(signed_in, member):
    # Short words of the writer's own are a reach for help in a post and usually an answer in a reply.
    short = "I cried all day again."
    as_post = signed_in.client.post("/api/crisis/check", json={"text": short},
                                    headers={"X-CSRFToken": signed_in.token}).get_json()
    as_reply = signed_in.client.post("/api/crisis/check", json={"text": short, "kind": "reply"},
                                     headers={"X-CSRFToken": signed_in.token}).get_json()
    assert as_post["level"] == "concern" and as_post["card"]
    assert as_reply["level"] == "none" and as_reply["card"] == ""
    post = make_post(member)
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert 'data-crisis-kind="reply"' in page  # the reply composer says what it is writing


def test_api_check_refuses_anonymous_visitors(visitor):
    response = visitor.client.post("/api/crisis/check", json={"text": CRISIS_TEXT},
                                   headers={"X-CSRFToken": visitor.token})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == 401


@pytest.mark.parametrize("payload,status", [({}, 400), ({"text": 5}, 400), ({"text": "x" * 30_000}, 413)])
def test_api_check_explains_bad_requests_in_json(signed_in, payload, status):
    response = signed_in.client.post("/api/crisis/check", json=payload, headers={"X-CSRFToken": signed_in.token})
    assert response.status_code == status and response.get_json()["error"]["code"] == status


def test_api_check_needs_the_csrf_header(signed_in):
    response = signed_in.client.post("/api/crisis/check", json={"text": CRISIS_TEXT})
    assert response.status_code == 400 and "error" in response.get_json()


def test_composer_offers_the_live_check(signed_in):
    page = signed_in.get("/posts/new").get_data(as_text=True)
    assert 'data-crisis-check="/api/crisis/check"' in page and "data-crisis-slot" in page


def test_cli_check_prints_the_assessment(app):
    result = app.test_cli_runner().invoke(args=["crisis", "check", CRISIS_TEXT])
    assert result.exit_code == 0 and "level: crisis" in result.output and "suicide" in result.output
    assert "lexicon: crisis" in result.output
    score_line = next(line for line in result.output.splitlines() if line.startswith("model: "))
    assert 0 <= float(score_line.split()[1]) <= 1
    assert "'tonight is' +" in result.output  # one of the words that weighed most, with its weight


# No word of the lexicon's: only the model hears this one.
MODEL_ONLY_TEXT = ("Nothing is ever going to change and I have stopped trying. "
                   "I am so tired of being here and tonight I just want it to be over.")


def test_a_crisis_only_the_model_hears_reaches_a_moderator_with_its_words(app, member, mod_visitor):
    post = make_post(member, body=MODEL_ONLY_TEXT)
    assert post.crisis_level == "crisis" and post.crisis_matches == []
    item = db.session.scalars(select(ModerationItem)).one()
    assert item.priority == Priority.CRISIS
    model = item.reasons[0].detail["model"]
    assert model["score"] >= 0.5 and model["words"]
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "the model's score" in page
    for word, _weight in model["words"]:
        assert f"“{word}”" in page


def test_the_moderator_sees_the_lexicon_phrases_and_the_model_words_together(app, member, mod_visitor):
    make_post(member, body=CRISIS_TEXT)
    item = db.session.scalars(select(ModerationItem)).one()
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "matched “" in page and "words weighing most: “" in page


# Despair told of someone else: the model alone scores it as high as the writer's own (voice.py).
ABOUT_SOMEONE_ELSE = ("He told me he feels hopeless, worthless and tired of everything, and that he doesn't want to "
                      "be here anymore. I don't know how to help him.")


def test_a_post_about_someone_else_reaches_a_moderator_without_the_top_alarm(app, member, mod_visitor):
    post = make_post(member, body=ABOUT_SOMEONE_ELSE)
    assert post.crisis_level == "concern"
    item = db.session.scalars(select(ModerationItem)).one()
    assert item.priority != Priority.CRISIS
    assert item.reasons[0].detail["about_others"] is True
    page = mod_visitor.get(f"/moderation/items/{item.id}").get_data(as_text=True)
    assert "written mostly to or about someone else" in page


def test_the_model_alone_on_someone_else_still_reaches_a_moderator():
    from forum.crisis.combined import Assessment
    from forum.crisis.detector import Level as Lvl
    from forum.services.safety import reaches_moderators

    quiet = Assessment(level=Lvl.CONCERN, lexicon_level=Lvl.NONE)
    assert not reaches_moderators(quiet)  # a private help card
    assert reaches_moderators(Assessment(level=Lvl.CONCERN, lexicon_level=Lvl.NONE, about_others=True))


def test_cli_check_reads_a_reply_as_a_reply(app):
    post = app.test_cli_runner().invoke(args=["crisis", "check", "I cried all day again."])
    reply = app.test_cli_runner().invoke(args=["crisis", "check", "--reply", "I cried all day again."])
    assert "level: concern" in post.output and "level: none" in reply.output


def test_cli_check_says_when_a_post_is_about_someone_else(app):
    result = app.test_cli_runner().invoke(args=["crisis", "check", ABOUT_SOMEONE_ELSE])
    assert result.exit_code == 0 and "level: concern" in result.output
    assert "voice: the writer's own share of its pronouns is 0.33" in result.output
    plain = app.test_cli_runner().invoke(args=["crisis", "check", CRISIS_TEXT])
    assert "voice:" not in plain.output


def test_a_pronoun_less_reply_of_support_is_answered_to_its_post(app, member, other_member):
    support = "Please don't give up, reach out to the hotline tonight."
    result = app.test_cli_runner().invoke(args=["crisis", "check", "--reply", support])
    assert "level: concern" in result.output
    assert "voice: a reply with no personal pronoun is spoken to the person it answers" in result.output
    # In the forum: no top-priority alarm and no crisis panel for the one offering support, yet a moderator
    # still sees it, at normal priority.
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    reply = make_reply(other_member, post, support)
    assert reply.crisis_level == "concern"
    item = db.session.scalars(select(ModerationItem).where(ModerationItem.reply_id == reply.id)).one()
    assert item.priority == Priority.CONCERN


LOW_WEEK = ("Another bad week. I cried most of the night and could not sleep again. I feel so lonely and "
            "I do not know how much longer I can keep pretending I am fine at work.")


def test_a_help_card_from_the_model_alone_opens_no_moderation_item(app, member):
    post = make_post(member, body=LOW_WEEK)
    assert post.crisis_level == "concern" and not post.crisis_matches
    assert items() == []


@pytest.mark.parametrize("reply", ["Thinking of you.", "Me too.", "That sounds so hard, I am sorry.",
                                   "I feel the same way."])
def test_a_short_supportive_reply_sends_its_author_to_no_help_panel(signed_in, member, reply):
    post = make_post(member)
    response = signed_in.post(f"/posts/{post.id}/replies", {"body": reply})
    assert f"#{HELP_ANCHOR}" not in response.headers["Location"]


def test_cli_scan_opens_items_for_older_content(app, member):
    post = make_post(member, body="Nothing to see")
    reply = make_reply(make_member("third_voice"), post, "fine")
    # Written before the lexicon knew these phrases: store the text without an assessment.
    post.body, reply.body = CRISIS_TEXT, "Goodbye everyone, this is my last post."
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["crisis", "scan"])
    assert result.exit_code == 0, result.output
    assert "2 crisis" in result.output and "Newly opened moderation items: 2" in result.output
    again = app.test_cli_runner().invoke(args=["crisis", "scan", "--since", "2000-01-01"])
    assert "Newly opened moderation items: 0" in again.output


def test_settings_offer_countries(signed_in):
    page = signed_in.get("/settings").get_data(as_text=True)
    assert 'value="GB"' in page
    assert signed_in.post("/settings", {"country": "AU", "bio": "tea and long walks"}).status_code == 302
    assert "13 11 14" in signed_in.get("/help").get_data(as_text=True).split("Anywhere in the world")[0]


def test_help_page_lists_988_and_a_directory(client):
    page = client.get("/help").get_data(as_text=True)
    assert 'href="tel:988"' in page and "findahelpline" in page.lower()
    assert "press 3" not in page.lower()


#: Comfort that the model alone reads as concern (no phrase of the lexicon's): a worried replier's words.
COMFORT_THE_MODEL_HEARS = "I am so sorry you are hurting. Please don't give up, please reach out to 988 right now."


def test_the_author_of_a_crisis_post_is_not_given_repliers_guidance_when_a_reply_reads_as_distress(
        signed_in, member, other_member):
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    reply = make_reply(other_member, post, body=COMFORT_THE_MODEL_HEARS)
    assert reply.crisis_level == "concern", "the reply this test is about must read as distress"
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert PANEL in page
    assert GUIDANCE not in page, "advice on answering someone in crisis is no help to the person in it"


THANK_LINE = "you haven't answered or hearted yet"


def test_the_author_of_a_crisis_post_is_not_asked_to_thank_their_repliers(signed_in, member, other_member):
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    make_reply(other_member, post, body="I'm here. I read every word.")
    page = signed_in.get(f"/posts/{post.id}").get_data(as_text=True)
    assert PANEL in page
    assert THANK_LINE not in page and "Thank everyone" not in page


def test_the_author_of_a_calm_post_is_still_offered_thank_everyone(signed_in, member, other_member):
    post = make_post(member, title="Small win", body="I went for a walk today.")
    make_reply(other_member, post, body="That's great to hear.")
    assert THANK_LINE in signed_in.get(f"/posts/{post.id}").get_data(as_text=True)


def the_card(page: str) -> str:
    """Which of the author's concern cards the page shows."""
    assert (TENTATIVE_CARD in page) != (CONCERN_CARD in page), "exactly one card"
    return "tentative" if TENTATIVE_CARD in page else "heard pain"


def test_a_reply_only_the_model_heard_gets_the_same_card_on_every_page_of_a_long_conversation(
        app, signed_in_other, member, other_member):
    post = make_post(member, title="Three weeks in", body="Rough week, anyone else?")
    make_reply(other_member, post, body=COMFORT_THE_MODEL_HEARS)
    url = f"/posts/{post.id}"
    assert the_card(signed_in_other.get(url).get_data(as_text=True)) == "tentative"
    # Past one page of replies, care reads the whole conversation's signal rows instead of the replies.
    for n in range(3):
        make_reply(make_member(f"voice_{n}"), post, body="Thinking of you.")
    app.config["REPLIES_PER_PAGE"] = 2
    assert the_card(signed_in_other.get(url).get_data(as_text=True)) == "tentative"


def test_a_reply_the_lexicon_heard_still_gets_the_card_that_says_so_in_a_long_conversation(
        app, signed_in_other, member, other_member):
    post = make_post(member, title="Three weeks in", body="Rough week, anyone else?")
    make_reply(other_member, post, body=CONCERN_TEXT)
    for n in range(3):
        make_reply(make_member(f"voice_{n}"), post, body="Thinking of you.")
    app.config["REPLIES_PER_PAGE"] = 2
    assert the_card(signed_in_other.get(f"/posts/{post.id}").get_data(as_text=True)) == "heard pain"


# --- a form sent back keeps the help its words brought ----------------------------------------------------------

REFUSED_CRISIS_BODY = "I am going to kill myself tonight"
UNSENT_FOOTNOTE = "Your words are still here, not sent yet"


def help_comes_before_the_form(page: str) -> bool:
    return PANEL in page and 'href="tel:988"' in page and page.index(PANEL) < page.index('method="post" novalidate')


def test_a_post_sent_back_for_its_title_still_shows_the_help_its_words_brought(signed_in):
    response = write_post(signed_in, REFUSED_CRISIS_BODY, title="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Give your post a title, even a few words." in page
    assert help_comes_before_the_form(page) and UNSENT_FOOTNOTE in page
    assert REFUSED_CRISIS_BODY in page, "their words stay in the form"
    assert db.session.scalars(select(Post)).all() == [] and items() == [], "nothing stored or queued"


def test_a_calm_post_sent_back_shows_no_help_panel(signed_in):
    page = write_post(signed_in, "Made soup, watched the rain.", title="").get_data(as_text=True)
    assert PANEL not in page and CONCERN_CARD not in page and TENTATIVE_CARD not in page


def test_an_edit_sent_back_still_shows_the_help_its_words_brought(signed_in, member):
    post = make_post(member, title="Small win", body="I went for a walk today.")
    form = signed_in.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    assert PANEL not in form
    based_on = re.search(r'name="based_on"[^>]*value="([^"]*)"', form).group(1)
    response = signed_in.post(f"/posts/{post.id}/edit", {"title": "", "body": REFUSED_CRISIS_BODY,
                                                         "based_on": based_on})
    assert response.status_code == 422 and help_comes_before_the_form(response.get_data(as_text=True))
    assert items() == []


def test_a_reply_edit_sent_back_still_shows_the_help_its_words_brought(signed_in_other, member, other_member):
    reply = make_reply(other_member, make_post(member), body="Sending strength.")
    form = signed_in_other.get(f"/replies/{reply.id}/edit").get_data(as_text=True)
    based_on = re.search(r'name="based_on"[^>]*value="([^"]*)"', form).group(1)
    too_long = CRISIS_REPLY + " " + "x" * 10_000
    response = signed_in_other.post(f"/replies/{reply.id}/edit", {"body": too_long, "based_on": based_on})
    assert response.status_code == 422 and help_comes_before_the_form(response.get_data(as_text=True))


def test_a_reply_sent_back_still_shows_the_help_its_words_brought_first(signed_in_other, member):
    post = make_post(member, body="Rough week, anyone else?")
    response = signed_in_other.post(f"/posts/{post.id}/replies", {"body": CRISIS_REPLY + " " + "x" * 10_000})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and UNSENT_FOOTNOTE in page
    assert page.index(PANEL) < page.index('id="post"')
    assert db.session.scalars(select(Reply)).all() == [] and items() == []
