"""Writing, editing and deleting posts."""
from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import select

from forum.extensions import db
from forum.hashtags import hashtag_key
from forum.markup import extract_hashtags
from forum.models import Hashtag, ModerationAction, Post, PostStatus, Revision, User, utcnow
from forum.services.accounts import ensure_can_participate
from forum.services.erasure import forget_kept_copies, forget_unused_hashtags
from forum.services.moderation.welfare import keep_welfare_checks_under
from forum.services.notifications.sending import notify_mentions, notify_tag_followers
from forum.services.safety import assess_and_escalate
from forum.services.tags import (
    collect_hashtags,
    hashtags_named,
    locked_status,
    note_spellings,
    tag_counts_changed,
)
from forum.services.text import ensure_something_shows, excerpt, render_body
from forum.services.watched import apply_watched_words, refuse_blocked_words, watched_warnings


def _apply_text(post: Post, names: list[str], title: str, body: str, visible: bool) -> None:
    """Set title, body and hashtags, and move the counts of the tags a visible post gained or lost."""
    before = {tag.id for tag in post.hashtags}
    post.title = title.strip()
    post.body = body
    post.body_html = render_body(body)
    post.excerpt = excerpt(body)
    post.hashtags = hashtags_named(names)
    db.session.flush()
    tag_counts_changed(visible, before, visible, {tag.id for tag in post.hashtags})
    note_spellings([tag for tag in post.hashtags if tag.id not in before], names)


def create_post(author: User, title: str, body: str, tags_field: str = "", content_warning: str = "",
                submission_key: str | None = None) -> Post:
    ensure_can_participate(author)
    ensure_something_shows(body, title)
    names = collect_hashtags(title, body, tags_field)  # refuse bad input before touching the session
    refuse_blocked_words(title, body)
    now = utcnow()
    post = Post(author=author, status=PostStatus.VISIBLE.value, created_at=now, last_activity_at=now,
                reply_count=0, heart_count=0, content_warning=content_warning.strip(), submission_key=submission_key)
    db.session.add(post)
    _apply_text(post, names, title, body, visible=True)  # tags start from none, so they all count once
    apply_watched_words(post, author)
    assess_and_escalate(post)
    notify_tag_followers(post)
    notify_mentions(post)
    return post


def edit_post(post: Post, title: str, body: str, tags_field: str = "", content_warning: str | None = None) -> Post:
    ensure_can_participate(post.author)
    ensure_something_shows(body, title)
    names = collect_hashtags(title, body, tags_field)
    refuse_blocked_words(title, body)
    visible = locked_status(post) == PostStatus.VISIBLE.value
    keep_revision(post)
    before = {tag.id for tag in post.hashtags}
    _apply_text(post, names, title, body, visible)
    # A tag edited out of the last post using it goes, as when that post is deleted: it can name someone.
    forget_unused_hashtags(before - {tag.id for tag in post.hashtags})
    post.edited_at = utcnow()
    # Checked on the new text: a watched word's warning goes with the word, a moderator's stays regardless.
    if content_warning is not None and not warned_by_moderators(post):
        post.content_warning = content_warning.strip()
    apply_watched_words(post, post.author)
    assess_and_escalate(post)
    return post


def warned_by_moderators(post: Post) -> bool:
    """Whether the post's content warning is the moderators', which the author's edits leave as it is.

    Told from what is already stored: a moderator's warning is a "content_warning" action in the audit log
    that no one undid (undo is how a moderator takes it off again); a watched word's is the warning that
    word gives, for as long as the word is in the text.
    """
    if not post.content_warning:
        return False
    set_by_moderators = db.session.scalars(select(ModerationAction.detail).where(
        ModerationAction.post_id == post.id, ModerationAction.action == "content_warning",
        ModerationAction.undone_at.is_(None)))
    if any((detail or {}).get("content_warning") == post.content_warning for detail in set_by_moderators):
        return True
    return post.content_warning in watched_warnings(post)


def delete_post(post: Post) -> None:
    """Delete the post with its replies and hearts: a member's words are theirs to take back."""
    visible = locked_status(post) == PostStatus.VISIBLE.value
    tag_ids = [tag.id for tag in post.hashtags]
    tag_counts_changed(visible, tag_ids, False, ())
    # An open crisis on the post or a reply under it would vanish with its item: moderators keep who to reach.
    keep_welfare_checks_under(post)
    # Revisions, moderation items and their reasons, and flags go with the row (ON DELETE CASCADE).
    forget_kept_copies(post)
    db.session.delete(post)
    db.session.flush()
    forget_unused_hashtags(tag_ids)


def extra_tags_field(post: Post) -> str:
    """The composer's tags field for editing: the post's tags that its title and body don't name."""
    named = extract_hashtags(post.title, limit=None) + extract_hashtags(post.body, limit=None)
    in_text = {hashtag_key(name) for name in named}
    return " ".join(f"#{tag.name}" for tag in post.hashtags if tag.key not in in_text)


class _HashtagLinks(HTMLParser):
    """The hashtags a rendered body already shows as links (<a class="hashtag">#Name</a>)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: set[str] = set()
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "a" and ("class", "hashtag") in attrs

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.keys.add(hashtag_key(data.lstrip("#")))


def tags_not_in_body(post: Post) -> list[Hashtag]:
    """The post's hashtags its rendered body doesn't already link, for the chips under it: a tag typed in the
    text and again in the tags field showed twice. Read from the body's HTML, the same parse readers see."""
    links = _HashtagLinks()
    links.feed(post.body_html or "")
    links.close()
    return [tag for tag in post.hashtags if tag.key not in links.keys]


def keep_revision(content) -> None:
    """Keep the words an edit replaces, so moderators can see what changed."""
    db.session.add(Revision(post_id=content.id if isinstance(content, Post) else None,
                            reply_id=None if isinstance(content, Post) else content.id,
                            title=getattr(content, "title", ""), body=content.body, replaced_at=utcnow()))
