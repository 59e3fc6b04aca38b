"""Settings → Access tokens: a member makes, names and revokes the tokens their own scripts and apps use."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from forum.extensions import db, limiter
from forum.forms import CSRF_EXPIRED_HINT, EmptyForm, form_checks_csrf
from forum.limits import password_rechecks, refuse_wrong_password
from forum.models import TokenScope
from forum.models.token import TOKEN_NAME_MAX
from forum.services import DomainError
from forum.services.tokens import create_token, live_tokens, revoke_token
from forum.web_helpers import form_status, show_refusal

bp = Blueprint("api_tokens", __name__)


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[
        DataRequired("Give the token a name, so you know later what uses it."),
        Length(max=TOKEN_NAME_MAX, message=f"Names can be up to {TOKEN_NAME_MAX} characters."),
    ], description="What will use it, e.g. “my journal app”.")
    scope = RadioField("What it may do", default=TokenScope.READ.value, choices=[
        SelectChoice(TokenScope.READ.value, "Read only: posts, profiles and my notifications"),
        SelectChoice(TokenScope.WRITE.value, "Read and write as me: posts, replies, hearts, flags"),
    ], invalid_choice_message="Choose what the token may do.")
    password = PasswordField("Your password, for a read-and-write token",
                             description="A token that can write posts as you, so we check it's you first.")


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
@password_rechecks
@form_checks_csrf
def index():
    form = TokenForm()
    new_secret = None
    if form.validate_on_submit() and _password_confirmed_for(form):
        try:
            token, new_secret = create_token(current_user, form.name.data, form.scope.data)
        except DomainError as error:
            show_refusal(form, error, "name")
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    # The secret is only ever in this one response (never in the session or a redirect), and the page is
    # never cached (a signed-in member's pages are no-store, forum.web).
    return render_template("api/tokens.html", form=form, tokens=live_tokens(current_user), new_secret=new_secret,
                           revoke_form=EmptyForm(), csrf_hint=CSRF_EXPIRED_HINT), form_status(form)


def _password_confirmed_for(form: TokenForm) -> bool:
    """Whether the member typed their password, when the token may write (else the form says what is missing).

    Asked because a write token acts as the member until it is revoked: someone at an unlocked screen must not
    be able to make one, as they can't make a recovery code.
    """
    if form.scope.data != TokenScope.WRITE.value:
        return True
    if not form.password.data:
        form.password.errors.append("Enter your password to make a read-and-write token.")
        return False
    if not current_user.check_password(form.password.data):
        refuse_wrong_password(form.password)
        return False
    return True


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    flash(f"“{token.name}” is revoked: it stopped working just now.", "info")
    return redirect(url_for("api_tokens.index"))
