from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from forum.services.moderation.messages import SUPPORT_MESSAGES
from forum.services.moderation.welfare import WELFARE_MESSAGES
from forum.typed_text import normalise_newlines, nothing_if_invisible


class ActionForm(FlaskForm):
    """Every moderator action posts this; fields an action doesn't use are ignored."""

    action = HiddenField()
    version = HiddenField()
    reason = TextAreaField("Reason (the author will see it)", filters=[normalise_newlines, nothing_if_invisible],
                           validators=[Optional(), Length(max=1000)])
    warning_text = StringField("Content warning", filters=[nothing_if_invisible],
                               validators=[Optional(), Length(max=100)])
    message_key = SelectField("Message", choices=[SelectChoice(key, m.label) for key, m in SUPPORT_MESSAGES.items()],
                              validators=[Optional()])
    suspend_days = IntegerField("Days", validators=[Optional(), NumberRange(min=1, max=365)], default=3)


class VerdictForm(FlaskForm):
    """Was the writer in danger?  The answer comes from the button pressed (forum.services.moderation.verdicts)."""

    verdict = HiddenField()


class WelfareMessageForm(FlaskForm):
    """One of the supportive messages, sent from a welfare check (the words it was about are gone)."""

    #: No default: a message is sent only when one was chosen (the queue offers the crisis lines first).
    message_key = SelectField("Message", choices=[SelectChoice(key, m.label) for key, m in WELFARE_MESSAGES.items()])
