from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional


class SettingsForm(FlaskForm):
    country = SelectField("Where are you?", validators=[Optional()],
                          description="We show the crisis lines for this country first. It is never shown to anyone.")
    bio = TextAreaField("About you (optional)", validators=[Optional(), Length(max=500, message="Up to 500 characters, please.")],
                        description="A line or two other members see on your profile. No need for anything identifying.")
