"""The moderators' publishing rules: /moderation/words (watched words) and /moderation/tags (tidying hashtags)."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from forum.extensions import db
from forum.forms import EmptyForm
from forum.models import WatchedWord
from forum.moderation.access import moderate_blueprint
from forum.moderation.rules_forms import TagMergeForm, TagRenameForm, WatchedWordForm
from forum.services import DomainError
from forum.services.tag_admin import merge_tags, rename_tag, tags_for_tidying
from forum.services.watched import ACTION_LABELS, add_watched_word, delete_watched_word, list_watched_words
from forum.web_helpers import commit_or_flash_refusal, show_refusal

bp = Blueprint("moderation_rules", __name__, url_prefix="/moderation")
moderate_blueprint(bp)


def _submitted(form, change: Callable[[], str], default_field: str, endpoint: str):
    """Validate the form and make the change; commit, say what was done and redirect, or return None.

    A refused change puts its message beside the field it names, and the page is shown again with the
    moderator's input kept.
    """
    if not form.validate_on_submit():
        return None
    try:
        done = change()
    except DomainError as error:
        show_refusal(form, error, default_field)
        return None
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(endpoint))


@bp.get("/words")
def words(form: WatchedWordForm | None = None, status: int = 200):
    return render_template("moderation/words.html", form=form or WatchedWordForm(), words=list_watched_words(),
                           labels=ACTION_LABELS, delete_form=EmptyForm()), status


@bp.post("/words")
def add_word():
    form = WatchedWordForm()

    def add() -> str:
        word = add_watched_word(current_user, form.phrase.data, form.action.data, form.message.data or "")
        return f"Now watching for “{word.phrase}”."

    return _submitted(form, add, "phrase", "moderation_rules.words") or words(form=form, status=422)


@bp.post("/words/<int:word_id>/delete")
def delete_word(word_id: int):
    word = db.session.get(WatchedWord, word_id) or abort(404)
    phrase = word.phrase
    if commit_or_flash_refusal(lambda: delete_watched_word(current_user, word)):
        flash(f"No longer watching for “{phrase}”.", "info")
    return redirect(url_for("moderation_rules.words"))


@bp.get("/tags")
def tags(merge_form: TagMergeForm | None = None, rename_form: TagRenameForm | None = None, status: int = 200):
    query = request.args.get("q", "").strip()
    return render_template("moderation/tags.html", tags=tags_for_tidying(query), query=query,
                           merge_form=merge_form or TagMergeForm(formdata=None),
                           rename_form=rename_form or TagRenameForm(formdata=None)), status


@bp.post("/tags/merge")
def merge():
    form = TagMergeForm()

    def merge_them() -> str:
        detail = merge_tags(current_user, form.source.data, form.target.data).detail
        return (f"Merged #{detail['from']} into #{detail['into']} ({detail['posts']} posts). "
                f"Links to #{detail['from']} now lead to #{detail['into']}.")

    return _submitted(form, merge_them, "source", "moderation_rules.tags") or tags(merge_form=form, status=422)


@bp.post("/tags/rename")
def rename():
    form = TagRenameForm()

    def respell() -> str:
        detail = rename_tag(current_user, form.tag.data, form.spelling.data).detail
        return f"#{detail['from']} is now written #{detail['to']}."

    return _submitted(form, respell, "spelling", "moderation_rules.tags") or tags(rename_form=form, status=422)
