from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo

from forum.forms import USERNAME_RULE, hard_to_guess, strip_whitespace


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
    recovery_code = BooleanField("Make me a recovery code, in case I lose my password", default=True)


class LoginForm(FlaskForm):
    username = StringField("Username", filters=[strip_whitespace], validators=[DataRequired("Enter your username.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()
