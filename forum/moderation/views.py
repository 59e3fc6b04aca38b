"""The moderation queue, one item's page, actions and undo, the audit log, community health, and edit history."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.extensions import db
from forum.forms import EmptyForm
from forum.models import ItemStatus, ModerationAction, ModerationItem, Post, Reply, Revision, WelfareCheck, utcnow
from forum.moderation.access import moderate_blueprint
from forum.moderation.forms import ActionForm, VerdictForm, WelfareMessageForm
from forum.moderation.health_charts import health_charts
from forum.moderation.highlight import highlight
from forum.safe_input import parse_id
from forum.services import DomainError
from forum.services.accounts import find_member
from forum.services.moderation.actions import (
    ACTION_LABELS,
    AUTOMATIC_ACTIONS,
    NEEDS_REASON,
    AlreadyHandled,
    content_of,
    take_action,
)
from forum.services.moderation.audit import LOG_NAMES, LogFilter, log_name, log_page, subjects_of
from forum.services.moderation.decisions import DANGER, button_label, fitting_decisions, reason_key
from forum.services.moderation.health import PERIODS, community_health
from forum.services.moderation.queue import REASON_NAMES, open_queue, open_reasons, response_times
from forum.services.moderation.review import author_history, thread_of
from forum.services.moderation.undo import undo_action
from forum.services.moderation.verdicts import LEVEL_NAMES, VERDICT_LABELS, record_verdict, should_ask, verdict_tally
from forum.services.moderation.welfare import WHAT_WENT, mark_done, send_message, waiting_welfare_checks
from forum.services.safety import assessed_text
from forum.web_helpers import commit_or_flash_refusal, show_refusal

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
moderate_blueprint(bp)


@bp.get("/")
def queue():
    items = open_queue()
    alert_after = timedelta(minutes=current_app.config["CRISIS_ALERT_MINUTES"])
    return render_template("moderation/queue.html", items=items, now=utcnow(), alert_after=alert_after,
                           response_times=response_times(), open_reasons=open_reasons, content_of=content_of,
                           reason_names=REASON_NAMES, welfare_checks=waiting_welfare_checks(), what_went=WHAT_WENT,
                           message_form=WelfareMessageForm(formdata=None, data={"message_key": "crisis_lines"}),
                           form=ActionForm())


@bp.post("/welfare/<int:check_id>/done")
def welfare_done(check_id: int):
    """A moderator checked in with someone whose crisis words are gone."""
    check = db.session.get(WelfareCheck, check_id) or abort(404)
    if commit_or_flash_refusal(lambda: mark_done(current_user, check)):
        flash(f"Done: you marked the welfare check for {check.member.username} done.", "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/welfare/<int:check_id>/message")
def welfare_message(check_id: int):
    """Send the member of a welfare check a supportive message (a notice, as from any queue item)."""
    check = db.session.get(WelfareCheck, check_id) or abort(404)
    form = WelfareMessageForm()
    if not form.validate_on_submit():
        flash("That message wasn't sent: choose one of the messages and send it again.", "error")
    elif commit_or_flash_refusal(lambda: send_message(current_user, check, form.message_key.data)):
        flash(f"Sent: {check.member.username} has your message in their notices.", "success")
    return redirect(url_for("moderation.queue", _anchor=f"welfare-{check_id}"))


@bp.get("/items/<int:item_id>")
def item(item_id: int, form: ActionForm | None = None, status: int = 200):
    """One item laid out for the decision: the words, why they're here, the thread, the author, then actions."""
    found = db.session.get(ModerationItem, item_id) or abort(404)
    content = content_of(found)
    reasons = open_reasons(found)
    thread = thread_of(found)
    keys = {reason_key(reason.kind, reason.detail) for reason in reasons}
    decisions = fitting_decisions(keys, replies_locked=thread.post.replies_locked)
    # One form per action, so each reason box is its own; the one just sent keeps what was typed and its errors.
    forms = {name: form if form is not None and form.action.data == name else ActionForm(formdata=None)
             for name in (*decisions.first, *decisions.rest)}
    history = db.session.scalars(select(ModerationAction).where(ModerationAction.item_id == found.id)
                                 .order_by(ModerationAction.id.desc())).all()
    danger = bool(keys & DANGER)
    if danger and submitted_action(form) != "message":
        forms["message"].message_key.data = "crisis_lines"  # someone may be in danger: offer the lines first
    text = assessed_text(content)
    # Just closed by this moderator (act): the question asks itself, beside what was done.
    just_done = ACTION_LABELS.get(request.args.get("done", "")) if found.status != ItemStatus.OPEN.value else None
    spans = [(m["start"], m["end"]) for m in content.crisis_matches or []]
    return render_template("moderation/item.html", item=found, content=content, reasons=reasons, thread=thread,
                           author=author_history(found), decisions=decisions, forms=forms, danger=danger,
                           submitted=submitted_action(form),
                           button_label=button_label, pieces=highlight(text, spans) if spans else [],
                           history=history, undo_form=EmptyForm(), just_done=just_done,
                           labels={**ACTION_LABELS, **AUTOMATIC_ACTIONS, **VERDICT_LABELS}, automatic=AUTOMATIC_ACTIONS,
                           now=utcnow(), revisions=_revisions_of(content)), status


@bp.post("/items/<int:item_id>/act")
def act(item_id: int):
    found = db.session.get(ModerationItem, item_id) or abort(404)
    form = ActionForm()
    version = parse_id(form.version.data, minimum=0)
    if not form.validate_on_submit() or version is None:
        return item(item_id, form=form, status=422)
    try:
        record = take_action(current_user, found, version, form.action.data,
                             reason=form.reason.data or "", warning_text=form.warning_text.data or "",
                             message_key=form.message_key.data or "", suspend_days=form.suspend_days.data or 0)
    except AlreadyHandled as error:
        # The item as it is now, with what this moderator typed still in its box: sending it again, on the
        # version now shown, is their informed choice.
        db.session.rollback()
        flash(error.message, "info")
        return item(item_id, form=form, status=409)
    except DomainError as error:
        if error.field is None and form.action.data not in NEEDS_REASON:
            # Approve, lock, claim and the like have no box to say it beside: say it at the top of the page.
            db.session.rollback()
            flash(error.message, "info")
        else:
            show_refusal(form, error, "reason")
        return item(item_id, form=form, status=422)
    reason_keys = {reason_key(reason.kind, reason.detail) for reason in open_reasons(found)}
    db.session.commit()
    if record.action in ("claim", "release", "lock", "unlock", "content_warning", "message", "warn", "suspend"):
        flash(f"Done: you {ACTION_LABELS[record.action]}.", "success")
        return redirect(url_for("moderation.item", item_id=item_id))
    if should_ask(found, reason_keys):
        # The item is closed: the one moment its moderator surely knows as much as anyone will.  The page
        # opens at the question and says there what was done (a flash would sit out of sight above).
        return redirect(url_for("moderation.item", item_id=item_id, done=record.action, _anchor="verdict-heading"))
    flash(f"Done: you {ACTION_LABELS[record.action]}.", "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/items/<int:item_id>/verdict")
def verdict(item_id: int):
    """A moderator's answer to "was the writer in danger?": it measures the detector, and changes nothing else."""
    found = db.session.get(ModerationItem, item_id) or abort(404)
    form = VerdictForm()
    if not form.validate_on_submit():
        flash("That answer wasn't recorded: the page had expired. Please answer again.", "error")
        return redirect(url_for("moderation.item", item_id=item_id, _anchor="verdict-heading"))
    try:
        record = record_verdict(current_user, found, form.verdict.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("moderation.item", item_id=item_id, _anchor="verdict-heading"))
    db.session.commit()
    flash(f"Recorded: you {VERDICT_LABELS[record.action]}." if record else "That was already the answer recorded.",
          "success")
    if found.status != ItemStatus.OPEN.value:
        return redirect(url_for("moderation.queue"))  # closed and answered: nothing left to do here
    return redirect(url_for("moderation.item", item_id=item_id, _anchor="verdict-heading"))


@bp.post("/actions/<int:action_id>/undo")
def undo(action_id: int):
    original = db.session.get(ModerationAction, action_id) or abort(404)
    if commit_or_flash_refusal(lambda: undo_action(current_user, original)):
        flash(f"Undone: {ACTION_LABELS.get(original.action, original.action)}.", "success")
    return redirect(url_for("moderation.item", item_id=original.item_id) if original.item_id
                    else url_for("moderation.log"))


@bp.get("/log")
def log():
    """Every moderator action, newest first, filterable by moderator, member, action and date."""
    filters = {key: request.args.get(key, "").strip() for key in ("moderator", "member", "action", "since", "until")}
    people = {}
    for key in ("moderator", "member"):
        if filters[key]:
            person = find_member(filters[key])
            people[key] = person.id if person else -1  # nobody by that name: an empty log, not every entry
    days = {}
    for key in ("since", "until"):
        if filters[key]:
            try:
                days[key] = datetime.fromisoformat(filters[key]).replace(tzinfo=utcnow().tzinfo)
                days[key] + timedelta(days=1)  # noqa: B018 (a day with no day after it, 9999-12-31, is refused)
            except (ValueError, OverflowError):
                abort(400)
    wanted = LogFilter(moderator_id=people.get("moderator"), member_id=people.get("member"), action=filters["action"],
                       since=days.get("since"), until=days.get("until"), before_id=parse_id(request.args.get("before")))
    entries, more = log_page(wanted)
    return render_template("moderation/log.html", entries=entries, more=more, filters=filters,
                           subjects=subjects_of(entries), log_name=log_name,
                           actions=sorted(LOG_NAMES, key=log_name), automatic=AUTOMATIC_ACTIONS)


@bp.get("/health")
def health():
    """Community health at a glance: charts drawn here as SVG, each with a table holding its numbers."""
    days = request.args.get("days", type=int, default=30)
    if days not in PERIODS:
        days = PERIODS[0]
    report = community_health(days)
    return render_template("moderation/health.html", report=report, periods=PERIODS, charts=health_charts(report),
                           verdicts=verdict_tally(report.since), level_names=LEVEL_NAMES)


def submitted_action(form: ActionForm | None) -> str | None:
    return form.action.data if form is not None else None


def _revisions_of(content: Post | Reply) -> list[Revision]:
    column = Revision.post_id if isinstance(content, Post) else Revision.reply_id
    return list(db.session.scalars(select(Revision).where(column == content.id).order_by(Revision.id.desc())))


@bp.get("/history/<kind>/<int:content_id>")
def history(kind: str, content_id: int):
    """A post's or reply's earlier words, newest first."""
    model = {"post": Post, "reply": Reply}.get(kind) or abort(404)
    content = db.session.get(model, content_id) or abort(404)
    return render_template("moderation/history.html", content=content, kind=kind, revisions=_revisions_of(content))
