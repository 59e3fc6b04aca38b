from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from forum.models import FLAG_REASON_LABELS, FlagReason
from forum.services.flags import NOTE_MAX


class FlagForm(FlaskForm):
    reason = RadioField("What worries you about it?",
                        choices=[SelectChoice(reason.value, FLAG_REASON_LABELS[reason]) for reason in FlagReason],
                        invalid_choice_message="Choose the reason closest to what you saw.")
    note = TextAreaField("Anything the moderators should know? (optional)", validators=[
        Optional(),
        Length(max=NOTE_MAX, message=f"Notes can be up to {NOTE_MAX} characters; please shorten it a little."),
    ], description="Needed if you chose “Something else”. Only the moderators will read it.")
