"""A post's page, writing and editing posts and replies, and hearts."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from forum import limits
from forum.errors import wants_json
from forum.extensions import db
from forum.forms import (
    CSRF_EXPIRED_HINT,
    EmptyForm,
    HeartForm,
    PostForm,
    ReplyForm,
    form_checks_csrf,
)
from forum.models import Post, Reply
from forum.pagination import BadCursor, decode_cursor
from forum.safe_input import parse_id
from forum.services import DomainError, Gone, NotAllowed
from forum.services.acknowledgement import thank_everyone, unacknowledged_replies, usual_first_reply_wait
from forum.services.care import (
    LEVEL_RANK,
    care_for_author,
    care_for_unsent,
    own_reply_in_distress,
    replies_need_gentleness,
    signals_distress,
    someone_else_in_crisis,
)
from forum.services.hearts import hearted_in_thread, set_heart
from forum.services.posts import (
    create_post,
    delete_post,
    tags_not_in_body,
)
from forum.services.replies import add_reply, delete_reply
from forum.services.threads import CURSOR_KINDS, cursor_for, cursor_for_new_reply, thread_page, visible_reply
from forum.submissions import SUBMITTED, Landing, create_once
from forum.timewords import about_how_long
from forum.web_helpers import form_status, get_post, get_reply, show_refusal, viewer_country

bp = Blueprint("posts", __name__)

#: Said beside a reply whose parent went away while it was written (the words stay, to answer the post).
PARENT_GONE = ("The reply you were answering isn't here any more: it may have been deleted or hidden while you "
               "wrote. Your words are still here, and you can send them as a reply to the post.")

#: Where the author's help panel sits on a post's page: words that signalled crisis or distress land there.
HELP_ANCHOR = "help-for-you"


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
@limits.new_posts
@form_checks_csrf
def new():
    form = PostForm()
    if form.validate_on_submit():
        try:
            return create_once(Post, current_user.id, form.submission_key_value(), lambda key: create_post(
                current_user, form.title.data, form.body.data, form.tags.data or "", form.content_warning.data or "",
                submission_key=key), _new_post_landing)
        except DomainError as error:
            show_refusal(form, error, "body")
    unsent_care = care_for_unsent((form.title.data, form.body.data), viewer_country()) if form.is_submitted() \
        else None
    return render_template("posts/compose.html", form=form, post=None, csrf_hint=CSRF_EXPIRED_HINT,
                           unsent_care=unsent_care), form_status(form)


def _new_post_landing(post: Post) -> Landing:
    if post.is_visible:
        said = ("Your post is up. Thank you for sharing it with us.", "success")
    else:
        said = ("Thank you for sharing this. Your post is waiting for a moderator and will appear "
                "once they've looked at it; you can see it meanwhile.", "info")
    return Landing(_post_url(post), [said])


@bp.get("/posts/<int:post_id>")
def show(post_id: int):
    post = get_post(post_id)
    form = ReplyForm(**_visitor_form_options())
    # Only a reply this reader can see may be answered: a hidden one's id must not come back as a form.
    reply_to = parse_id(request.args.get("reply_to"))
    if reply_to is not None and visible_reply(post, current_user, reply_to) is not None:
        form.parent_id.data = str(reply_to)
    # The key of a form that just went through: the browser lets go of that draft (static/js/kindred.js).
    # Only taken when there: popping a missing key still marks the session changed, and sends a cookie.
    submitted = session.pop(SUBMITTED) if SUBMITTED in session else None
    return _render_post_page(post, form, submitted=submitted)


def _visitor_form_options() -> dict:
    """A visitor can't send the page's forms (they sign in first), so theirs make no CSRF token: making one
    starts a session, and a cookie, for someone who only reads (and keeps their page out of the page cache)."""
    return {} if current_user.is_authenticated else {"meta": {"csrf": False}}


@bp.get("/posts/<int:post_id>/replies/<int:reply_id>")
def reply_link(post_id: int, reply_id: int):
    """A lasting link to one reply: the page of the post that holds it, scrolled to it."""
    post = get_post(post_id)
    reply_ = visible_reply(post, current_user, reply_id)
    if reply_ is None:  # hidden from this viewer, or never here: the same 404, so nothing leaks
        abort(404)
    return redirect(_reply_url(reply_))


def _reply_url(reply_: Reply, *, to_help: bool = False, known_page: Sequence[str | None] = ()) -> str:
    """The page holding the reply (`known_page`: [its cursor] when already found), scrolled to it, or to the
    author's help above it when `to_help`."""
    after = known_page[0] if known_page else cursor_for(reply_, current_user, current_app.config["REPLIES_PER_PAGE"])
    return url_for("posts.show", post_id=reply_.post_id, after=after,
                   _anchor=HELP_ANCHOR if to_help else f"reply-{reply_.id}")


def _post_url(post: Post) -> str:
    """Where the author goes after writing the post: to the help first if their words signalled distress."""
    return url_for("posts.show", post_id=post.id, _anchor=HELP_ANCHOR if signals_distress(post) else None)


def _flashes_under_help() -> list[tuple[str, str]]:
    """Take this request's flashed messages from base.html's place above the page, to show under the help.

    Someone in crisis should meet the help first, not "Your post is up". Flask keeps pending flashes in the
    session under `_flashes`; once taken, base.html finds none.
    """
    return session.pop("_flashes") if "_flashes" in session else []


def _render_post_page(post: Post, reply_form: ReplyForm, status: int = 200, submitted: str | None = None,
                      refused: bool = False):
    """The post's page; `refused`: the reply form was sent and refused, and comes back with its words."""
    try:
        page = thread_page(post, current_user, request.args.get("after"), current_app.config["REPLIES_PER_PAGE"])
    except BadCursor:
        abort(400)
    threads = page.threads
    reply_ids = [reply.id for reply in page.replies()]
    # Care answers the whole conversation, not only the page of it on screen.
    signals = page.replies() if page.signals is None else page.signals
    is_author = current_user.is_authenticated and current_user.id == post.author_id
    care = care_for_author(post, signals, current_user, viewer_country())
    in_crisis = care is not None and care.is_crisis
    # Someone in crisis is not handed chores: no wait estimate, and no asking them to thank their repliers.
    waiting = unacknowledged_replies(post) if is_author and not in_crisis else []
    usual_wait = None
    # "Posts with these hashtags" needs hashtags.
    if is_author and post.hashtags and post.first_response_at is None and post.is_visible and not in_crisis:
        found = usual_first_reply_wait([tag.id for tag in post.hashtags])
        usual_wait = (about_how_long(found[0]), found[1]) if found else None
    own_reply = own_reply_in_distress(page.replies(), current_user) if care else None
    # Help for the words that came back takes the panel's place, unless the author's help here is stronger.
    unsent_care = care_for_unsent((reply_form.body.data,), viewer_country(), reply=True) if refused else None
    if unsent_care and care and LEVEL_RANK[care.level] > LEVEL_RANK[unsent_care.level]:
        unsent_care = None
    hearted_post, hearted_replies = hearted_in_thread(current_user, post.id, reply_ids)
    return render_template(
        "posts/show.html", post=post, page=page, threads=threads, reply_form=reply_form,
        heart_form=HeartForm(**_visitor_form_options()), csrf_hint=CSRF_EXPIRED_HINT,
        care=care, care_context="published", help_anchor=HELP_ANCHOR, unsent_care=unsent_care,
        flashes_under_help=_flashes_under_help() if care else [], own_reply=own_reply,
        show_care_note=someone_else_in_crisis(post, signals, current_user),
        gentle_replies=replies_need_gentleness(post, signals, current_user),
        is_author=is_author, chip_tags=tags_not_in_body(post),
        unacknowledged_ids={reply.id for reply in waiting}, usual_wait=usual_wait,
        thank_form=EmptyForm(**_visitor_form_options()),
        hearted_post=hearted_post, hearted_replies=hearted_replies, submitted=submitted,
    ), status


@bp.post("/posts/<int:post_id>/thank")
@login_required
def thank_everyone_view(post_id: int):
    """The author hearts every reply they haven't answered or hearted yet, in one go."""
    post = get_post(post_id, check_author=True)
    try:
        thanked = thank_everyone(current_user, post)
    except NotAllowed as error:
        abort(403, description=error.message)
    db.session.commit()
    flash(f"You sent {thanked} heart{'s' if thanked != 1 else ''}. Thank you for thanking them." if thanked
          else "Everyone has already heard from you.", "success")
    return redirect(url_for("posts.show", post_id=post_id, _anchor="replies"))


def _delete_once(delete) -> None:
    """Delete and commit; the same delete sent twice at once (a double click) finds its row Gone: the other
    request did it, and both answer alike."""
    try:
        delete()
    except Gone:
        db.session.rollback()
    else:
        db.session.commit()


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id: int):
    post = get_post(post_id, check_author=True)
    if request.method == "POST":
        _delete_once(lambda: delete_post(post))
        flash("Your post and its replies are deleted.", "info")
        return redirect(url_for("feed.latest"))
    return render_template("posts/confirm_delete.html", thing="post", post=post, form=EmptyForm(),
                           cancel_url=url_for("posts.show", post_id=post.id))


@bp.post("/posts/<int:post_id>/replies")
@login_required
@limits.new_replies
@form_checks_csrf
def reply(post_id: int):
    post = get_post(post_id)
    form = ReplyForm()
    if form.validate_on_submit():
        parent_id = parse_id(form.parent_id.data)
        parent = _parent_reply(post, parent_id)
        if parent_id is not None and parent is None:
            # Its author deleted it, or a moderator hid it, while the member wrote: their words stay in the box,
            # ready to answer the post itself.
            form.parent_id.data = ""
            form.body.errors = [*form.body.errors, PARENT_GONE]
            return _render_post_page(post, form, status=409, refused=True)
        # The page the new reply will be on, found before it is written: the write then holds SQLite briefly.
        after = cursor_for_new_reply(post, current_user, parent, current_app.config["REPLIES_PER_PAGE"])
        made: list[Reply] = []

        def write(key: str | None) -> Reply:
            made.append(add_reply(current_user, post, form.body.data, parent, submission_key=key))
            return made[0]

        try:
            return create_once(Reply, current_user.id, form.submission_key_value(), write,
                               # a resubmit lands where the first submit's reply is
                               lambda reply_: _new_reply_landing(reply_, [after] if reply_ in made else []))
        except DomainError as error:
            show_refusal(form, error, "body")
    return _render_post_page(post, form, status=422, refused=True)


def _new_reply_landing(reply_: Reply, known_page: Sequence[str | None]) -> Landing:
    """Where the member lands after writing `reply_`: its page ([its cursor] when already found), scrolled to it."""
    if not signals_distress(reply_):
        return Landing(_reply_url(reply_, known_page=known_page))
    # They land on the help, far above their reply: say it went through, under the help.
    if reply_.is_visible:
        said = ("Your reply is up. Thank you for sharing it with us.", "success")
    else:
        said = ("Thank you for sharing this. Your reply is waiting for a moderator and will appear "
                "once they've looked at it; you can see it meanwhile.", "info")
    return Landing(_reply_url(reply_, to_help=True, known_page=known_page), [said])


def _parent_reply(post: Post, parent_id: int | None) -> Reply | None:
    """The reply being answered, or None: none named, or none this member can see on this post (deleted, hidden
    from them, never here, or on another post, all answered alike, so a hidden reply can't be probed)."""
    return visible_reply(post, current_user, parent_id) if parent_id is not None else None


@bp.route("/replies/<int:reply_id>/delete", methods=["GET", "POST"])
@login_required
def delete_reply_view(reply_id: int):
    reply_ = get_reply(reply_id, check_author=True)
    post_id = reply_.post_id
    if request.method == "POST":
        _delete_once(lambda: delete_reply(reply_))
        flash("Your reply is deleted.", "info")
        return redirect(url_for("posts.show", post_id=post_id, _anchor="replies"))
    return render_template("posts/confirm_delete.html", thing="reply", post=reply_.post, form=EmptyForm(),
                           cancel_url=url_for("posts.reply_link", post_id=post_id, reply_id=reply_.id))


@bp.post("/posts/<int:post_id>/heart")
@login_required
@limits.hearts
def heart_post(post_id: int):
    post = get_post(post_id)
    return _heart(post, lambda: url_for("posts.show", post_id=post.id, _anchor="post"))


@bp.post("/replies/<int:reply_id>/heart")
@login_required
@limits.hearts
def heart_reply(reply_id: int):
    reply_ = get_reply(reply_id)
    return _heart(reply_, lambda: _reply_url(reply_, known_page=_page_the_button_was_on()))


def _page_the_button_was_on() -> list[str | None]:
    """[the cursor of the conversation's page the heart button was on] when the form says so (None: the
    first page), else [] and the reply's page is worked out (a form without it, or with a cursor that isn't one).

    Trusting it is safe: a heart moves nothing, so the reply is still on that page, and a member who sends
    another cursor only sends themselves to another page of the same post.
    """
    page = request.form.get("page")
    if page is None:
        return []
    if page == "":
        return [None]
    try:
        decode_cursor(page, CURSOR_KINDS)
    except BadCursor:
        return []
    return [page]


def _heart(target: Post | Reply, back_to: Callable[[], str]):
    """Set the member's heart; scripts get the new count, a plain form goes back where the heart was (worked
    out only then: finding a reply's page costs two queries a script's heart doesn't need)."""
    form = HeartForm()
    hearted = form.hearted.data != "0"
    # Worked out before the heart is written (a heart moves nothing on the page), so the write is short, and
    # before the commit: nothing after it may fail.
    landing = None if wants_json() else back_to()
    try:
        set_heart(current_user, target, hearted)
    except NotAllowed as error:
        abort(403, description=error.message)
    count = target.heart_count  # read before the commit, which expires it
    db.session.commit()
    if landing is None:
        return jsonify(hearted=hearted, count=count)
    return redirect(landing)
