from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Regexp, ValidationError

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


class RegisterForm(FlaskForm):
    username = StringField("Choose a username", filters=[strip_whitespace],
                           validators=[DataRequired("Choose a name to be known by."), USERNAME_RULE])
    password = PasswordField("Password", validators=[
        DataRequired("Choose a password."),
        hard_to_guess,
    ])
    confirm = PasswordField("Password again", validators=[
        DataRequired("Type the password once more."),
        EqualTo("password", message="The two passwords don't match."),
    ])


class LoginForm(FlaskForm):
    username = StringField("Username", filters=[strip_whitespace], validators=[DataRequired("Enter your username.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()
