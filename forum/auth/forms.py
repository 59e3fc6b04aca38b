from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_-]{3,30}$",
                       message="Use 3 to 30 letters, digits, _ or -. A pseudonym is welcome; no real name needed.")


class RegisterForm(FlaskForm):
    username = StringField("Choose a username", validators=[DataRequired("Choose a name to be known by."),
                                                            USERNAME_RULE])
    password = PasswordField("Password", validators=[
        DataRequired("Choose a password."),
        Length(min=8, max=200, message="Use at least 8 characters."),
    ])
    confirm = PasswordField("Password again", validators=[
        DataRequired("Type the password once more."),
        EqualTo("password", message="The two passwords don't match."),
    ])


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Enter your username.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()
