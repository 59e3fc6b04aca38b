"""Crisis resources, one click from every page."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from forum.crisis.hotlines import directory_entries, hotlines_for

bp = Blueprint("help", __name__)


def viewer_country() -> str:
    """The member's chosen country, else the site's."""
    chosen = getattr(current_user, "country", "") if current_user.is_authenticated else ""
    return (chosen or current_app.config["DEFAULT_COUNTRY"]).upper()


@bp.get("/help")
def index():
    country = viewer_country()
    directory = directory_entries()
    local = [line for line in hotlines_for([], country) if line not in directory]
    return render_template("help/index.html", country=country, local=local, directory=directory)
