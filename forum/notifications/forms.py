from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import Optional, Regexp


class MarkReadForm(FlaskForm):
    #: The newest notification the member was shown; one that arrives while the page is open stays unread.
    up_to = HiddenField(validators=[Optional(), Regexp(r"^\d{1,18}$")])


class NotificationSettingsForm(FlaskForm):
    """One checkbox per kind a member may turn off; checked means "tell me"."""

    reply = BooleanField("Someone replies to my post or to my reply")
    mention = BooleanField("Someone mentions me with @")
    heart = BooleanField("Someone sends a heart")
    tag_post = BooleanField("There's a new post in a tag I follow")
