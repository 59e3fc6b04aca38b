from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forum.typed_text import normalise_newlines, nothing_if_invisible


class SettingsForm(FlaskForm):
    country = SelectField("Where are you?", validators=[Optional()],
                          description="We show the crisis lines for this country first. It is never shown to anyone.")
    bio = TextAreaField("About you (optional)", filters=[normalise_newlines, nothing_if_invisible],
                        validators=[Optional(), Length(max=500, message="Up to 500 characters, please.")],
                        description="A line or two other members see on your profile. "
                                    "No need for anything identifying.")
    pronouns = StringField("Pronouns (optional)", filters=[nothing_if_invisible],
                           validators=[Optional(), Length(max=40)])
    hide_activity = BooleanField("Keep my posts, replies and followed tags off my public profile, and out of "
                                 "search's “Written by” filter")
    content_warnings = RadioField("Posts with a content warning", default="fold",
                                  choices=[SelectChoice("fold", "Keep them folded until I open them"),
                                           SelectChoice("open", "Always show them open")])


class DeleteAccountForm(FlaskForm):
    keep = RadioField("What should happen to what you wrote?", default="remove", choices=[
        SelectChoice("remove", "Delete my posts and replies along with my account"),
        SelectChoice("anonymise", "Keep them up, shown as written by “former-member”"),
    ])
    password = PasswordField("Your password, to confirm", validators=[DataRequired("Enter your password to confirm.")])
