"""What a signed-in member does through the API: write posts and replies, send hearts, flag, mark
notifications read. Each goes through the same forms' rules, services and rate limits as the site."""
from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnprocessableEntity

from forum import limits
from forum.api.v1 import shapes
from forum.api.v1.access import member_required
from forum.api.v1.blueprint import bp
from forum.extensions import db
from forum.forms import SUBMISSION_KEY, FlagForm, PostForm, ReplyForm
from forum.models import FlagReason, Post, Reply
from forum.safe_input import MAX_ID
from forum.services import DomainError, NotAllowed
from forum.services.care import care_for_author
from forum.services.flags import AlreadyFlagged, ensure_can_flag, flag_content, has_flagged
from forum.services.hearts import set_heart
from forum.services.notifications.reading import mark_read, unread_count
from forum.services.posts import create_post
from forum.services.replies import add_reply
from forum.services.threads import crisis_signals
from forum.submissions import save_once
from forum.web_helpers import get_post, get_reply, viewer_country

IDEMPOTENCY_HEADER = "Idempotency-Key"


class InvalidInput(UnprocessableEntity):
    """A 422 that says, field by field, what to change; the JSON error carries `fields`."""

    def __init__(self, fields: dict[str, list[str]], message: str = "Some fields need another look."):
        super().__init__(description=message)
        self.fields = fields


def _payload(*, may_be_empty: bool = False) -> dict:
    """The request's JSON object (forum.safe_input already refused anything else that claimed to be JSON)."""
    if may_be_empty and not request.get_data():
        return {}
    payload = request.get_json(silent=True) if request.is_json else None
    if not isinstance(payload, dict):
        abort(400, description="Send a JSON object with Content-Type: application/json.")
    return payload


def _only_fields(payload: dict, names: tuple[str, ...]) -> dict:
    """The payload, when it holds no field but these (the document says so: additionalProperties false); a
    field this route doesn't take is a 422 naming it, rather than silently ignored."""
    unknown = sorted(name for name in payload if name not in names)
    if unknown:
        taken = ", ".join(names)
        raise InvalidInput({name: [f"This isn't a field this takes (it takes {taken})."] for name in unknown})
    return payload


def _text_fields(payload: dict, names: tuple[str, ...], also_takes: tuple[str, ...] = ()) -> MultiDict:
    """The named fields as a form would carry them; a field that isn't text, or one the route takes neither
    among these nor `also_takes` (fields it reads itself), is a 422 naming it."""
    _only_fields(payload, names + also_takes)
    wrong = {name: ["Send this as text."] for name in names
             if payload.get(name) is not None and not isinstance(payload[name], str)}
    if wrong:
        raise InvalidInput(wrong)
    return MultiDict({name: payload[name] for name in names if payload.get(name) is not None})


def _validated(form_class, formdata: MultiDict):
    """The site's own form for this write, filled from JSON: its messages and limits, unchanged."""
    form = form_class(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        raise InvalidInput({name: list(errors) for name, errors in form.errors.items()})
    return form


def _idempotency_key() -> str | None:
    """The client's key for this write: a retry carrying it finds what the first attempt made."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not SUBMISSION_KEY.fullmatch(key):
        raise InvalidInput({IDEMPOTENCY_HEADER: ["Use 16 to 64 letters, digits, _ or -."]})
    return key


def _refused(error: DomainError):
    """A rule of the forum said no: nothing half-done survives, and the client hears which rule."""
    db.session.rollback()
    if isinstance(error, NotAllowed):
        abort(403, description=error.message)
    raise InvalidInput({error.field or "body": [error.message]}, error.message)


def _care_for(post: Post) -> dict | None:
    """The help the site would show this author now, on this post's page."""
    return shapes.care(care_for_author(post, crisis_signals(post, current_user), current_user, viewer_country()))


@bp.post("/posts")
@member_required(writes=True)
@limits.new_posts
def create_post_view():
    form = _validated(PostForm, _text_fields(_payload(), ("title", "body", "tags", "content_warning")))
    try:
        answer, created = save_once(Post, current_user.id, _idempotency_key(), lambda key: create_post(
            current_user, form.title.data, form.body.data, form.tags.data or "", form.content_warning.data or "",
            submission_key=key),
            lambda post: {"post": shapes.post_in_full(post, hearted=False), "care": _care_for(post)})
    except DomainError as error:
        _refused(error)
    return jsonify(answer), 201 if created else 200


@bp.post("/posts/<int:post_id>/replies")
@member_required(writes=True)
@limits.new_replies
def create_reply_view(post_id: int):
    post = get_post(post_id)
    payload = _payload()
    form = _validated(ReplyForm, _text_fields(payload, ("body",), also_takes=("parent_id",)))
    parent = _parent(post, payload.get("parent_id"))
    try:
        answer, created = save_once(
            Reply, current_user.id, _idempotency_key(),
            lambda key: add_reply(current_user, post, form.body.data, parent, submission_key=key),
            lambda reply: {"reply": shapes.reply(reply, set()), "care": _care_for(reply.post)})
    except DomainError as error:
        _refused(error)
    return jsonify(answer), 201 if created else 200


def _parent(post: Post, parent_id) -> Reply | None:
    """The reply being answered, if any: one of this post's that the member can see."""
    if parent_id is None:
        return None
    if type(parent_id) is not int or not 1 <= parent_id <= MAX_ID:
        raise InvalidInput({"parent_id": ["Send the id of a reply on this post, as a number."]})
    parent = db.session.get(Reply, parent_id)
    if parent is None or parent.post_id != post.id:
        raise InvalidInput({"parent_id": ["That reply isn't on this post."]})
    get_reply(parent.id)  # one the member can't see is as good as not there: 404
    return parent


@bp.route("/posts/<int:post_id>/heart", methods=["PUT", "DELETE"])
@member_required(writes=True)
@limits.hearts
def heart_post(post_id: int):
    return _heart(get_post(post_id))


@bp.route("/replies/<int:reply_id>/heart", methods=["PUT", "DELETE"])
@member_required(writes=True)
@limits.hearts
def heart_reply(reply_id: int):
    return _heart(get_reply(reply_id))


def _heart(target: Post | Reply):
    """PUT sends a heart, DELETE takes it back: saying the state wanted makes a repeat change nothing."""
    hearted = request.method == "PUT"
    try:
        changed = set_heart(current_user, target, hearted)
    except DomainError as error:
        _refused(error)
    count = target.heart_count  # read before the commit, which expires it
    db.session.commit()
    return jsonify(hearted=hearted, heart_count=count, changed=changed)


@bp.post("/posts/<int:post_id>/flags")
@member_required(writes=True)
@limits.flags
def flag_post(post_id: int):
    return _flag(get_post(post_id))


@bp.post("/replies/<int:reply_id>/flags")
@member_required(writes=True)
@limits.flags
def flag_reply(reply_id: int):
    return _flag(get_reply(reply_id))


def _flag(content: Post | Reply):
    form = _validated(FlagForm, _text_fields(_payload(), ("reason", "note")))
    try:
        ensure_can_flag(current_user, content)
        if has_flagged(current_user, content):
            raise AlreadyFlagged("")
        flag = flag_content(current_user, content, FlagReason(form.reason.data), form.note.data or "",
                            current_app.config["FLAG_HIDE_THRESHOLD"])
    except AlreadyFlagged:
        db.session.rollback()
        abort(409, description="You've already flagged this. Thank you: moderators will look.")
    except DomainError as error:
        _refused(error)
    answer = {"flag": {"id": flag.id, "reason": flag.reason}}
    db.session.commit()
    return jsonify(answer), 201


@bp.post("/notifications/read")
@member_required(writes=True)
def mark_notifications_read():
    """Mark notifications read, up to `up_to` (the newest id the client showed) or all of them."""
    up_to = _only_fields(_payload(may_be_empty=True), ("up_to",)).get("up_to")
    if up_to is not None and (type(up_to) is not int or not 1 <= up_to <= MAX_ID):
        raise InvalidInput({"up_to": ["Send the id of the newest notification you showed, as a number."]})
    marked = mark_read(current_user, up_to)
    unread = unread_count(current_user)
    db.session.commit()
    return jsonify(marked=marked, unread=unread)
