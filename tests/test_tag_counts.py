"""Tag counts stay exact: after any write, each tag's post_count is the number of its visible posts."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import FlagReason, Hashtag, ModerationAction, Post, Priority, ReasonKind, WatchedAction, post_hashtags
from forum.services import DomainError
from forum.services.flags import flag_content
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.moderation.undo import undo_action
from forum.services.posts import delete_post, edit_post
from forum.services.privacy import delete_account
from forum.services.tag_admin import merge_tags
from forum.services.watched import add_watched_word
from tests.helpers import make_established_member, make_post


def wrong_counts() -> dict[str, tuple[int, int]]:
    """Every tag whose stored post_count differs from a fresh count: name -> (stored, exact)."""
    db.session.expire_all()
    exact = (select(func.count()).select_from(post_hashtags.join(Post, Post.id == post_hashtags.c.post_id))
             .where(post_hashtags.c.hashtag_id == Hashtag.id, Post.status == "visible").scalar_subquery())
    rows = db.session.execute(select(Hashtag.name, Hashtag.post_count, exact)).all()
    return {name: (stored, fresh) for name, stored, fresh in rows if stored != fresh}


def counts() -> dict[str, int]:
    db.session.expire_all()
    return {name: count for name, count in db.session.execute(select(Hashtag.name, Hashtag.post_count))}


def assert_exact(**expected: int) -> None:
    assert wrong_counts() == {}
    current = counts()
    assert {name: current.get(name, 0) for name in expected} == expected


def item_for_post(post):
    item = add_reason(post, ReasonKind.FLAG.value, {"label": "Spam"}, Priority.ROUTINE)
    db.session.commit()
    return item


def act(moderator, post, action):
    item = item_for_post(post)
    record = take_action(moderator, item, item.version, action, reason="a reason")
    db.session.commit()
    return record


def test_a_new_post_counts_once_for_each_tag(member):
    make_post(member, body="Rough day. #Depression #Anxiety #depression")
    assert_exact(Depression=1, Anxiety=1)


def test_an_edit_moves_only_the_tags_it_adds_or_removes(member):
    make_post(member, body="#Depression #Sleep")
    post = make_post(member, body="#Depression #Anxiety")
    edit_post(post, post.title, "Better now. #Anxiety #Sleep #Hope")
    db.session.commit()
    assert_exact(Depression=1, Anxiety=1, Sleep=2, Hope=1)


def test_editing_a_hidden_post_moves_no_counts(member, moderator):
    post = make_post(member, body="#Depression")
    act(moderator, post, "hide")
    edit_post(post, post.title, "#Anxiety")
    db.session.commit()
    assert_exact(Depression=0, Anxiety=0)


@pytest.mark.parametrize("hidden_first", [False, True])
def test_deleting_a_post_takes_it_out_of_its_tags_counts_only_if_visible(member, moderator, hidden_first):
    make_post(member, body="#Depression")
    post = make_post(member, body="#Depression #Anxiety")
    if hidden_first:
        act(moderator, post, "hide")
    delete_post(post)
    db.session.commit()
    assert_exact(Depression=1, Anxiety=0)


@pytest.mark.parametrize("action", ["hide", "remove"])
def test_a_moderators_hide_or_remove_and_its_undo(member, moderator, action):
    post = make_post(member, body="#Depression #Anxiety")
    record = act(moderator, post, action)
    assert_exact(Depression=0, Anxiety=0)
    undo_action(moderator, db.session.get(ModerationAction, record.id))
    db.session.commit()
    assert_exact(Depression=1, Anxiety=1)


def test_approving_a_hidden_post_counts_it_again_and_undoing_the_approval_does_not(member, moderator):
    post = make_post(member, body="#Depression")
    act(moderator, post, "hide")
    approval = act(moderator, post, "approve")
    assert_exact(Depression=1)
    undo_action(moderator, db.session.get(ModerationAction, approval.id))
    db.session.commit()
    assert_exact(Depression=0)


def test_approving_a_visible_post_changes_nothing(member, moderator):
    post = make_post(member, body="#Depression")
    act(moderator, post, "approve")
    assert_exact(Depression=1)


def test_a_post_held_for_a_watched_word_counts_once_approved(member, moderator):
    add_watched_word(moderator, "fentanyl", WatchedAction.REQUIRE_APPROVAL.value)
    db.session.commit()
    post = make_post(member, body="Thinking about fentanyl. #Recovery")
    assert post.status == "pending"
    assert_exact(Recovery=0)
    act(moderator, db.session.get(Post, post.id), "approve")
    assert_exact(Recovery=1)


def test_an_edit_adding_a_held_word_takes_the_post_out_of_its_counts(member, moderator):
    add_watched_word(moderator, "fentanyl", WatchedAction.REQUIRE_APPROVAL.value)
    db.session.commit()
    post = make_post(member, body="#Recovery #Hope")
    edit_post(post, post.title, "fentanyl again. #Recovery #Sleep")
    db.session.commit()
    assert post.status == "pending"
    assert_exact(Recovery=0, Hope=0, Sleep=0)


def test_auto_hide_by_flags_takes_the_post_out_of_its_counts(member):
    post = make_post(member, body="#Depression")
    for n in range(3):
        flag_content(make_established_member(f"flagger_{n}"), post, FlagReason.SPAM, "", hide_threshold=3)
        db.session.commit()
    assert post.status == "hidden"
    assert_exact(Depression=0)


@pytest.mark.parametrize("keep_words", [False, True])
def test_deleting_an_account(member, other_member, moderator, keep_words):
    make_post(member, body="#Depression #Anxiety")
    make_post(member, body="#Depression")
    act(moderator, make_post(member, body="#Depression #Sleep"), "hide")
    make_post(other_member, body="#Depression")
    delete_account(member, keep_words_anonymously=keep_words)
    db.session.commit()
    if keep_words:
        assert_exact(Depression=3, Anxiety=1, Sleep=0)
    else:
        assert_exact(Depression=1, Anxiety=0, Sleep=0)


def test_merging_tags_moves_the_counts(member, moderator):
    make_post(member, body="#Anxeity")
    make_post(member, body="#Anxeity #Anxiety")
    make_post(member, body="#Anxiety")
    merge_tags(moderator, "Anxeity", "Anxiety")
    db.session.commit()
    assert_exact(Anxeity=0, Anxiety=3)
    make_post(member, body="#Anxeity again")  # a merged tag's name now leads to the tag it became
    assert_exact(Anxeity=0, Anxiety=4)


def test_the_recount_command_corrects_counts_that_drifted(app, member):
    make_post(member, body="#Depression #Anxiety")
    db.session.execute(update(Hashtag).where(Hashtag.key == "depression").values(post_count=7))
    db.session.commit()
    assert wrong_counts() == {"Depression": (7, 1)}
    result = app.test_cli_runner().invoke(args=["tags", "recount"])
    assert result.exit_code == 0, result.output
    assert "corrected 1 post count." in result.output
    assert_exact(Depression=1, Anxiety=1)
    again = app.test_cli_runner().invoke(args=["tags", "recount"])
    assert "corrected 0 post counts." in again.output


@pytest.mark.parametrize("seed", range(3))
def test_counts_stay_exact_through_a_random_mix_of_writes(member, other_member, moderator, seed):
    """Any sequence of writes, moderator actions and undos leaves every count exact."""
    rng = random.Random(seed)
    tags = ["Depression", "Anxiety", "Sleep", "Hope", "Recovery"]
    add_watched_word(moderator, "fentanyl", WatchedAction.REQUIRE_APPROVAL.value)
    db.session.commit()
    undoable: list[int] = []
    most_counted = 0

    def text() -> str:
        words = " ".join(f"#{tag}" for tag in rng.sample(tags, rng.randint(0, 3)))
        return f"{'fentanyl ' if rng.random() < 0.15 else ''}Some words. {words}"

    def posts() -> list[Post]:
        return db.session.scalars(select(Post).order_by(Post.id)).all()

    for step in range(40):
        existing = posts()
        choice = rng.choice(["create", "create", "edit", "delete", "moderate", "moderate", "undo"])
        if choice == "create" or not existing:
            make_post(rng.choice([member, other_member]), body=text())
        elif choice == "edit":
            post = rng.choice(existing)
            edit_post(post, post.title, text())
        elif choice == "delete":
            delete_post(rng.choice(existing))
        elif choice == "moderate":
            undoable.append(act(moderator, rng.choice(existing), rng.choice(["hide", "remove", "approve"])).id)
        elif undoable:
            record = db.session.get(ModerationAction, undoable.pop(rng.randrange(len(undoable))))
            if record.post_id is not None and db.session.get(Post, record.post_id) is not None:
                try:
                    undo_action(moderator, record)
                except DomainError:  # a later action on the post still stands, so undo changed nothing
                    db.session.rollback()
        db.session.commit()
        assert wrong_counts() == {}, f"after step {step}: {choice}"
        most_counted = max(most_counted, sum(counts().values()))
    assert most_counted > 0  # the sequence did put posts in the counts
