"""The JSON API's blueprint, apart from its views so each module of them can add routes to it."""
from __future__ import annotations

from flask import Blueprint

from forum.api.v1.access import authenticate
from forum.extensions import csrf

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
bp.before_request(authenticate)


@bp.after_request
def _answers_differ_by_token(response):
    """What a token's member sees differs from what a visitor sees: no cache may hand one the other's answer."""
    response.vary.add("Authorization")
    return response


# Writes check CSRF themselves (forum.api.v1.access): a session's writes need the header, a token's don't.
csrf.exempt(bp)
