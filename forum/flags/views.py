"""Flagging a post or reply: choose a reason, and be thanked for looking out for each other."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum import limits
from forum.extensions import db
from forum.forms import CSRF_EXPIRED_HINT, FlagForm, form_checks_csrf
from forum.models import Flag, FlagReason, Post, Reply
from forum.services import DomainError, NotAllowed
from forum.services.flags import ALREADY_FLAGGED, AlreadyFlagged, ensure_can_flag, flag_content, has_flagged
from forum.services.visibility import can_view_post, can_view_reply
from forum.web_helpers import form_status, get_post, get_reply, show_refusal

bp = Blueprint("flags", __name__)


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
@limits.flags
@form_checks_csrf
def flag_post(post_id: int):
    return _flag(get_post(post_id))


@bp.route("/replies/<int:reply_id>/flag", methods=["GET", "POST"])
@login_required
@limits.flags
@form_checks_csrf
def flag_reply(reply_id: int):
    return _flag(get_reply(reply_id))


def _flag(content: Post | Reply):
    try:
        ensure_can_flag(current_user, content)
    except NotAllowed as error:
        abort(403, description=error.message)
    if has_flagged(current_user, content):
        return _already_flagged(content)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flag = flag_content(current_user, content, FlagReason(form.reason.data), form.note.data or "",
                                current_app.config["FLAG_HIDE_THRESHOLD"],
                                timedelta(hours=current_app.config["FLAG_MIN_ACCOUNT_AGE_HOURS"]))
        except AlreadyFlagged:
            db.session.rollback()
            return _already_flagged(content)
        except DomainError as error:
            show_refusal(form, error, "note")
        else:
            db.session.commit()
            return redirect(url_for("flags.thanks", flag_id=flag.id))
    return render_template("flags/flag.html", form=form, content=content, post=_post_of(content),
                           csrf_hint=CSRF_EXPIRED_HINT), form_status(form)


@bp.get("/flags/<int:flag_id>/thanks")
@login_required
def thanks(flag_id: int):
    flag = db.session.get(Flag, flag_id)
    if flag is None or flag.user_id != current_user.id:
        abort(404)
    content = db.session.get(Post, flag.post_id) if flag.post_id else db.session.get(Reply, flag.reply_id)
    return render_template("flags/thanks.html", at_risk=flag.reason == FlagReason.AT_RISK.value,
                           back_to=_back_to(content) if content is not None else None)


def _already_flagged(content: Post | Reply):
    flash(ALREADY_FLAGGED, "info")
    return redirect(_back_to(content) or url_for("feed.latest"))


def _post_of(content: Post | Reply) -> Post:
    return content if isinstance(content, Post) else content.post


def _back_to(content: Post | Reply) -> str | None:
    """Where the member was reading, if they can still see it (enough flags may have hidden it)."""
    if isinstance(content, Post):
        visible = can_view_post(current_user, content)
        return url_for("posts.show", post_id=content.id, _anchor="post") if visible else None
    if can_view_reply(current_user, content):
        return url_for("posts.reply_link", post_id=content.post_id, reply_id=content.id)
    if can_view_post(current_user, content.post):
        return url_for("posts.show", post_id=content.post_id, _anchor="replies")
    return None
