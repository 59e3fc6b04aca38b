"""Members' profiles."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.crisis.hotlines import countries
from forum.extensions import db
from forum.forms import form_checks_csrf
from forum.people.forms import SettingsForm

from forum.feed.views import page_of
from forum.services import feeds
from forum.services.accounts import find_member

bp = Blueprint("people", __name__)


@bp.get("/u/<username>")
def profile(username: str):
    member = find_member(username)
    if member is None:
        abort(404)
    return render_template("people/profile.html", member=member,
                           page=page_of(feeds.by_author, current_user, member))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def settings():
    form = SettingsForm(obj=current_user if request.method == "GET" else None)
    default = current_app.config["DEFAULT_COUNTRY"]
    form.country.choices = [("", f"Use the site's default ({default})"), *countries()]
    if form.validate_on_submit():
        current_user.country = form.country.data or ""
        current_user.bio = (form.bio.data or "").strip()
        db.session.commit()
        flash("Your settings are saved.", "success")
        return redirect(url_for("people.settings"))
    return render_template("people/settings.html", form=form), 422 if form.errors else 200
