"""Keeping an account one's own: where it is signed in, its password, its name, its recovery code."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from forum.extensions import db
from forum.services.sign_ins import end_every_sign_in
from forum.sessions import sign_out_here

bp = Blueprint("account", __name__)


@bp.post("/settings/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every sign-in to the account: other browsers, remembered devices and this one."""
    # The app-wide CSRF check has already run: nobody can sign a member out from elsewhere.
    member = current_user._get_current_object()
    end_every_sign_in(member)
    sign_out_here(member)
    db.session.commit()
    flash("You're signed out everywhere: on this device and every other, including ones set to keep you "
          "signed in. Sign in again whenever you're ready.", "info")
    return redirect(url_for("auth.login"))
