"""Crisis resources, one click from every page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from forum.crisis.hotlines import INTERNATIONAL, directory_entries, hotlines_for
from forum.extensions import db
from forum.forms import form_checks_csrf
from forum.web_helpers import COUNTRY_COOKIE, country_choices, country_name, viewer_country

bp = Blueprint("help", __name__)

COUNTRY_COOKIE_DAYS = 365


class CountryForm(FlaskForm):
    country = SelectField("Show the lines for")


def country_form(country: str) -> CountryForm:
    form = CountryForm(country=country)
    form.country.choices = [SelectChoice(code, name) for code, name in country_choices()]
    return form


def help_page(form: CountryForm, status: int = 200):
    country = viewer_country()
    directory = directory_entries()
    local = [line for line in hotlines_for([], country) if line not in directory]
    response = current_app.make_response((render_template(
        "help/index.html", country=country, country_name=country_name(country), elsewhere=country == INTERNATIONAL,
        local=local, directory=directory, country_form=form), status))
    # What it shows depends on this browser's cookies (its country, its form's token): its own cache may keep
    # it, a shared one must not. (A member's pages are never stored at all: forum.web.)
    response.headers["Cache-Control"] = "private"
    response.vary.add("Cookie")
    return response


@bp.get("/help")
def index():
    return help_page(country_form(viewer_country()))


@bp.post("/help/country")
@form_checks_csrf
def choose_country():
    form = country_form(viewer_country())
    if not form.validate_on_submit():
        # Never an error page here: the lines stay on screen with a word on what went wrong.
        return help_page(form, 422)
    code = form.country.data
    response = redirect(url_for("help.index"))
    if current_user.is_authenticated:
        current_user.country = code
        db.session.commit()
        flash("Saved: we'll show the lines for where you are first, here and beside your posts.", "success")
    else:
        response.set_cookie(COUNTRY_COOKIE, code, max_age=COUNTRY_COOKIE_DAYS * 86400, httponly=True,
                            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
