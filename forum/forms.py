"""Form pieces every area shares, and the forms both the pages and the JSON API validate with (posts, replies,
hearts, flags)."""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation, ValidationError

from forum.extensions import csrf
from forum.hashtags import tags_field_problem
from forum.models import FLAG_REASON_LABELS, FlagReason
from forum.models.post import POST_BODY_MAX, REPLY_BODY_MAX, TITLE_MAX
from forum.models.user import USERNAME_PATTERN
from forum.passwords import password_problem
from forum.services.accounts import USERNAME_MESSAGE
from forum.services.flags import NOTE_MAX
from forum.services.text import TITLE_NEEDED, WORDS_NEEDED
from forum.typed_text import has_visible_text, markdown_shows_text, normalise_newlines, nothing_if_invisible

# `\Z`, not `$`: `$` also matches before a final newline, and `admin\n` looked exactly like `admin`.
USERNAME_RULE = Regexp(USERNAME_PATTERN.pattern + r"\Z", message=USERNAME_MESSAGE)


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class VisibleRequired(DataRequired):
    """Required text that must show something: DataRequired only strips spaces, so a title of zero-width spaces
    or a reply of a Hangul filler got through, blank on the page (forum.typed_text)."""

    def __init__(self, message: str, shows_something: Callable[[str], bool] = has_visible_text):
        super().__init__(message)
        self.shows_something = shows_something

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and self.shows_something(field.data):
            return
        field.errors[:] = []
        raise StopValidation(self.message)


def usable_hashtags(form, field) -> None:
    """The tags field's entries must all be hashtags: said with the form's other messages, not only after
    they are fixed (create_post asks again, as the last word)."""
    problem = tags_field_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def hard_to_guess(form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for one-click POST buttons (log out, delete, heart)."""


def form_checks_csrf(view):
    """Leave the CSRF check of a view to its own FlaskForm.

    The form validates the token itself (FlaskForm always does), so an expired token shows a
    message beside the member's text instead of a bare error page that loses what they wrote.
    """
    return csrf.exempt(view)


CSRF_EXPIRED_HINT = ("This page was open for a while, so for your safety we need you to send it once "
                     "more. Everything you wrote is still here.")

CONTENT_WARNINGS = ["suicide", "self-harm", "abuse", "eating disorders", "substance use", "graphic"]


class ContentWarningMixin:
    content_warning = StringField(
        "Content warning (optional)", filters=[nothing_if_invisible],
        validators=[Optional(), Length(max=100, message="Keep it short, please.")],
        description="If what you wrote could be hard for someone to read, name it here and it stays folded until "
                    "a reader opens it: e.g. " + ", ".join(CONTENT_WARNINGS) + ", or your own words.")


#: What a submission key looks like (new_submission_key makes 32 of these characters); anything else is no key.
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class SubmittedOnceMixin:
    """A random key made when the form is shown: every submit of this copy of the form carries it, so a retry
    (a lost answer, a double click, a reload) finds what the first submit made (forum.submissions)."""

    submission_key = HiddenField(default=new_submission_key)

    def submission_key_value(self) -> str | None:
        """The form's key if it is one we could have made; a missing or odd key just isn't one."""
        key = self.submission_key.data
        return key if isinstance(key, str) and SUBMISSION_KEY.fullmatch(key) else None


class PostForm(ContentWarningMixin, SubmittedOnceMixin, FlaskForm):
    title = StringField("Title", validators=[
        VisibleRequired(TITLE_NEEDED),
        Length(max=TITLE_MAX, message=f"Titles can be up to {TITLE_MAX} characters; please shorten it a little."),
    ])
    body = TextAreaField("What's on your mind?", filters=[normalise_newlines], validators=[
        VisibleRequired(WORDS_NEEDED, markdown_shows_text),
        Length(max=POST_BODY_MAX, message=f"Posts can be up to {POST_BODY_MAX:,} characters. "
                                          "Your text is all still here; you could split it into two posts."),
    ])
    tags = StringField("Hashtags (optional)", filters=[nothing_if_invisible],
                       validators=[Optional(), Length(max=1000), usable_hashtags],
                       description="Separate with spaces or commas; the # is optional. "
                                   "Hashtags in your text count too.")


class ReplyForm(SubmittedOnceMixin, FlaskForm):
    body = TextAreaField("Your reply", filters=[normalise_newlines], validators=[
        VisibleRequired(WORDS_NEEDED, markdown_shows_text),
        Length(max=REPLY_BODY_MAX, message=f"Replies can be up to {REPLY_BODY_MAX:,} characters. "
                                           "Your text is all still here."),
    ])
    #: The reply being answered, if any (threads nest one level).
    parent_id = HiddenField()


class EditingMixin:
    #: The version of the words this form was opened on (forum.services.edits): an edit made meanwhile in
    #: another tab is shown to the member instead of being overwritten unseen.
    based_on = HiddenField()

    def open_on(self, version: str) -> None:
        """Fill in what a freshly opened edit form carries: the version, and a key of its own (filled from
        the post or reply, the key field would hold the one its first writing was sent with)."""
        self.based_on.data = version
        self.submission_key.data = new_submission_key()


class EditPostForm(EditingMixin, PostForm):
    pass


class EditReplyForm(EditingMixin, ReplyForm):
    pass


class HeartForm(FlaskForm):
    """The heart button: it says which state the member wants, so a repeated submit is a no-op."""

    hearted = HiddenField(default="1")
    #: On a reply's button: the page of the conversation it was on (that page's cursor; "" for the first), so a
    #: plain form goes back there without working the page out again.
    page = HiddenField()


class FlagForm(FlaskForm):
    reason = RadioField("What worries you about it?",
                        choices=[SelectChoice(reason.value, FLAG_REASON_LABELS[reason]) for reason in FlagReason],
                        invalid_choice_message="Choose the reason closest to what you saw.")
    note = TextAreaField("Anything the moderators should know? (optional)",
                         filters=[normalise_newlines, nothing_if_invisible], validators=[
        Optional(),
        Length(max=NOTE_MAX, message=f"Notes can be up to {NOTE_MAX} characters; please shorten it a little."),
    ], description="Needed if you chose “Something else”. Only the moderators will read it.")
