"""Post cards kept as HTML (forum/card_cache.py): a kept card is exactly what the macro would write now."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from forum import card_cache, web
from forum.card_cache import _EXTENSION
from forum.extensions import db
from forum.models import Post, PostStatus, Role, User, utcnow
from forum.services.hearts import set_heart
from forum.services.posts import create_post, edit_post
from tests.helpers import Visitor, make_member, make_post, make_reply

CARD = re.compile(r'<article class="card post-card.*?</article>', re.S)


def cards(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return CARD.findall(response.get_data(as_text=True))


@pytest.fixture
def viewers(app):
    """Posts in the states a card shows differently, and the viewers who see them differently."""
    author, helper = make_member("tidewater"), make_member("lamplighter")
    moderator = make_member("harbour_mod", Role.MODERATOR)
    make_post(author, title="Quiet harbour", body="Sitting with it. #Anxiety")
    make_post(moderator, title="A note from the team", body="We read every post. #Anxiety #Community")
    warned = create_post(helper, "Heavy night", "It was a lot. #Anxiety", content_warning="grief")
    db.session.commit()
    many = make_post(helper, title="Everything at once",
                     body=" ".join(f"#Tag{number}" for number in range(11)) + " #Anxiety")
    make_reply(author, many, "I'm here too.")
    set_heart(author, warned, True)
    held = make_post(author, title="Not sure about this one", body="Waiting. #Anxiety")
    held.status = PostStatus.PENDING.value
    db.session.commit()
    db.session.execute(update(User).where(User.id == helper.id).values(content_warnings="open"))
    db.session.commit()
    viewers = {"visitor": Visitor(app.test_client())}
    for name in ("tidewater", "lamplighter", "harbour_mod"):
        viewers[name] = Visitor(app.test_client())
        viewers[name].sign_in(name)
    return viewers


PAGES = ("/", "/tags/Anxiety", "/needs-reply", "/u/lamplighter", "/u/tidewater")


def test_kept_cards_are_what_the_macro_writes_for_every_viewer_and_page(app, viewers):
    kept = app.extensions[_EXTENSION]
    for viewer in viewers.values():
        for path in PAGES:
            cards(viewer.client, path)  # fills the cache
    assert len(kept)
    with_cache = {(name, path): cards(viewer.client, path) for name, viewer in viewers.items() for path in PAGES}
    app.extensions.pop(_EXTENSION)
    try:
        for (name, path), shown in with_cache.items():
            assert shown == cards(viewers[name].client, path), (name, path)
    finally:
        app.extensions[_EXTENSION] = kept
    seen = {card for shown in with_cache.values() for card in shown}
    # The views differ where they should: a warned post opened for lamplighter, folded for others; the held
    # post's note for its author alone.
    assert any("Content warning: grief" in card for card in seen)
    assert any("It was a lot" in card for card in cards(viewers["lamplighter"].client, "/"))
    assert any("Waiting for a moderator" in card for card in cards(viewers["tidewater"].client, "/"))
    assert not any("Waiting for a moderator" in card for card in cards(viewers["lamplighter"].client, "/"))
    assert any("+4 more" in card for card in seen)


def test_a_card_changes_with_its_post_and_with_the_clock(app, viewers):
    visitor = viewers["visitor"].client
    post = db.session.scalar(db.select(Post).where(Post.title == "Quiet harbour"))
    helper = db.session.get(User, forum_member_id("lamplighter"))

    def card() -> str:
        return next(card for card in cards(visitor, "/") if "Quiet harbour" in card)

    assert "No replies yet" in card() and "♥</span> 0<" in card()
    set_heart(helper, post, True)  # each change alone: the card must follow each one
    db.session.commit()
    assert "♥</span> 1<" in card()
    make_reply(helper, post, "Sending a lamp your way.")
    assert "1 reply" in card()
    edit_post(post, "Quiet harbour", "Sitting with it. #Anxiety #Hope")
    db.session.commit()
    assert "#Hope" in card()
    db.session.execute(update(User).where(User.id == post.author_id).values(role=Role.MODERATOR.value))
    db.session.commit()
    assert "role-badge" in card()
    # Written around the app, as a repair by hand would be: the card follows the row, not a memory of it.
    three_hours_ago = utcnow() - timedelta(hours=3)
    db.session.execute(update(Post).where(Post.id == post.id)
                       .values(created_at=three_hours_ago, last_activity_at=three_hours_ago))
    db.session.commit()
    assert "3 hours ago" in card() and "just now" not in card()


def forum_member_id(username: str) -> int:
    return db.session.scalar(db.select(User.id).where(User.username == username))


def test_the_cache_holds_at_most_its_configured_cards(app, viewers):
    app.extensions[_EXTENSION].capacity = 2
    for path in PAGES:
        cards(viewers["visitor"].client, path)
    assert len(app.extensions[_EXTENSION]) == 2


def test_a_kept_card_follows_the_clock_without_any_write(app, viewers, monkeypatch):
    visitor = viewers["visitor"].client
    first = next(card for card in cards(visitor, "/") if "Quiet harbour" in card)
    assert "just now" in first
    later = utcnow() + timedelta(hours=5)
    for module in (card_cache, web):  # the card's key and the page's filter read the same clock
        monkeypatch.setattr(module, "utcnow", lambda: later)
    aged = next(card for card in cards(visitor, "/") if "Quiet harbour" in card)
    assert "5 hours ago" in aged and "just now" not in aged
