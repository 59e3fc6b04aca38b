from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forum.forms import USERNAME_RULE, hard_to_guess, strip_whitespace


def new_password_fields():
    """The new password, typed twice, held to the same rule as at registration."""
    return (
        PasswordField("New password", validators=[DataRequired("Choose a new password."), hard_to_guess]),
        PasswordField("New password again", validators=[
            DataRequired("Type the new password once more."),
            EqualTo("new_password", message="The two passwords don't match."),
        ]),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Your current password",
                                     validators=[DataRequired("Enter your current password.")])
    new_password, confirm = new_password_fields()


class ChangeUsernameForm(FlaskForm):
    username = StringField("New username", filters=[strip_whitespace],
                           validators=[DataRequired("Choose a name to be known by."), USERNAME_RULE])


class CreateRecoveryCodeForm(FlaskForm):
    password = PasswordField("Your password, to confirm", validators=[DataRequired("Enter your password.")])


class RecoverAccountForm(FlaskForm):
    username = StringField("Username", filters=[strip_whitespace],
                           validators=[DataRequired("Enter your username."), Length(max=100)])
    code = StringField("Recovery code", filters=[strip_whitespace],
                       validators=[DataRequired("Enter your recovery code."), Length(max=100)])
    new_password, confirm = new_password_fields()
