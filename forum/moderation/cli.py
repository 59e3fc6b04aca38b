"""`flask --app forum moderation …`: the moderators' background job, run by cron or a systemd timer."""
from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import current_app, url_for

from forum.alerting import AlertFailed, SmtpSettings, post_webhook, send_email
from forum.extensions import db
from forum.models import ModerationItem, WelfareCheck
from forum.services.moderation.alerts import (
    claim_alert,
    overdue_crisis_items,
    overdue_welfare_checks,
    release_alert,
)

log = logging.getLogger(__name__)


@click.group()
def moderation() -> None:
    """Moderation jobs."""


@moderation.command("alert")
def alert_command() -> None:
    """Alert moderators about crisis items waiting longer than CRISIS_ALERT_MINUTES, each once.

    Off unless MODERATOR_WEBHOOK_URL or ALERT_EMAIL_TO is set. A failed send is logged, the command
    exits 1, and the next run tries that alert again.
    """
    config = current_app.config
    senders = _configured_senders(config)
    if not senders:
        click.echo("Alerts are off: set MODERATOR_WEBHOOK_URL and/or ALERT_EMAIL_TO to turn them on.")
        return
    if not config.get("SITE_URL", "").startswith(("https://", "http://")):
        raise click.ClickException("Alerts need SITE_URL, the forum's address (e.g. https://kindred.example), "
                                   "to link to the item.")
    waited = timedelta(minutes=config["CRISIS_ALERT_MINUTES"])
    sent, failed = 0, 0
    for channel, send in senders.items():
        due = [(ModerationItem, item_id) for item_id in overdue_crisis_items(channel, waited)]
        due += [(WelfareCheck, check_id) for check_id in overdue_welfare_checks(channel, waited)]
        for model, target_id in due:
            if not claim_alert(target_id, channel, model=model):
                db.session.rollback()
                continue  # another run is sending this one
            db.session.commit()  # claimed before sending: an overlapping run won't send it too
            try:
                send(_link(model, target_id))
            except AlertFailed as error:
                release_alert(target_id, channel, model=model)
                db.session.commit()
                failed += 1
                log.warning("Crisis alert for %s %s by %s failed (%s); the next run tries again.",
                            _NAMES[model], target_id, channel, error)
                click.echo(f"{_NAMES[model].capitalize()} {target_id}: the {channel} alert failed ({error}); "
                           "the next run tries again.", err=True)
            else:
                sent += 1
    click.echo(f"Crisis alerts: {sent} sent, {failed} failed.")
    if failed:
        raise click.exceptions.Exit(1)  # cron's MAILTO and systemd's failed state tell the operator


def _configured_senders(config) -> dict:
    senders = {}
    if config.get("MODERATOR_WEBHOOK_URL"):
        senders["webhook"] = lambda link: post_webhook(config["MODERATOR_WEBHOOK_URL"], link)
    recipients = tuple(address.strip() for address in config.get("ALERT_EMAIL_TO", "").split(",") if address.strip())
    if recipients:
        if config.get("SMTP_SECURITY", "starttls") not in ("starttls", "ssl", "none"):
            raise click.ClickException("SMTP_SECURITY must be starttls, ssl or none.")
        settings = SmtpSettings(host=config["SMTP_HOST"], port=config["SMTP_PORT"],
                                sender=config.get("ALERT_EMAIL_FROM") or recipients[0], recipients=recipients,
                                username=config.get("SMTP_USERNAME", ""), password=config.get("SMTP_PASSWORD", ""),
                                security=config.get("SMTP_SECURITY", "starttls"))
        senders["email"] = lambda link: send_email(settings, link, config["SITE_NAME"])
    return senders


#: What the log calls each thing alerted about.
_NAMES = {ModerationItem: "moderation item", WelfareCheck: "welfare check"}


def _link(model, target_id: int) -> str:
    """The address of the item (or of the welfare check, in the queue) on the public site; the only thing about
    it an alert carries."""
    # A cron job has no request to build URLs from: a request context on SITE_URL lets url_for build the
    # same link the site itself would (SERVER_NAME would change how every request is routed instead).
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        if model is WelfareCheck:
            return url_for("moderation.queue", _anchor=f"welfare-{target_id}", _external=True)
        return url_for("moderation.item", item_id=target_id, _external=True)
