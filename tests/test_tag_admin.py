"""Tidying hashtags: merging one tag into another, and choosing a tag's display spelling."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Hashtag, ModerationAction, Role, TagFollow, post_hashtags
from forum.services import DomainError
from forum.services.tag_admin import merge_tags, rename_tag
from forum.services.tags import find_hashtag
from tests.helpers import Visitor, make_member, make_post


def tag(name) -> Hashtag:
    db.session.expire_all()
    return find_hashtag(name)


def link_rows(post_id) -> list[int]:
    return sorted(db.session.scalars(select(post_hashtags.c.hashtag_id).where(post_hashtags.c.post_id == post_id)))


def audit(action):
    return [entry.detail for entry in db.session.scalars(select(ModerationAction)
                                                        .where(ModerationAction.action == action))]


@pytest.fixture
def misspelt(member, other_member):
    """Two posts under a misspelling, one of them also under the right tag, and one under the right tag only."""
    only_wrong = make_post(member, title="Only misspelt", body="Restless again. #Anxeity")
    both = make_post(other_member, title="Both spellings", body="Heart racing. #Anxeity #Anxiety")
    only_right = make_post(member, title="Only right", body="Breathing helps. #Anxiety")
    return only_wrong, both, only_right


def test_merging_keeps_every_post_reachable_from_the_target_page(mod_visitor, client, misspelt):
    response = mod_visitor.post("/moderation/tags/merge", {"source": "#anxeity", "target": "Anxiety"})
    assert response.status_code == 302
    page = client.get("/tags/Anxiety").get_data(as_text=True)
    assert all(post.title in page for post in misspelt)


def test_the_old_tag_url_leads_to_the_target(app, client, moderator, misspelt):
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    # Stored post HTML still links to the spelling the member wrote.
    assert "/tags/Anxeity" in misspelt[0].body_html
    response = client.get("/tags/Anxeity")
    assert response.status_code == 301 and response.headers["Location"].endswith("/tags/Anxiety")
    assert "Only misspelt" in client.get("/tags/Anxeity", follow_redirects=True).get_data(as_text=True)


def test_a_post_carrying_both_tags_ends_with_one_link_row(app, moderator, misspelt):
    _, both, _ = misspelt
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    assert link_rows(both.id) == [tag("Anxiety").id]
    assert db.session.scalar(select(func.count()).select_from(post_hashtags)
                             .where(post_hashtags.c.hashtag_id == tag("Anxeity").id)) == 0


def test_merging_recounts_exactly(app, moderator, misspelt):
    only_wrong, _, _ = misspelt
    only_wrong.status = "pending"  # pending posts don't count
    db.session.commit()
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    assert (tag("Anxiety").post_count, tag("Anxeity").post_count) == (2, 0)
    assert tag("Anxeity").merged_into_id == tag("Anxiety").id


def test_merging_writes_an_audit_entry(app, moderator, misspelt):
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    [detail] = audit("tag_merge")
    assert (detail["from"], detail["into"], detail["posts"]) == ("Anxeity", "Anxiety", 2)
    assert detail["already_in_target"] == [misspelt[1].id]


def test_followers_of_the_old_tag_follow_the_new_one(app, moderator, member, other_member, misspelt):
    db.session.add_all([TagFollow(user_id=member.id, hashtag_id=tag("Anxeity").id, mode="follow"),
                        TagFollow(user_id=other_member.id, hashtag_id=tag("Anxeity").id, mode="follow"),
                        TagFollow(user_id=other_member.id, hashtag_id=tag("Anxiety").id, mode="mute")])
    db.session.commit()
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    follows = db.session.execute(select(TagFollow.user_id, TagFollow.hashtag_id, TagFollow.mode)).all()
    assert sorted(follows) == sorted([(member.id, tag("Anxiety").id, "follow"),
                                      (other_member.id, tag("Anxiety").id, "mute")])


def test_tags_merged_earlier_lead_straight_to_the_newest_target(app, moderator, member):
    make_post(member, body="#Anxeity #Anxity #Anxiety")
    merge_tags(moderator, "Anxity", "Anxeity")
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    assert tag("Anxity").merged_into_id == tag("Anxiety").id


@pytest.mark.parametrize("source,target,error", [
    ("Anxeity", "Anxeity", "same tag"),
    ("#nowhere", "Anxiety", "There's no tag called #nowhere"),
    ("Anxeity", "nowhere", "There's no tag called #nowhere"),
])
def test_merge_refuses_what_cannot_be_merged(app, moderator, misspelt, source, target, error):
    with pytest.raises(DomainError, match=error):
        merge_tags(moderator, source, target)


def test_a_merged_tag_cannot_be_merged_again(app, moderator, misspelt):
    merge_tags(moderator, "Anxeity", "Anxiety")
    with pytest.raises(DomainError, match="already merged into #Anxiety"):
        merge_tags(moderator, "Anxeity", "Anxiety")


def test_merging_into_a_merged_tag_reaches_the_tag_it_became(app, moderator, member, misspelt):
    make_post(member, body="#Anxius")
    merge_tags(moderator, "Anxeity", "Anxiety")
    merge_tags(moderator, "Anxius", "Anxeity")
    db.session.commit()
    assert tag("Anxius").merged_into_id == tag("Anxiety").id


def test_a_refused_merge_keeps_the_moderators_input(mod_visitor, misspelt):
    response = mod_visitor.post("/moderation/tags/merge", {"source": "Anxeity", "target": "Nowhere"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "There&#39;s no tag called #Nowhere" in page
    assert 'value="Anxeity"' in page and 'value="Nowhere"' in page
    assert audit("tag_merge") == []


def test_renaming_sets_the_display_spelling(mod_visitor, member):
    make_post(member, body="#depression")
    response = mod_visitor.post("/moderation/tags/rename", {"tag": "DEPRESSION", "spelling": "#Depression"})
    assert response.status_code == 302
    assert tag("depression").name == "Depression"
    assert audit("tag_rename") == [{"from": "depression", "to": "Depression", "tag_id": tag("depression").id,
                                    "posts": 1}]


def test_renaming_refuses_a_spelling_of_another_tag(mod_visitor, member):
    make_post(member, body="#depression")
    response = mod_visitor.post("/moderation/tags/rename", {"tag": "depression", "spelling": "Depresion"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "is a different tag from #depression" in page
    assert 'value="Depresion"' in page
    assert tag("depression").name == "depression" and audit("tag_rename") == []


@pytest.mark.parametrize("spelling,error", [("9lives", "start with a letter"), ("depression", "already written")])
def test_renaming_explains_other_refusals(app, moderator, member, spelling, error):
    make_post(member, body="#depression")
    with pytest.raises(DomainError, match=error):
        rename_tag(moderator, "depression", spelling)


def test_the_tags_page_lists_tags_and_merges(mod_visitor, moderator, misspelt):
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    page = mod_visitor.get("/moderation/tags?q=anx").get_data(as_text=True)
    assert "#Anxiety" in page and "#Anxeity" in page


TAG_ROUTES = [("get", "/moderation/tags"), ("post", "/moderation/tags/merge"), ("post", "/moderation/tags/rename")]


@pytest.mark.parametrize("role,status", [(None, 302), (Role.MEMBER, 403), (Role.MODERATOR, None),
                                         (Role.ADMIN, None)])
@pytest.mark.parametrize("method,path", TAG_ROUTES)
def test_only_moderators_and_admins_tidy_tags(app, member, method, path, role, status):
    make_post(member, body="#depression #Depresion")
    visitor = Visitor(app.test_client())
    if role is not None:
        visitor.sign_in(make_member("person_" + role.value, role).username)
    response = visitor.get(path) if method == "get" else visitor.post(
        path, {"source": "Depresion", "target": "depression", "tag": "depression", "spelling": "Depression"})
    if status is None:
        assert response.status_code in (200, 302) and "/login" not in response.headers.get("Location", "")
    else:
        assert response.status_code == status
        if role is None:
            assert "/login" in response.headers["Location"]
        assert tag("Depresion").merged_into_id is None and tag("depression").name == "depression"
        assert audit("tag_merge") == audit("tag_rename") == []


def test_a_post_written_with_a_merged_spelling_joins_the_target(app, client, moderator, member, misspelt):
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    post = make_post(member, title="Written later", body="Still #Anxeity")
    assert link_rows(post.id) == [tag("Anxiety").id]
    assert "Written later" in client.get("/tags/Anxiety").get_data(as_text=True)
