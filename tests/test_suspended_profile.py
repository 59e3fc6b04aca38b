"""A suspended member can read and change private settings, but not the words others read on their profile."""
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import User, utcnow

SETTINGS = {"country": "", "content_warnings": "fold"}


@pytest.fixture
def suspended(member):
    member.bio, member.pronouns = "Here for the long haul.", "they/them"
    member.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    return member


@pytest.mark.parametrize("change", [{"bio": "Something new for everyone to read"}, {"pronouns": "any"}])
def test_a_suspended_member_cannot_change_their_bio_or_pronouns(signed_in, suspended, change):
    typed = {"bio": suspended.bio, "pronouns": suspended.pronouns, **SETTINGS, **change}
    response = signed_in.post("/settings", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Your account is paused until" in page
    assert list(change.values())[0] in page, "what they typed is still in the form"
    db.session.expire_all()
    member = db.session.get(User, suspended.id)
    assert (member.bio, member.pronouns) == ("Here for the long haul.", "they/them")


def test_a_suspended_member_can_still_change_private_settings(signed_in, suspended):
    typed = {"bio": suspended.bio, "pronouns": suspended.pronouns, "country": "", "content_warnings": "open"}
    assert signed_in.post("/settings", typed).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, suspended.id).content_warnings == "open"


def test_once_the_suspension_ends_the_bio_can_change(signed_in, suspended):
    suspended.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    typed = {"bio": "Back, and gentler.", "pronouns": "they/them", **SETTINGS}
    assert signed_in.post("/settings", typed).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, suspended.id).bio == "Back, and gentler."
