"""`flask moderation alert`: a crisis item nobody has picked up in time reaches moderators outside the site, by
webhook and email, once, with its link only; off by default; a failed send is retried by the next run.

The webhook is a real HTTP server on the loopback and the mail goes to a real SMTP server here, not mocks."""
import json
import socketserver
import threading
from datetime import timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModerationItem, Priority, ReasonKind, WelfareCheck, utcnow
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.posts import delete_post
from tests.helpers import make_post

CRISIS_TEXT = "I want to die and I think tonight is the night."
SITE = "https://kindred.example"


class WebhookReceiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append({"path": self.path, "type": self.headers["Content-Type"], "body": body})
        self.send_response(self.server.answers.pop(0) if self.server.answers else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


class SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, EHLO, MAIL, RCPT, DATA, QUIT; every message kept."""

    def say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.say("220 sink.local ready")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].decode(errors="replace").upper()
            if verb in ("EHLO", "HELO"):
                self.say("250 sink.local")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.say("250 OK")
            elif verb == "DATA":
                self.say("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append((recipients, message_from_bytes(data)))
                self.say("250 OK")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                self.say("250 OK")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.messages = []


def serving(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
    server.received, server.answers = [], []
    serving(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp():
    server = SmtpSink()
    serving(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def overdue(app, member):
    """A crisis post whose item has waited 40 minutes with nobody picking it up."""
    post = make_post(member, title="Tonight", body=CRISIS_TEXT)
    item = db.session.scalars(select(ModerationItem)).one()
    assert item.priority == Priority.CRISIS
    item.opened_at = utcnow() - timedelta(minutes=40)
    db.session.commit()
    return post, item


def run_alerts(app):
    result = app.test_cli_runner().invoke(args=["moderation", "alert"])
    db.session.expire_all()
    return result


def alert_by_webhook(app, webhook):
    app.config.update(SITE_URL=SITE, MODERATOR_WEBHOOK_URL=f"http://127.0.0.1:{webhook.server_port}/hook")


def test_alerts_are_off_by_default(app, overdue, webhook):
    assert not app.config["MODERATOR_WEBHOOK_URL"] and not app.config["ALERT_EMAIL_TO"]
    result = run_alerts(app)
    assert result.exit_code == 0 and "Alerts are off" in result.output
    item = db.session.get(ModerationItem, overdue[1].id)
    assert item.webhook_alerted_at is None and item.email_alerted_at is None and webhook.received == []


def test_an_overdue_crisis_item_is_posted_to_the_webhook_once_with_its_link_only(app, overdue, webhook, member):
    post, item = overdue
    alert_by_webhook(app, webhook)
    result = run_alerts(app)
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    assert len(webhook.received) == 1
    request = webhook.received[0]
    assert request["path"] == "/hook" and request["type"] == "application/json"
    payload = json.loads(request["body"])
    assert payload["url"] == f"{SITE}/moderation/items/{item.id}" and payload["url"] in payload["text"]
    for private in (post.title, "want to die", member.username):
        assert private.encode() not in request["body"]
    assert run_alerts(app).exit_code == 0
    assert len(webhook.received) == 1, "each item is alerted once"
    assert db.session.get(ModerationItem, item.id).webhook_alerted_at is not None


@pytest.mark.parametrize("situation", ["not yet overdue", "a moderator acted", "a moderator claimed it",
                                       "not a crisis"])
def test_only_crisis_items_nobody_picked_up_in_time_are_alerted(app, member, moderator, webhook, situation):
    if situation == "not a crisis":
        post = make_post(member, title="Spam", body="Buy things. #Anxiety")
        item = add_reason(post, ReasonKind.FLAG.value, {"reason": "spam"}, Priority.AT_RISK_FLAG - 1)
    else:
        make_post(member, body=CRISIS_TEXT)
        item = db.session.scalars(select(ModerationItem)).one()
    item.opened_at = utcnow() - timedelta(minutes=5 if situation == "not yet overdue" else 40)
    if situation in ("a moderator acted", "a moderator claimed it"):
        take_action(moderator, item, item.version, "message" if situation == "a moderator acted" else "claim",
                    message_key="checking_in")
    db.session.commit()
    alert_by_webhook(app, webhook)
    assert "0 sent" in run_alerts(app).output and webhook.received == []


def test_a_failed_webhook_is_logged_and_sent_by_the_next_run(app, overdue, webhook, caplog):
    alert_by_webhook(app, webhook)
    webhook.answers = [500]
    result = run_alerts(app)
    assert result.exit_code == 1 and "the next run tries again" in result.output
    assert "answered 500" in caplog.text
    assert db.session.get(ModerationItem, overdue[1].id).webhook_alerted_at is None
    result = run_alerts(app)
    assert result.exit_code == 0 and "1 sent" in result.output and len(webhook.received) == 2
    assert run_alerts(app).exit_code == 0 and len(webhook.received) == 2


def test_an_unreachable_webhook_is_retried_too(app, overdue):
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = closed.server_address[1]  # bound, then closed below: nothing listens there
    app.config.update(SITE_URL=SITE, MODERATOR_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook")
    assert run_alerts(app).exit_code == 1
    assert db.session.get(ModerationItem, overdue[1].id).webhook_alerted_at is None


def test_an_overdue_crisis_item_is_emailed_once_with_its_link_only(app, overdue, smtp, member):
    post, item = overdue
    app.config.update(SITE_URL=SITE, ALERT_EMAIL_TO="mods@kindred.example, lead@kindred.example",
                      ALERT_EMAIL_FROM="alerts@kindred.example", SMTP_HOST="127.0.0.1",
                      SMTP_PORT=smtp.server_address[1], SMTP_SECURITY="none")
    result = run_alerts(app)
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["mods@kindred.example", "lead@kindred.example"]
    body = message.get_payload(decode=True).decode()
    assert f"{SITE}/moderation/items/{item.id}" in body
    for private in (post.title, "want to die", member.username):
        assert private not in body and private not in message["Subject"]
    run_alerts(app)
    assert len(smtp.messages) == 1
    assert db.session.get(ModerationItem, item.id).email_alerted_at is not None


def test_a_failed_email_leaves_the_webhook_alone_and_is_retried(app, overdue, webhook):
    alert_by_webhook(app, webhook)
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as closed:
        port = closed.server_address[1]
    app.config.update(ALERT_EMAIL_TO="mods@kindred.example", SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                      SMTP_SECURITY="none")
    assert run_alerts(app).exit_code == 1
    item = db.session.get(ModerationItem, overdue[1].id)
    assert item.webhook_alerted_at is not None and item.email_alerted_at is None
    assert run_alerts(app).exit_code == 1 and len(webhook.received) == 1


def test_alerts_need_the_sites_address_for_the_link(app, overdue, webhook):
    alert_by_webhook(app, webhook)
    app.config["SITE_URL"] = ""
    result = run_alerts(app)
    assert result.exit_code != 0 and "SITE_URL" in result.output and webhook.received == []


def test_a_reopened_crisis_item_can_alert_again(app, overdue, webhook, moderator, member):
    post, item = overdue
    alert_by_webhook(app, webhook)
    run_alerts(app)
    item = db.session.get(ModerationItem, item.id)
    take_action(moderator, item, item.version, "approve")
    db.session.commit()
    add_reason(post, ReasonKind.CRISIS.value, {"matches": []}, Priority.CRISIS)
    item.opened_at = utcnow() - timedelta(minutes=40)
    db.session.commit()
    run_alerts(app)
    assert len(webhook.received) == 2


def deleted_by_its_author(post, item):
    """The author deletes the overdue crisis post: its item goes, a welfare check stays in its place."""
    item.reasons[0].created_at = item.opened_at  # the crisis was raised when the item opened, 40 minutes ago
    db.session.commit()
    delete_post(post)
    db.session.commit()
    return db.session.scalars(select(WelfareCheck)).one()


def test_a_crisis_deleted_before_anyone_came_is_alerted_once_as_a_welfare_check(app, overdue, webhook, member):
    post, item = overdue
    title = post.title
    check = deleted_by_its_author(post, item)
    alert_by_webhook(app, webhook)
    result = run_alerts(app)
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    [request] = webhook.received
    assert json.loads(request["body"])["url"] == f"{SITE}/moderation/#welfare-{check.id}"
    for private in (title, "want to die", member.username):
        assert private.encode() not in request["body"]
    assert run_alerts(app).exit_code == 0 and len(webhook.received) == 1, "each check is alerted once"


@pytest.mark.parametrize("before", ["the item's alert went out", "a moderator claimed it"])
def test_a_welfare_check_does_not_alert_again_or_over_a_moderator(app, overdue, webhook, moderator, before):
    post, item = overdue
    alert_by_webhook(app, webhook)
    if before == "the item's alert went out":
        run_alerts(app)
        item = db.session.get(ModerationItem, item.id)
    else:
        take_action(moderator, item, item.version, "claim")
        db.session.commit()
    deleted_by_its_author(post, item)
    sent_before = len(webhook.received)
    assert "0 sent" in run_alerts(app).output and len(webhook.received) == sent_before
