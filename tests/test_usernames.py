"""Nobody can pose as someone else by name: the whole name follows the rule, in the form, the service and the
database, and staff are marked as staff wherever their name stands."""
import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from forum.extensions import db
from forum.models import Role, User
from forum.services import DomainError
from forum.services.accounts import register_member
from tests.helpers import PASSWORD, make_member, make_post, make_reply


def register(visitor, username):
    return visitor.post("/register", {"username": username, "password": PASSWORD, "confirm": PASSWORD})


def usernames() -> list[str]:
    return list(db.session.scalars(select(User.username).order_by(User.id)))


@pytest.mark.parametrize("look_alike", ["admin\n", "former-member\n", "Admin \n"])
def test_a_trailing_newline_does_not_slip_a_kept_name_through(visitor, look_alike):
    page = register(visitor, look_alike).get_data(as_text=True)
    assert "That name is taken" in page
    assert usernames() == []


def test_a_trailing_newline_cannot_copy_a_members_name(visitor, moderator):
    assert "That name is taken" in register(visitor, "river_mod\n").get_data(as_text=True)
    assert usernames() == ["river_mod"]


def test_surrounding_whitespace_is_stripped_from_a_new_name(visitor):
    assert register(visitor, "  river_stones\n").status_code == 302
    assert usernames() == ["river_stones"]


@pytest.mark.parametrize("username", ["river\nstones", "river\tstones", "river stones", "river\u200bstones"])
def test_whitespace_and_control_characters_inside_a_name_are_refused(visitor, username):
    assert "Use 3 to 30 letters" in register(visitor, username).get_data(as_text=True)
    assert usernames() == []


@pytest.mark.parametrize("username", ["admin\n", "river_stones\n", "ab", "has space", "é_accent"])
def test_the_service_refuses_a_name_outside_the_rule(app, username):
    with pytest.raises(DomainError, match="Use 3 to 30 letters"):
        register_member(username, PASSWORD)


@pytest.mark.parametrize("username", ["river_stones\n", "river stones", "ab", "x" * 31, "déjà_vu", "tab\there"])
def test_the_database_refuses_a_name_outside_the_rule(app, username):
    db.session.add(User(username=username, password=PASSWORD))
    with pytest.raises((IntegrityError, DataError)):  # PostgreSQL's VARCHAR(30) refuses a long name first
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_key_that_is_not_the_name_folded(app):
    member = User(username="river_stones", password=PASSWORD)
    member.username_key = "someone_else"
    db.session.add(member)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_data_export_names_its_file_safely(visitor):
    register(visitor, "river_stones\n")
    response = visitor.get("/settings/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="kindred-river_stones.json"'


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_staff_bylines_carry_their_role(client, member, role):
    staff = make_member("river_keeper", role)
    post = make_post(staff, title="Welcome, everyone")
    members_post = make_post(member, title="First time here")
    make_reply(staff, members_post)
    badge = f'<span class="role-badge">{role.value}</span>'
    post_page = client.get(f"/posts/{post.id}").get_data(as_text=True)
    assert badge in post_page
    assert badge in client.get("/").get_data(as_text=True)  # the feed's card
    assert badge in client.get(f"/posts/{members_post.id}").get_data(as_text=True)  # a reply's byline


def test_a_look_alike_member_carries_no_badge(client, moderator):
    look_alike = make_member("river_mod_")
    post = make_post(look_alike, title="Moderator notice")
    assert "role-badge" not in client.get(f"/posts/{post.id}").get_data(as_text=True)


# The revision before the database enforced the rule: names registered then may break it.
BEFORE_RULE = "3c9d1e7a5b20"


def test_upgrading_renames_names_that_break_the_rule(app):
    db.session.remove()
    downgrade(revision=BEFORE_RULE)
    rows = [("river_mod", "river_mod"), ("river_mod\n", "river_mod\n"), ("admin\n", "admin\n"),
            (" quiet harbor ", " quiet harbor "), ("a\n", "a\n"), ("Fine_Name", "fine_name")]
    with db.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO users (id, username, username_key, password_hash, role, joined_at, bio, country, "
            "pronouns, hide_activity, content_warnings, muted_notifications) VALUES "
            "(:id, :username, :key, 'x', 'member', '2026-01-01 00:00:00', '', '', '', false, 'fold', '[]')"),
            [{"id": n, "username": name, "key": key} for n, (name, key) in enumerate(rows, start=1)])
    upgrade()
    with db.engine.connect() as connection:
        renamed = connection.execute(sa.text("SELECT username, username_key FROM users ORDER BY id")).all()
    assert [tuple(row) for row in renamed] == [
        ("river_mod", "river_mod"), ("river_mod_2", "river_mod_2"), ("admin_2", "admin_2"),
        ("quietharbor", "quietharbor"), ("a_member", "a_member"), ("Fine_Name", "fine_name")]
