"""The request's one transaction: a refused change is rolled back whole and the member is told why."""
import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField

from forum.extensions import db
from forum.models import Block
from forum.services import DomainError
from forum.web_helpers import commit_or_flash_refusal, form_status, show_refusal


class NoteForm(FlaskForm):
    class Meta:
        csrf = False

    body = StringField()
    note = StringField()


def blocks_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Block))


def test_a_change_is_committed(app, member, other_member):
    with app.test_request_context():
        assert commit_or_flash_refusal(lambda: db.session.add(Block(blocker_id=member.id,
                                                                    blocked_id=other_member.id)))
        db.session.rollback()  # nothing left to undo: it was committed
        assert blocks_stored() == 1 and get_flashed_messages() == []


def test_a_refused_change_is_rolled_back_whole_and_its_reason_flashed(app, member, other_member):
    def half_done_then_refused():
        db.session.add(Block(blocker_id=member.id, blocked_id=other_member.id))
        db.session.flush()
        raise DomainError("Not like that.")

    with app.test_request_context():
        assert not commit_or_flash_refusal(half_done_then_refused)
        assert blocks_stored() == 0 and get_flashed_messages() == ["Not like that."]


@pytest.mark.parametrize("named,shown_beside", [("note", "note"), (None, "body"), ("no_such_field", "body")])
def test_a_refusal_is_shown_beside_the_field_it_names_or_the_default(app, named, shown_beside):
    with app.test_request_context(method="POST", data={"body": "words"}):
        form = NoteForm()
        assert form.validate() and form_status(form) == 200
        show_refusal(form, DomainError("Not like that.", field=named), "body")
        assert form.errors == {shown_beside: ["Not like that."]} and form_status(form) == 422
