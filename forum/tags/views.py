"""Browsing by hashtag; following and muting tags; the "My tags" feed."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.errors import wants_json
from forum.extensions import db, limiter
from forum.models import Hashtag
from forum.page_cache import remembered
from forum.services import feeds, following
from forum.services.tags import known_hashtag
from forum.services.visibility import knows_tag
from forum.web_helpers import guide_library, page_of

bp = Blueprint("tags", __name__)

#: What each button does: (service call, mode it sets or clears, what we tell the member).
TAG_ACTIONS = {
    "follow": (following.set_tag_mode, following.FOLLOW,
               "You're following #{name}. Its posts will gather on your My tags page."),
    "unfollow": (following.clear_tag_mode, following.FOLLOW, "You're no longer following #{name}."),
    "mute": (following.set_tag_mode, following.MUTE,
             "#{name} is muted. Its posts won't appear in your feeds; its page is still here if you want it."),
    "unmute": (following.clear_tag_mode, following.MUTE, "#{name} is unmuted. Its posts can reach your feeds again."),
}


def _known_tag_or_404(name: str) -> Hashtag:
    """The tag of this name (or the one it was merged into) if the viewer may know it exists, else 404."""
    return known_hashtag(current_user, name.lstrip("#")) or abort(404)


@bp.get("/tags")
def index():
    return render_template("tags/index.html", page=page_of(feeds.tag_index))


# Not under /tags/, so a tag spelled #following (or anything else) keeps its own page.
@bp.get("/my-tags")
@login_required
def my_tags():
    page = page_of(following.my_tags, current_user)
    followed = following.followed_tags(current_user)
    return render_template("tags/my_tags.html", page=page, followed=followed,
                           muted=following.muted_tags(current_user),
                           suggestions=following.suggested_tags(current_user) if not page.items else [])


@bp.get("/tags/<name>")
def show(name: str):
    found = following.tag_with_mode_and_followers(current_user, name.lstrip("#"))
    if found is None:
        abort(404)
    tag, mode, followers = found
    if tag.merged_into_id is not None:  # moderators merged it: old links lead to the tag it became
        target = db.session.get(Hashtag, tag.merged_into_id)
        if target is not None:
            if not knows_tag(current_user, target):
                abort(404)
            return redirect(url_for("tags.show", name=target.name), code=301)
    # A tag whose every post is hidden, held or removed isn't there, as for a name nobody used: its spelling
    # alone could say who a removed post was about. Having followed or muted it, the member met it already.
    if mode is None and not knows_tag(current_user, tag):
        abort(404)
    return render_template("tags/show.html", tag=tag, page=page_of(feeds.tagged, current_user, tag),
                           mode=mode, followers=followers, related=_related_tag_names(tag),
                           guides=guide_library().tagged(tag.name))


def _related_tag_names(tag: Hashtag) -> tuple[str, ...]:
    """"Often shared with": the same for every viewer (drawn from the posts everyone may see), so it is kept
    until the next write anywhere: its query is the tag page's costliest (~2 ms at 100k posts)."""
    return remembered(("related-tags", tag.id),
                      lambda: tuple(other.name for other in following.related_tags(None, tag)))


@bp.post("/tags/<name>/<any(follow, unfollow, mute, unmute):action>")
@login_required
@limiter.limit("300 per hour")
def change_mode(name: str, action: str):
    tag = _known_tag_or_404(name)  # a merged tag's buttons follow what it became, as its page does
    change, mode, message = TAG_ACTIONS[action]
    changed = change(current_user, tag, mode)
    db.session.commit()
    if wants_json():
        return jsonify(tag=tag.name, mode=following.tag_mode(current_user, tag), changed=changed,
                       followers=following.follower_count(tag))
    flash(message.format(name=tag.name), "success")
    # The one other place these buttons live; anything else goes back to the tag's page (no open redirect).
    if request.form.get("back") == "my-tags":
        return redirect(url_for("tags.my_tags"))
    return redirect(url_for("tags.show", name=tag.name))
