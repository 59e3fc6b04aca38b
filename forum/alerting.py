"""Outbound alerts to moderators: a webhook POST and an email. Pure of Flask and of the database.

An alert carries a link to the moderation item and fixed words, never what the member wrote nor their
name: webhooks and mailboxes live on other people's servers, and nothing about members leaves ours.
"""
from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage

ALERT_WORDS = "A crisis item has been waiting for a moderator longer than it should. Please open it:"


class AlertFailed(Exception):
    """The alert did not go out; the caller keeps the item unalerted so the next run tries again."""


def webhook_payload(link: str) -> dict[str, str]:
    """The JSON a webhook receives: `text` for chat tools (Slack, Mattermost, Matrix bridges), `url` for scripts."""
    return {"text": f"{ALERT_WORDS} {link}", "url": link}


def post_webhook(url: str, link: str, timeout: float = 10.0) -> None:
    """POST the alert as JSON; anything but a 2xx answer is a failure."""
    request = urllib.request.Request(url, data=json.dumps(webhook_payload(link)).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "Kindred alerts"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the operator's URL)
            if not 200 <= response.status < 300:
                raise AlertFailed(f"the webhook answered {response.status}")
    except urllib.error.HTTPError as error:
        raise AlertFailed(f"the webhook answered {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise AlertFailed(f"the webhook could not be reached: {getattr(error, 'reason', error)}") from None


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    username: str = ""
    password: str = ""
    #: "starttls" (port 587), "ssl" (port 465) or "none" (a relay on localhost).
    security: str = "starttls"
    timeout: float = 10.0


def alert_email(settings: SmtpSettings, link: str, site_name: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{site_name}: a crisis item is waiting for a moderator"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message.set_content(f"{ALERT_WORDS}\n\n{link}\n\nNothing about the member is in this email; "
                        "sign in to read the item.\n")
    return message


def send_email(settings: SmtpSettings, link: str, site_name: str) -> None:
    """Send the alert through the operator's SMTP server."""
    message = alert_email(settings, link, site_name)
    try:
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise AlertFailed(f"the email could not be sent: {error}") from None
