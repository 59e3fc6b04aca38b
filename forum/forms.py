"""Form pieces every area shares."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import Regexp, ValidationError

from forum.extensions import csrf
from forum.models.user import USERNAME_PATTERN
from forum.passwords import password_problem
from forum.services.accounts import USERNAME_MESSAGE

# `\Z`, not `$`: `$` also matches before a final newline, and `admin\n` looked exactly like `admin`.
USERNAME_RULE = Regexp(USERNAME_PATTERN.pattern + r"\Z", message=USERNAME_MESSAGE)


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def hard_to_guess(form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for one-click POST buttons (log out, delete, heart)."""


def form_checks_csrf(view):
    """Leave the CSRF check of a view to its own FlaskForm.

    The form validates the token itself (FlaskForm always does), so an expired token shows a
    message beside the member's text instead of a bare error page that loses what they wrote.
    """
    return csrf.exempt(view)


CSRF_EXPIRED_HINT = ("This page was open for a while, so for your safety we need you to send it once "
                     "more. Everything you wrote is still here.")
