"""JSON endpoints the site's own scripts call. They answer JSON, errors included."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request
from flask_login import login_required

from forum.crisis import assess
from forum.extensions import limiter
from forum.models.post import POST_BODY_MAX, TITLE_MAX
from forum.services.care import care_for_assessment
from forum.web_helpers import viewer_country

bp = Blueprint("api", __name__, url_prefix="/api")

#: The longest text a composer can hold: a post's title and body.
CHECK_MAX = TITLE_MAX + 2 + POST_BODY_MAX


@bp.post("/crisis/check")
@login_required
@limiter.limit("30 per minute")
def crisis_check():
    """Assess a draft while it is written and return the card to show under the editor. Stores nothing."""
    payload = request.get_json(silent=True) if request.is_json else request.form
    text = (payload or {}).get("text")
    if not isinstance(text, str):
        abort(400, description="Send the draft as {\"text\": \"...\"}.")
    if len(text) > CHECK_MAX:
        abort(413)
    # A reply's short words of support are read as a reply's ("kind": "reply"; see crisis.assess).
    assessment = assess(text, reply=(payload or {}).get("kind") == "reply")
    care = care_for_assessment(assessment, viewer_country())
    card = render_template("_partials/care_panel.html", care=care, care_context="draft") if care else ""
    return jsonify(**assessment.to_dict(), card=card)
