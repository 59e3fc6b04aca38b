"""Editing a post or a reply: once per send, and never over words changed since the form was opened."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, session
from flask_login import login_required

from forum.extensions import db, limiter
from forum.forms import CSRF_EXPIRED_HINT, EditPostForm, EditReplyForm, form_checks_csrf
from forum.limits import member_or_address
from forum.posts.views import _post_url, _reply_url, bp
from forum.services import DomainError
from forum.services.care import care_for_unsent, signals_distress
from forum.services.edits import (
    EditConflict,
    post_edit_changes_nothing,
    post_version,
    refuse_stale_edit,
    reply_edit_changes_nothing,
    reply_version,
)
from forum.services.posts import edit_post, extra_tags_field, warned_by_moderators
from forum.services.replies import edit_reply
from forum.submissions import SUBMITTED
from forum.web_helpers import form_status, get_post, get_reply, show_refusal, viewer_country


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
# Like new posts (each edit is rendered and assessed again), and per member, like every write.
@limiter.limit("30 per hour", methods=["POST"], key_func=member_or_address)
@form_checks_csrf
def edit(post_id: int):
    post = get_post(post_id, check_author=True)
    form = EditPostForm(obj=post if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = extra_tags_field(post)
        form.open_on(post_version(post))

    def words():
        return form.title.data, form.body.data, form.tags.data or "", form.content_warning.data or ""

    saved, conflict = _save_edit(form, lambda: post_version(post), lambda: post_edit_changes_nothing(post, *words()),
                                 lambda: edit_post(post, *words()), lambda: _post_url(post), "Your changes are saved.")
    if saved:
        return saved
    unsent_care = care_for_unsent((form.title.data, form.body.data), viewer_country()) if form.is_submitted() \
        else None
    return render_template("posts/compose.html", form=form, post=post, csrf_hint=CSRF_EXPIRED_HINT,
                           saved=post if conflict else None, moderators_warning=warned_by_moderators(post),
                           unsent_care=unsent_care), 409 if conflict else form_status(form)


@bp.route("/replies/<int:reply_id>/edit", methods=["GET", "POST"])
@login_required
@limiter.limit("60 per hour", methods=["POST"], key_func=member_or_address)  # like new replies
@form_checks_csrf
def edit_reply_view(reply_id: int):
    reply_ = get_reply(reply_id, check_author=True)
    form = EditReplyForm(obj=reply_ if request.method == "GET" else None)
    if request.method == "GET":
        form.open_on(reply_version(reply_))
    saved, conflict = _save_edit(form, lambda: reply_version(reply_),
                                 lambda: reply_edit_changes_nothing(reply_, form.body.data),
                                 lambda: edit_reply(reply_, form.body.data),
                                 lambda: _reply_url(reply_, to_help=signals_distress(reply_)), "Your reply is updated.")
    if saved:
        return saved
    unsent_care = care_for_unsent((form.body.data,), viewer_country(), reply=True) if form.is_submitted() else None
    return render_template("posts/edit_reply.html", form=form, reply=reply_, csrf_hint=CSRF_EXPIRED_HINT,
                           saved=reply_ if conflict else None, unsent_care=unsent_care), \
        409 if conflict else form_status(form)


def _save_edit(form: EditPostForm | EditReplyForm, version: Callable[[], str], changes_nothing: Callable[[], bool],
               apply: Callable[[], object], landing: Callable[[], str], said: str):
    """Save a sent edit form: (the redirect after saving, or None; whether the words changed since it opened).

    Words the form refused, or that changed since it opened (the form then carries the newer version, so
    saving again is the member's informed choice), leave the page to be shown again with their text.
    """
    if not form.validate_on_submit():
        return None, False
    if changes_nothing():
        # Sent again after its answer was lost, or saved without a change: nothing to do, nothing to review.
        return _landed(landing(), form, said), False
    try:
        refuse_stale_edit(form.based_on.data, version())
        apply()
    except EditConflict as error:
        show_refusal(form, error, "body")
        form.based_on.data = version()
        return None, True
    except DomainError as error:
        show_refusal(form, error, "body")
        return None, False
    where = landing()  # before the commit: nothing after it may fail a saved edit
    db.session.commit()
    return _landed(where, form, said), False


def _landed(landing: str, form: EditPostForm | EditReplyForm, said: str):
    """Land after a saved edit; the landing page tells the browser to let go of this form's draft."""
    key = form.submission_key_value()
    if key:
        session[SUBMITTED] = key
    flash(said, "success")
    return redirect(landing)
