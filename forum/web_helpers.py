"""What every area's views share, below the blueprints: the request's one transaction and a form's answer.

A view makes one change through a service and commits once; a change the forum refuses (DomainError) is
rolled back whole, and the member is told why, beside the field it concerns or as a flashed message.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_wtf import FlaskForm

from forum.extensions import db
from forum.services import DomainError


def commit_or_flash_refusal(change: Callable[[], object]) -> bool:
    """Make the change and commit it; if the forum refuses it, roll back and flash why. Return whether it
    was committed, so the view says what was done only then."""
    try:
        change()
    except DomainError as error:
        db.session.rollback()  # nothing half-done survives a refused change
        flash(error.message, "info")
        return False
    db.session.commit()
    return True


def show_refusal(form: FlaskForm, error: DomainError, default_field: str) -> None:
    """Roll back a refused change and put its message beside the field it names (or `default_field`), so
    the page is shown again with the member's input kept."""
    db.session.rollback()  # nothing half-done survives a refused change
    field = form[error.field] if error.field and error.field in form else form[default_field]
    field.errors = [*field.errors, error.message]


def form_status(form: FlaskForm) -> int:
    """The status of a page showing a form: 422 when something sent needs another look."""
    return 422 if form.errors else 200
