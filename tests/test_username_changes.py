"""A new username once every 30 days; the old one redirects, reaches its member by @mention and stays theirs for
90 days, under the registration rules."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification, PastUsername, User, utcnow
from forum.services import DomainError
from forum.services.usernames import change_username
from tests.helpers import PASSWORD, make_member, make_post


def rename(visitor, name):
    return visitor.post("/settings/username", {"username": name})


def time_passes(days: int) -> None:
    """Move every rename and every kept name `days` into the past."""
    db.session.expire_all()
    for member in db.session.scalars(select(User).where(User.username_changed_at.is_not(None))):
        member.username_changed_at -= timedelta(days=days)
    for kept in db.session.scalars(select(PastUsername)):
        kept.kept_until -= timedelta(days=days)
    db.session.commit()


def register(visitor, username):
    return visitor.post("/register", {"username": username, "password": PASSWORD, "confirm": PASSWORD})


def test_a_member_chooses_a_new_name_and_is_told_what_happens_to_the_old(signed_in, member):
    response = rename(signed_in, "  harbour_light ")
    assert response.status_code == 302
    page = signed_in.get("/settings").get_data(as_text=True)
    assert "You&#39;re harbour_light now" in page and "@river_stone still reaches you" in page
    db.session.expire_all()
    assert member.username == "harbour_light" and member.username_key == "harbour_light"


def test_old_links_redirect_to_the_new_name_for_90_days(signed_in, visitor, member):
    rename(signed_in, "harbour_light")
    response = visitor.get("/u/River_Stone")
    assert response.status_code == 302 and response.headers["Location"] == "/u/harbour_light"
    time_passes(89)
    assert visitor.get("/u/river_stone").status_code == 302
    time_passes(2)
    assert visitor.get("/u/river_stone").status_code == 404


def test_a_past_name_is_kept_from_others_for_90_days(app, signed_in, member, visitor):
    rename(signed_in, "harbour_light")
    refused = register(visitor, "river_stone")
    assert refused.status_code == 422 and "That name is taken" in refused.get_data(as_text=True)
    time_passes(91)
    assert register(visitor, "river_stone").status_code == 302


def test_a_past_name_cannot_be_taken_by_renaming_either(app, signed_in, signed_in_other, member):
    rename(signed_in, "harbour_light")
    response = rename(signed_in_other, "RIVER_STONE")
    assert response.status_code == 422 and "That name is taken" in response.get_data(as_text=True)


def test_one_change_every_30_days(signed_in, member):
    assert rename(signed_in, "harbour_light").status_code == 302
    refused = rename(signed_in, "tide_pool")
    assert refused.status_code == 422 and "once every 30 days" in refused.get_data(as_text=True)
    assert "Your next change is possible from" in signed_in.get("/settings/username").get_data(as_text=True)
    time_passes(30)
    assert rename(signed_in, "tide_pool").status_code == 302


def test_a_member_can_take_their_old_name_back(signed_in, member):
    rename(signed_in, "harbour_light")
    time_passes(31)
    assert rename(signed_in, "river_stone").status_code == 302
    kept = db.session.scalars(select(PastUsername.username_key)).all()
    assert kept == ["harbour_light"]


def test_a_change_of_letter_case_keeps_no_past_name(signed_in, member):
    assert rename(signed_in, "River_Stone").status_code == 302
    assert db.session.scalars(select(PastUsername)).all() == []


@pytest.mark.parametrize("name,message", [
    ("ab", "Use 3 to 30 letters"),
    ("has space", "Use 3 to 30 letters"),
    ("admin", "That name is taken"),
    ("former-member", "That name is taken"),
    ("MAPLEandTEA", "That name is taken"),
    ("river_stone", "That&#39;s already your name"),
])
def test_the_registration_rules_apply(signed_in, other_member, name, message):
    response = rename(signed_in, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["admin\n", "river_mod\n", "x" * 31, "emoji🙂"])
def test_the_service_refuses_what_the_form_would(app, member, name):
    with pytest.raises(DomainError):
        change_username(member, name)


def test_a_paused_member_keeps_their_name(signed_in, member):
    member.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    response = rename(signed_in, "harbour_light")
    assert response.status_code == 422 and "Your account is paused" in response.get_data(as_text=True)
    db.session.expire_all()
    assert member.username == "river_stone"


def test_mentions_of_the_old_name_still_reach_the_member(signed_in, member, other_member):
    rename(signed_in, "harbour_light")
    post = make_post(other_member, title="Thank you", body="@river_stone your words helped me today.")
    assert db.session.scalars(select(Notification.recipient_id).where(Notification.post_id == post.id)).all() \
        == [member.id]


def test_a_mention_of_an_old_name_reaches_nobody_once_it_is_free(signed_in, member, other_member):
    rename(signed_in, "harbour_light")
    time_passes(91)
    post = make_post(other_member, title="Thank you", body="@river_stone your words helped me today.")
    assert db.session.scalars(select(Notification).where(Notification.post_id == post.id)).all() == []


def test_the_settings_page_links_the_account_pages(signed_in):
    page = signed_in.get("/settings").get_data(as_text=True)
    for path in ("/settings/password", "/settings/username", "/settings/recovery-code"):
        assert f'href="{path}"' in page


def test_kept_names_are_unique_in_the_database(app, member, other_member):
    db.session.add(PastUsername(member_id=member.id, username="old_name", username_key="old_name",
                                kept_until=utcnow() + timedelta(days=90)))
    db.session.commit()
    db.session.add(PastUsername(member_id=other_member.id, username="Old_Name", username_key="old_name",
                                kept_until=utcnow() + timedelta(days=90)))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


def test_a_newcomer_registering_a_free_name_is_unaffected(visitor):
    make_member("someone_else")
    assert register(visitor, "fresh_start").status_code == 302


def test_the_data_export_lists_names_kept_for_the_member(signed_in, member):
    rename(signed_in, "harbour_light")
    exported = signed_in.get("/settings/export").get_json()
    assert exported["member"]["username"] == "harbour_light"
    assert [past["username"] for past in exported["member"]["past_usernames"]] == ["river_stone"]
