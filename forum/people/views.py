"""Members' profiles."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from wtforms.fields.choices import SelectChoice

from forum.extensions import db
from forum.forms import EmptyForm, form_checks_csrf
from forum.limits import password_rechecks, refuse_wrong_password
from forum.models import MemberNotice
from forum.models.user import USERNAME_CHARACTERS
from forum.people.forms import DeleteAccountForm, SettingsForm
from forum.services import DomainError, feeds
from forum.services.accounts import change_profile_words, find_member, member_by_past_name
from forum.services.blocks import block, has_blocked, unblock
from forum.services.export import export_member
from forum.services.following import followed_tags_shown_to
from forum.services.notices import mark_all_read, notices_for, request_second_review
from forum.services.privacy import delete_account
from forum.services.visibility import shows_activity
from forum.web_helpers import commit_or_flash_refusal, country_choices, form_status, page_of, show_refusal

bp = Blueprint("people", __name__)


@bp.get("/u/<username>")
def profile(username: str):
    member = find_member(username)
    if member is None:
        # A name its member gave up lately: old links lead to them (302: in a while the name is anyone's).
        renamed = member_by_past_name(username) or abort(404)
        return redirect(url_for("people.profile", username=renamed.username))
    is_self = current_user.is_authenticated and current_user.id == member.id
    show_activity = shows_activity(current_user, member)
    i_blocked = current_user.is_authenticated and not is_self and has_blocked(current_user.id, member.id)
    return render_template(
        "people/profile.html", member=member, is_self=is_self, show_activity=show_activity, i_blocked=i_blocked,
        page=page_of(feeds.by_author, current_user, member) if show_activity and not i_blocked else None,
        replies=feeds.recent_replies_by(current_user, member) if show_activity and not i_blocked else [],
        # Following #PTSD says as much as posting there: followed tags are activity, kept private with it.
        hearts=feeds.hearts_received(member),
        follows=followed_tags_shown_to(current_user, member) if show_activity else [],
        form=EmptyForm())


@bp.post("/u/<username>/block")
@login_required
def block_member(username: str):
    member = find_member(username) or abort(404)
    if commit_or_flash_refusal(lambda: block(current_user, member)):
        flash(f"You've blocked {member.username}. You won't see their posts or replies, and they can't reply to "
              "you, mention you or send you hearts. They aren't told.", "info")
    return redirect(url_for("people.profile", username=member.username))


@bp.post("/u/<username>/unblock")
@login_required
def unblock_member(username: str):
    member = find_member(username) or abort(404)
    unblock(current_user, member)
    db.session.commit()
    flash(f"You've unblocked {member.username}.", "info")
    return redirect(url_for("people.profile", username=member.username))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def settings():
    form = SettingsForm(obj=current_user if request.method == "GET" else None)
    default = current_app.config["DEFAULT_COUNTRY"]
    form.country.choices = [SelectChoice("", f"Use the site's default ({default})"),
                            *(SelectChoice(code, name) for code, name in country_choices())]
    if form.validate_on_submit():
        try:
            change_profile_words(current_user, form.bio.data or "", form.pronouns.data or "")
        except DomainError as error:
            show_refusal(form, error, "bio")
        else:
            current_user.country = form.country.data or ""
            current_user.hide_activity = bool(form.hide_activity.data)
            current_user.content_warnings = form.content_warnings.data or "fold"
            db.session.commit()
            flash("Your settings are saved.", "success")
            return redirect(url_for("people.settings"))
    return render_template("people/settings.html", form=form), form_status(form)


@bp.get("/notices")
@login_required
def notices():
    """Messages from the moderators. Opening the page marks them read."""
    found = notices_for(current_user)
    page = render_template("people/notices.html", notices=found, form=EmptyForm())
    mark_all_read(current_user)
    db.session.commit()
    return page


@bp.post("/notices/<int:notice_id>/review")
@login_required
def request_review(notice_id: int):
    notice = db.session.get(MemberNotice, notice_id)
    if notice is None or notice.member_id != current_user.id:
        abort(404)
    if commit_or_flash_refusal(lambda: request_second_review(current_user, notice, request.form.get("note", ""))):
        flash("Thank you. Another moderator will look at it again, and you'll hear back here.", "success")
    return redirect(url_for("people.notices"))


@bp.get("/settings/export")
@login_required
def export():
    """Everything the member wrote here, as a JSON file to keep."""
    body = json.dumps(export_member(current_user), ensure_ascii=False, indent=2)
    # Only the characters a username may hold reach the header, whatever a legacy name contains.
    filename = "kindred-{}.json".format("".join(c if c in USERNAME_CHARACTERS else "_" for c in current_user.username))
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
@password_rechecks
@form_checks_csrf
def delete_account_view():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            refuse_wrong_password(form.password)
        else:
            member = current_user._get_current_object()
            logout_user()
            delete_account(member, keep_words_anonymously=form.keep.data == "anonymise")
            db.session.commit()
            flash("Your account is deleted. Thank you for being part of Kindred; take good care of yourself.", "info")
            return redirect(url_for("feed.latest"))
    return render_template("people/delete_account.html", form=form), form_status(form)
