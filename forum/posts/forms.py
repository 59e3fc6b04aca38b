import re
import secrets

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


#: What a submission key looks like (new_submission_key makes 32 of these characters); anything else is no key.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class SubmittedOnceMixin:
    """A random key made when the form is shown: every submit of this copy of the form carries it, so a retry
    (a lost answer, a double click, a reload) finds what the first submit made (forum.posts.submissions)."""

    submission_key = HiddenField(default=new_submission_key)

    def submission_key_value(self) -> str | None:
        """The form's key if it is one we could have made; a missing or odd key just isn't one."""
        key = self.submission_key.data
        return key if isinstance(key, str) and SUBMISSION_KEY.fullmatch(key) else None


class PostForm(ContentWarningMixin, SubmittedOnceMixin, FlaskForm):
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


class ReplyForm(SubmittedOnceMixin, FlaskForm):
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
