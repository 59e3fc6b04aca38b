"""Joining, signing in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.auth.forms import LoginForm, RegisterForm
from forum.extensions import db, limiter
from forum.forms import form_checks_csrf
from forum.kept_words import KeptWords
from forum.models.user import USERNAME_MAX, username_key
from forum.services import DomainError
from forum.services.accounts import authenticate, register_member
from forum.services.credentials import create_recovery_code
from forum.sessions import sign_in_here, sign_out_here
from forum.web_helpers import form_status, show_refusal

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site, never to another host, and never with control characters."""
    if target and target.isprintable():
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
                and "\\" not in target:
            return target
    return url_for("feed.latest")


def registered(response) -> bool:
    return response.status_code < 400


def registration_refused(response) -> bool:
    return response.status_code >= 400


@bp.route("/register", methods=["GET", "POST"])
# New accounts from one address, counted only when one is made: looking for a free name ("That name is taken")
# or a long enough password must not lock anyone out for an hour. Refusals have a generous cap of their own.
@limiter.limit("10 per hour", methods=["POST"], deduct_when=registered)
@limiter.limit("60 per hour", methods=["POST"], deduct_when=registration_refused)
@form_checks_csrf
def register():
    if current_user.is_authenticated:
        return redirect(url_for("feed.latest"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            member = register_member(form.username.data, form.password.data)
        except DomainError as error:
            show_refusal(form, error, "username")
        else:
            sign_in_here(member)
            code = create_recovery_code(member) if form.recovery_code.data else None
            db.session.commit()
            flash(f"Welcome, {member.username}. We're glad you're here.", "success")
            if code:  # shown in this answer only: nothing kept could show it again
                return render_template("account/recovery_code_shown.html", code=code)
            return redirect(url_for("feed.latest"))
    return render_template("auth/register.html", form=form), form_status(form)


def login_account_key() -> str:
    """The account a sign-in tries, for its own rate limit: many addresses guessing one password share it."""
    return "account:" + username_key((request.form.get("username") or "").strip()[:USERNAME_MAX])


def login_failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"])
# Only failures count per account, so its owner signing in now and then never meets the limit.
@limiter.limit("10 per 10 minutes", methods=["POST"], key_func=login_account_key, deduct_when=login_failed)
@form_checks_csrf
def login():
    if current_user.is_authenticated:
        return redirect(url_for("feed.latest"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        member = authenticate(form.username.data, form.password.data)
        if member is None:
            form.password.errors.append("That username and password don't match. Please try again.")
        else:
            sign_in_here(member, remember=form.remember.data)
            db.session.commit()
            flash(f"Welcome back, {member.username}.", "success")
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


def sign_in_to_send(back_to: str, kept: KeptWords):
    """The sign-in page, as the answer to a form whose sender's sign-in ended before it arrived: it shows the
    words the form carried, to copy before signing in, and signing in leads back to `back_to`, the form's page.

    Nothing was sent. The words can't ride through signing in: the session starts afresh then, and a cookie
    holds far less than a reply.
    """
    form = LoginForm(formdata=None)  # the form sent was another page's: none of it is a sign-in
    form.next.data = back_to
    response = make_response(render_template("auth/login.html", form=form, kept=kept), 401)
    response.headers["Cache-Control"] = "no-store"  # a member's words, on a page a visitor is shown
    return response


@bp.post("/logout")
@login_required
def logout():
    # The app-wide CSRF check has already run: a forged logout never reaches this line.
    sign_out_here(current_user._get_current_object())
    db.session.commit()
    flash("You've signed out. Take care of yourself.", "info")
    return redirect(url_for("feed.latest"))
