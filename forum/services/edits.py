"""Edits that can be sent twice, or from two tabs, without doubling or silently losing anything.

An edit form carries the version of the words it was opened on (`post_version` / `reply_version`, a
fingerprint of the stored text). When it comes back:
- if it asks for exactly what is stored already, nothing is done: a retried send whose answer was lost,
  or Save pressed without a change, makes no revision and no second review;
- if the words changed since the form was opened (another tab, another device, a moderator's content
  warning), the edit is refused with `EditConflict`, the member's text kept, so neither version is lost
  without the member seeing both;
- otherwise it is applied as any edit.
"""
from __future__ import annotations

import hashlib

from forum.hashtags import hashtag_key
from forum.models import Post, Reply
from forum.services import DomainError
from forum.services.tags import collect_hashtags


class EditConflict(DomainError):
    """The words changed after the edit form was opened."""


CONFLICT_MESSAGE = ("This was changed after you opened this page, perhaps in another tab. What is saved now is "
                    "shown below, and your version is still in the box: save again to replace it with yours.")


def _version_of(*texts: str) -> str:
    digest = hashlib.sha256("\x1f".join(texts).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def _tag_keys(names) -> str:
    return " ".join(sorted({hashtag_key(name) for name in names}))


def post_version(post: Post) -> str:
    return _version_of(post.title, post.body, _tag_keys(tag.name for tag in post.hashtags), post.content_warning or "")


def reply_version(reply: Reply) -> str:
    return _version_of(reply.body)


def post_edit_changes_nothing(post: Post, title: str, body: str, tags_field: str, content_warning: str | None) -> bool:
    """Whether saving these words would leave the post as it is (the same normalising as `edit_post`)."""
    if title.strip() != post.title or body != post.body:
        return False
    if content_warning is not None and content_warning.strip() != (post.content_warning or ""):
        return False
    try:
        names = collect_hashtags(title, body, tags_field)
    except DomainError:
        return False  # the edit will be refused with the reason; let it say so
    return _tag_keys(names) == _tag_keys(tag.name for tag in post.hashtags)


def reply_edit_changes_nothing(reply: Reply, body: str) -> bool:
    return body == reply.body


def refuse_stale_edit(based_on: str | None, current: str) -> None:
    """Refuse an edit opened on words that have changed since. A form without a version (an old page, a
    script) is let through as before."""
    if based_on and based_on != current:
        raise EditConflict(CONFLICT_MESSAGE, "body")
