from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.models.post import POST_BODY_MAX, REPLY_BODY_MAX, TITLE_MAX


CONTENT_WARNINGS = ["suicide", "self-harm", "abuse", "eating disorders", "substance use", "graphic"]


class ContentWarningMixin:
    content_warning = StringField(
        "Content warning (optional)", validators=[Optional(), Length(max=100, message="Keep it short, please.")],
        description="If what you wrote could be hard for someone to read, name it here and it stays folded until "
                    "a reader opens it: e.g. " + ", ".join(CONTENT_WARNINGS) + ", or your own words.")


class PostForm(ContentWarningMixin, FlaskForm):
    title = StringField("Title", validators=[
        DataRequired("Give your post a title, even a few words."),
        Length(max=TITLE_MAX, message=f"Titles can be up to {TITLE_MAX} characters; please shorten it a little."),
    ])
    body = TextAreaField("What's on your mind?", validators=[
        DataRequired("Write a few words, however short."),
        Length(max=POST_BODY_MAX, message=f"Posts can be up to {POST_BODY_MAX:,} characters. "
                                          "Your text is all still here; you could split it into two posts."),
    ])
    tags = StringField("Hashtags (optional)", validators=[Optional(), Length(max=1000)],
                       description="Separate with spaces or commas; the # is optional. "
                                   "Hashtags in your text count too.")


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[
        DataRequired("Write a few words, however short."),
        Length(max=REPLY_BODY_MAX, message=f"Replies can be up to {REPLY_BODY_MAX:,} characters. "
                                           "Your text is all still here."),
    ])
    #: The reply being answered, if any (threads nest one level).
    parent_id = HiddenField()


class HeartForm(FlaskForm):
    """The heart button: it says which state the member wants, so a repeated submit is a no-op."""

    hearted = HiddenField(default="1")
