"""Forms for the moderators' publishing rules: watched words, and tidying hashtags."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forum.forms import VisibleRequired
from forum.services.watched import ACTION_LABELS, MESSAGE_MAX, PHRASE_MAX


class WatchedWordForm(FlaskForm):
    phrase = StringField("Word or phrase", validators=[
        VisibleRequired("Please enter a word or phrase to watch for."),
        Length(max=PHRASE_MAX, message=f"A watched phrase can be at most {PHRASE_MAX} characters."),
    ], description="Matched whole-word, in any case; the words of a phrase match across any spacing.")
    action = SelectField("When someone writes it", choices=[SelectChoice(value, label)
                                                           for value, label in ACTION_LABELS.items()])
    message = StringField("Message", validators=[Optional(), Length(max=MESSAGE_MAX)],
                          description="For block: what the member should change (they see it beside their text). "
                                      "For a content warning: its words (the phrase itself if left empty).")


class TagMergeForm(FlaskForm):
    source = StringField("Merge this tag", validators=[DataRequired("Which tag should disappear?"),
                                                        Length(max=64)])
    target = StringField("into this one", validators=[DataRequired("Which tag should its posts join?"),
                                                      Length(max=64)])


class TagRenameForm(FlaskForm):
    tag = StringField("Tag", validators=[DataRequired("Which tag?"), Length(max=64)])
    spelling = StringField("Written as", validators=[DataRequired("How should it be written?"), Length(max=64)],
                           description="Only capitals or character width may change, e.g. depression → Depression.")
