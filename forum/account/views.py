"""Keeping an account one's own: where it is signed in, its password, its name, its recovery code."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.account.forms import ChangePasswordForm, ChangeUsernameForm, CreateRecoveryCodeForm, RecoverAccountForm
from forum.extensions import db, limiter
from forum.forms import form_checks_csrf
from forum.limits import count_wrong_password, password_rechecks, refuse_wrong_password
from forum.models.user import username_key
from forum.services import DomainError
from forum.services.credentials import (
    WrongPassword,
    change_password,
    create_recovery_code,
    reset_password_with_recovery_code,
)
from forum.services.sign_ins import end_every_sign_in
from forum.services.usernames import PAST_NAME_KEPT_FOR, change_username, next_change_allowed
from forum.sessions import sign_in_here, sign_out_here
from forum.web_helpers import form_status, show_refusal

bp = Blueprint("account", __name__)

#: Said wherever a lost password comes up: there is no email to reset it with.
NO_CODE_NO_WAY_BACK = ("Without a recovery code a lost password cannot be recovered: we don't ask for an email, "
                       "so there is nothing else we could send a reset to.")
#: Said wherever every sign-in ends (forum.services.sign_ins.end_every_sign_in revokes the tokens with them).
TOKENS_REVOKED = ("Any access tokens you made for apps have stopped working too; you can make new ones in your "
                  "settings whenever you need them.")


@bp.post("/settings/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every sign-in to the account: other browsers, remembered devices and this one."""
    # The app-wide CSRF check has already run: nobody can sign a member out from another site.
    member = current_user._get_current_object()
    end_every_sign_in(member)
    sign_out_here(member)
    db.session.commit()
    flash("You're signed out everywhere: on this device and every other, including ones set to keep you "
          f"signed in. {TOKENS_REVOKED} Sign in again whenever you're ready.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@password_rechecks
@form_checks_csrf
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            show_refusal(form, error, "current_password")
            if isinstance(error, WrongPassword):
                count_wrong_password()
        else:
            db.session.commit()
            flash("Your password is changed, and you're still signed in here. Every other device that was signed "
                  f"in to your account is now signed out. {TOKENS_REVOKED}", "success")
            return redirect(url_for("people.settings"))
    return render_template("account/password.html", form=form), form_status(form)


@bp.route("/settings/username", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def username():
    form = ChangeUsernameForm()
    if form.validate_on_submit():
        try:
            old_name = change_username(current_user, form.username.data)
        except DomainError as error:
            show_refusal(form, error, "username")
        else:
            db.session.commit()
            flash(f"You're {current_user.username} now. For the next {PAST_NAME_KEPT_FOR.days} days links to "
                  f"{old_name} lead here, @{old_name} still reaches you, and nobody else can take that name.",
                  "success")
            return redirect(url_for("people.settings"))
    return render_template("account/username.html", form=form, next_change=next_change_allowed(current_user),
                           kept_days=PAST_NAME_KEPT_FOR.days), form_status(form)


@bp.route("/settings/recovery-code", methods=["GET", "POST"])
@login_required
@password_rechecks
@form_checks_csrf
def recovery_code():
    form = CreateRecoveryCodeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            # Asked because a recovery code opens the account: someone at an unlocked screen must not make one.
            refuse_wrong_password(form.password)
        else:
            code = create_recovery_code(current_user)
            db.session.commit()
            return render_template("account/recovery_code_shown.html", code=code)
    return render_template("account/recovery_code.html", form=form, has_code=current_user.recovery_code_hash
                           is not None, no_way_back=NO_CODE_NO_WAY_BACK), form_status(form)


def _recovering_username() -> str:
    """Rate-limit key: the account being recovered, whichever addresses the guesses come from."""
    return "recover:" + username_key(request.form.get("username", "").strip())[:100]


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_recovering_username)
@form_checks_csrf
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("account.password"))
    form = RecoverAccountForm()
    if form.validate_on_submit():
        try:
            member = reset_password_with_recovery_code(form.username.data, form.code.data, form.new_password.data)
        except DomainError as error:
            show_refusal(form, error, "new_password")
        else:
            if member is None:
                db.session.rollback()
                # One answer whether or not the name exists, so this page can't be used to find members.
                form.code.errors.append("That username and recovery code don't match. Check the code you saved "
                                        "(letters and digits; dashes and spaces don't matter).")
            else:
                sign_in_here(member)
                db.session.commit()
                flash(f"Your password is changed, and every device that was signed in is signed out. {TOKENS_REVOKED} "
                      "Your recovery code is used up: make a new one now and keep it somewhere safe.", "success")
                return redirect(url_for("account.recovery_code"))
    return render_template("account/forgot_password.html", form=form,
                           no_way_back=NO_CODE_NO_WAY_BACK), form_status(form)
