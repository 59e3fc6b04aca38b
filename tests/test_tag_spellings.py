"""A tag's display spelling follows the spelling members write most, unless moderators chose one."""
from sqlalchemy import select

from forum.extensions import db
from forum.models import Hashtag, HashtagSpelling
from forum.services.posts import edit_post
from forum.services.tag_admin import rename_tag
from tests.helpers import make_member, make_post


def shown(key: str) -> str:
    return db.session.scalars(select(Hashtag.name).where(Hashtag.key == key)).one()


def uses(key: str) -> dict[str, int]:
    rows = db.session.execute(select(HashtagSpelling.spelling, HashtagSpelling.uses).join(Hashtag)
                              .where(Hashtag.key == key))
    return dict(rows.all())


def test_the_spelling_written_most_becomes_the_one_shown(app, member, other_member):
    make_post(member, "First night", "Can't switch off. #ptsd")
    assert shown("ptsd") == "ptsd"
    make_post(other_member, "Me too", "Same here. #PTSD")
    assert shown("ptsd") == "ptsd"  # a tie keeps the spelling readers already know
    make_post(make_member("third_voice"), "Grounding", "What helps you? #PTSD")
    assert shown("ptsd") == "PTSD"
    assert uses("ptsd") == {"ptsd": 1, "PTSD": 2}


def test_a_moderators_spelling_stays_whatever_members_write(app, member, other_member, moderator):
    make_post(member, "First night", "Can't switch off. #ptsd")
    rename_tag(moderator, "ptsd", "Ptsd")
    db.session.commit()
    for number in range(3):
        make_post(make_member(f"writer_{number}"), "Tonight", "Still here. #PTSD")
    assert shown("ptsd") == "Ptsd"


def test_a_post_counts_once_for_its_tag_however_often_it_is_edited(app, member, other_member):
    make_post(other_member, "Mine", "Hello. #Anxiety")
    post = make_post(member, "Yours", "Hi. #anxiety")
    for _ in range(3):
        edit_post(post, post.title, post.body + " Still.", "")
        db.session.commit()
    assert uses("anxiety") == {"Anxiety": 1, "anxiety": 1}
    edit_post(post, post.title, "Taking the tag off.", "")
    edit_post(post, post.title, "And back again. #ANXIETY", "")
    db.session.commit()
    assert uses("anxiety") == {"Anxiety": 1, "anxiety": 1, "ANXIETY": 1}  # gained again: a use of how it's written
