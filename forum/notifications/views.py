"""The notifications page, mark-as-read, and which kinds a member wants."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.extensions import db
from forum.forms import CSRF_EXPIRED_HINT, form_checks_csrf
from forum.notifications.forms import MarkReadForm, NotificationSettingsForm
from forum.pagination import BadCursor
from forum.safe_input import parse_id
from forum.services.notices import unread_notices_for
from forum.services.notifications import OPTIONAL_KINDS, set_muted_kinds, wants
from forum.services.notifications.reading import lines_page, mark_read
from forum.web_helpers import form_status

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    """New lines, then recently read ones, a page at a time. The new lines shown are read once seen, so the
    badge clears; they still show as new on this visit, one that arrives while the page is open stays unread,
    and so do older lines on a later page, until the member reaches them or marks all read."""
    try:
        page = lines_page(current_user, request.args.get("after"))
    except BadCursor:
        abort(400)
    lines = page.items
    new = [line for line in lines if line.unread]
    form = MarkReadForm(up_to=str(max(line.newest_id for line in new)) if new else "")
    if new:
        mark_read(current_user, max(line.newest_id for line in new), [line.group_key for line in new])
        db.session.commit()
    # Unread messages from the moderators stay pinned above everything until the member opens them.
    pinned = unread_notices_for(current_user)
    return render_template("notifications/index.html", new=new, earlier=[line for line in lines if not line.unread],
                           form=form, pinned=pinned, next_cursor=page.next_cursor)


@bp.post("/notifications/read")
@login_required
def read():
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400)
    mark_read(current_user, parse_id(form.up_to.data))
    db.session.commit()
    flash("All caught up.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def settings():
    form = NotificationSettingsForm()
    if request.method == "GET":
        for kind in OPTIONAL_KINDS:
            form[kind.value].data = wants(current_user, kind)
    if form.validate_on_submit():
        set_muted_kinds(current_user, [kind for kind in OPTIONAL_KINDS if not form[kind.value].data])
        db.session.commit()
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, csrf_hint=CSRF_EXPIRED_HINT), \
        form_status(form)
