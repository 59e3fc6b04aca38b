"""Moderators' publishing rules: watched words and the new-member hold.

`find_watched` is pure: text and rules in, matches out. The rest reads the moderators' list, changes the
content and flushes, like every service.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as SessionBase

from forum.extensions import db
from forum.hashtags import WORD_CHARS
from forum.models import (
    ItemStatus,
    ModerationAction,
    Post,
    PostStatus,
    Priority,
    ReasonKind,
    Reply,
    User,
    WatchedAction,
    WatchedWord,
    utcnow,
)
from forum.services import DomainError
from forum.services.moderation.authority import ensure_may_delete_watched_word
from forum.services.moderation.queue import add_reason, item_for, open_reasons
from forum.services.tags import tag_counts_changed

PHRASE_MAX = 200
MESSAGE_MAX = 500
#: Content warnings are stored in a 100-character column.
WARNING_MAX = 100

ACTION_LABELS = {
    WatchedAction.BLOCK.value: "Block: the member is asked to change it",
    WatchedAction.REQUIRE_APPROVAL.value: "Hold for a moderator's approval",
    WatchedAction.FLAG.value: "Publish, and add to the queue",
    WatchedAction.CONTENT_WARNING.value: "Publish behind a content warning",
}
AFTER_WRITING = (WatchedAction.REQUIRE_APPROVAL.value, WatchedAction.FLAG.value, WatchedAction.CONTENT_WARNING.value)


# --- Matching (pure) -------------------------------------------------------------------------------------------

class WatchedLike(Protocol):
    phrase: str
    action: str
    message: str


@dataclass(frozen=True)
class WatchRule:
    """A watched word as plain, hashable data, so compiled patterns can be cached by the list's content."""

    phrase: str
    action: str
    message: str = ""


class Found(NamedTuple):
    """A watched word found in a text; text[start:end] is what the member wrote."""

    word: WatchedLike
    start: int
    end: int


_SPACES = re.compile(r"\s+")
# Watched words end where hashtags do (WORD_CHARS keeps combining marks, which \w alone would drop).
_WORD_CHAR = re.compile(f"[{WORD_CHARS}]")
_NOT_AFTER_WORD = f"(?<![{WORD_CHARS}])"
_NOT_BEFORE_WORD = f"(?![{WORD_CHARS}])"


def normalise_phrase(phrase: str) -> str:
    """How a phrase is stored: NFKC, lower case, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", phrase)).strip().lower()


def phrase_key(phrase: str) -> str:
    """The identity two phrases share when they differ only in case, width or spacing."""
    return normalise_phrase(phrase).casefold()


def find_watched(text: str, words: Sequence[WatchedLike]) -> list[Found]:
    """Every watched word in the text, in order of where it starts.

    Case-insensitive, NFKC-normalised, on word boundaries; a phrase's words match across any whitespace.
    Words with different actions are searched separately, so a longer phrase never hides a shorter one
    that asks for something else.
    """
    if not text or not words:
        return []
    rules = tuple(WatchRule(w.phrase, w.action, getattr(w, "message", "") or "") for w in words)
    normalised, starts, ends = _normalise_with_offsets(text)
    found: list[Found] = []
    for pattern, by_key, indices in _compiled(rules):
        for match in pattern.finditer(normalised):
            index = by_key.get(phrase_key(match.group()))
            if index is None:
                index = _which(rules, indices, match.group())
            start, end = match.span()
            if starts is not None:
                start, end = starts[start], ends[end - 1]
            found.append(Found(words[index], start, end))
    return sorted(found, key=lambda f: (f.start, -f.end))


def _phrase_pattern(phrases: Iterable[str]) -> str:
    """Phrases as one regex trie (shared beginnings written once), a phrase's spaces matching any whitespace.

    A trie keeps matching fast with hundreds of phrases, and greedy branches prefer the longest phrase.
    """
    root: dict = {}
    for phrase in phrases:
        node = root
        for char in normalise_phrase(phrase):
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        options = [(r"\s+" if char == " " else re.escape(char)) + branch(child)
                   for char, child in sorted(node.items()) if char]
        if not options:
            return ""
        if len(options) == 1 and "" not in node:
            return options[0]
        return "(?:" + "|".join(options) + ("|" if "" in node else "") + ")"

    return branch(root)


@lru_cache(maxsize=16)
def _compiled(rules: tuple[WatchRule, ...]) -> list[tuple[re.Pattern, dict[str, int], list[int]]]:
    """One pattern per action, with a map from a match back to its rule.

    Word boundaries apply only where a phrase begins or ends in a word character ("#pills" or "c++" are
    watched as written), so phrases are grouped by the shape of their ends.
    """
    by_action: dict[str, list[int]] = {}
    for index, rule in enumerate(rules):
        if normalise_phrase(rule.phrase):
            by_action.setdefault(rule.action, []).append(index)
    compiled = []
    for indices in by_action.values():
        by_ends: dict[tuple[bool, bool], list[str]] = {}
        for i in indices:
            phrase = normalise_phrase(rules[i].phrase)
            ends = (bool(_WORD_CHAR.match(phrase[0])), bool(_WORD_CHAR.match(phrase[-1])))
            by_ends.setdefault(ends, []).append(phrase)
        pattern = "|".join((_NOT_AFTER_WORD if starts_word else "") + f"(?:{_phrase_pattern(phrases)})"
                           + (_NOT_BEFORE_WORD if ends_word else "")
                           for (starts_word, ends_word), phrases in by_ends.items())
        lookup = {phrase_key(rules[i].phrase): i for i in reversed(indices)}
        compiled.append((re.compile(pattern, re.IGNORECASE), lookup, indices))
    return compiled


def _which(rules: tuple[WatchRule, ...], indices: list[int], matched: str) -> int:
    """The rule a match came from when case folding hides it from the lookup (e.g. "ſ" for "s")."""
    return next(i for i in indices if re.fullmatch(_phrase_pattern([rules[i].phrase]), matched, re.IGNORECASE))


def _normalise_with_offsets(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFKC-normalise text, with each normalised character's start and end in the original (None: unchanged)."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    # Normalise a letter with the marks that follow it, so composed characters map back to all of theirs.
    for position in range(1, len(text) + 1):
        if position < len(text) and unicodedata.category(text[position])[0] == "M":
            continue
        piece = unicodedata.normalize("NFKC", text[begin:position])
        pieces.append(piece)
        starts.extend([begin] * len(piece))
        ends.extend([position] * len(piece))
        begin = position
    return "".join(pieces), starts, ends


# --- Applying the list to what members write ---------------------------------------------------------------------

def watched_rules(actions: Iterable[str]) -> tuple[WatchRule, ...]:
    """The moderators' current words with these actions.

    The whole list is read once per database transaction (one small query: a write asks for it two or three
    times, once before its first write statement) and forgotten at the commit or rollback, or when this session
    changes the list; `_compiled` caches the patterns by the list's content. So every app server sees a
    change with its next transaction, and no cache can go stale.
    """
    wanted = set(actions)
    return tuple(rule for rule in _watched_list() if rule.action in wanted)


_LIST_KEY = "kindred.watched_words"


def _watched_list() -> tuple[WatchRule, ...]:
    kept = db.session.info.get(_LIST_KEY)
    if kept is None:
        rows = db.session.execute(select(WatchedWord.phrase, WatchedWord.action, WatchedWord.message)
                                  .order_by(WatchedWord.id))
        kept = db.session.info[_LIST_KEY] = tuple(WatchRule(phrase, action, message or "")
                                                  for phrase, action, message in rows)
    return kept


def _forget_list(session, *_args) -> None:
    session.info.pop(_LIST_KEY, None)


def _forget_list_if_changed(session, *_args) -> None:
    if any(isinstance(thing, WatchedWord) for thing in (*session.new, *session.dirty, *session.deleted)):
        _forget_list(session)


def _forget_list_on_statement(state) -> None:
    if not state.is_select and getattr(getattr(state.statement, "table", None), "name", None) == "watched_words":
        _forget_list(state.session)


for _moment in ("after_commit", "after_soft_rollback"):
    event.listen(SessionBase, _moment, _forget_list)
event.listen(SessionBase, "before_flush", _forget_list_if_changed)
event.listen(SessionBase, "do_orm_execute", _forget_list_on_statement)


def refuse_blocked_words(*texts: str) -> None:
    """Raise DomainError naming what to change if the text holds a watched word set to block."""
    rules = watched_rules([WatchedAction.BLOCK.value])
    if not rules:
        return
    asks: dict[str, str] = {}
    for text in texts:
        for found in find_watched(text, rules):
            written = text[found.start:found.end]
            asks.setdefault(phrase_key(written), f"Please change “{written}”: {found.word.message}")
    if asks:
        raise DomainError(" ".join(list(asks.values())[:3]), field="body")


def apply_watched_words(content: Post | Reply, author: User, hold_first_posts: int | None = None) -> None:
    """Apply require-approval, flag and content-warning words, and the new-member hold, to new content.

    `hold_first_posts` is how many of a member's first posts wait for approval; None reads the app's
    NEW_MEMBER_HOLD_POSTS setting (0, off, outside an app).
    """
    was_visible = content.status == PostStatus.VISIBLE.value
    seen: set[str] = set()
    for found in find_watched(_text_of(content), watched_rules(AFTER_WRITING)):
        word = found.word
        if phrase_key(word.phrase) in seen:
            continue
        seen.add(phrase_key(word.phrase))
        if word.action == WatchedAction.CONTENT_WARNING.value:
            if not content.content_warning:
                content.content_warning = _warning_of(word)
            continue
        if word.action == WatchedAction.REQUIRE_APPROVAL.value:
            _hold(content)
        _queue(content, ReasonKind.WATCHED_WORD.value, {"phrase": word.phrase, "action": word.action})
    if hold_first_posts is None:
        hold_first_posts = _configured_hold()
    if _is_held_as_new(content, author, hold_first_posts):
        _hold(content)
        _queue(content, ReasonKind.NEW_MEMBER.value, {"hold_first_posts": hold_first_posts})
    if isinstance(content, Post) and was_visible and content.status != PostStatus.VISIBLE.value:
        tag_ids = [tag.id for tag in content.hashtags]
        tag_counts_changed(True, tag_ids, False, tag_ids)  # pending posts don't count
    if seen or content.status != PostStatus.VISIBLE.value:
        db.session.flush()  # only when something was found: a new reply is read through before it is written


def watched_warnings(content: Post | Reply) -> set[str]:
    """The content warnings the moderators' watched words give this content's text as it stands."""
    rules = watched_rules([WatchedAction.CONTENT_WARNING.value])
    return {_warning_of(found.word) for found in find_watched(_text_of(content), rules)} if rules else set()


def _warning_of(word: WatchedLike) -> str:
    return (word.message or word.phrase)[:WARNING_MAX]


def _text_of(content: Post | Reply) -> str:
    return f"{content.title}\n{content.body}" if isinstance(content, Post) else content.body


def _hold(content: Post | Reply) -> None:
    """Wait for a moderator; content a moderator already hid or removed stays as it is."""
    if content.status == PostStatus.VISIBLE.value:
        content.status = PostStatus.PENDING.value


def _queue(content: Post | Reply, kind: str, detail: dict) -> None:
    """Add a reason to the content's item, unless the same one is already open (an edit keeping the word)."""
    db.session.flush()  # new content needs its id
    item = item_for(content)
    if item.status == ItemStatus.OPEN.value and any(r.kind == kind and r.detail == detail for r in open_reasons(item)):
        return
    add_reason(content, kind, detail, Priority.ROUTINE)


def _configured_hold() -> int:
    # The one Flask touch in this module, kept lazy so the service stays usable (and testable) without an app.
    from flask import current_app, has_app_context

    return int(current_app.config.get("NEW_MEMBER_HOLD_POSTS", 0)) if has_app_context() else 0


def _is_held_as_new(content: Post | Reply, author: User, hold_first_posts: int) -> bool:
    """Whether this is one of a member's first posts, freshly written (an edit isn't held again)."""
    if hold_first_posts <= 0 or not isinstance(content, Post) or content.edited_at is not None:
        return False
    if author.is_moderator:
        return False
    db.session.flush()
    earlier = db.session.scalar(select(func.count()).select_from(Post).where(
        Post.author_id == author.id, Post.id != content.id, Post.status != PostStatus.REMOVED.value))
    return earlier < hold_first_posts


# --- The moderators' list ----------------------------------------------------------------------------------------

def list_watched_words() -> list[WatchedWord]:
    return list(db.session.scalars(select(WatchedWord).order_by(WatchedWord.action, WatchedWord.phrase)))


def add_watched_word(moderator: User, phrase: str, action: str, message: str = "") -> WatchedWord:
    """Watch a new word or phrase, and log who did."""
    stored = normalise_phrase(phrase or "")
    message = (message or "").strip()
    if not stored:
        raise DomainError("Please enter a word or phrase to watch for.", field="phrase")
    if len(stored) > PHRASE_MAX:
        raise DomainError(f"A watched phrase can be at most {PHRASE_MAX} characters.", field="phrase")
    if action not in ACTION_LABELS:
        raise DomainError("Please choose what happens when someone writes it.", field="action")
    if action == WatchedAction.BLOCK.value and not message:
        raise DomainError("Please say what the member should change: they will read this message.",
                          field="message")
    limit = WARNING_MAX if action == WatchedAction.CONTENT_WARNING.value else MESSAGE_MAX
    if len(message) > limit:
        raise DomainError(f"This message can be at most {limit} characters.", field="message")
    _refuse_duplicate(stored)
    word = WatchedWord(phrase=stored, action=action, message=message, created_by_id=moderator.id,
                       created_at=utcnow())
    try:
        with db.session.begin_nested():  # another moderator may add the same phrase at this moment
            db.session.add(word)
    except IntegrityError:
        raise DomainError(f"“{stored}” is already on the list.", field="phrase") from None
    _log(moderator, "watched_word_add", word)
    return word


def delete_watched_word(moderator: User, word: WatchedWord) -> None:
    added_by = db.session.get(User, word.created_by_id) if word.created_by_id else None
    ensure_may_delete_watched_word(moderator, word, added_by)
    _log(moderator, "watched_word_delete", word)
    db.session.delete(word)
    db.session.flush()


def _refuse_duplicate(stored: str) -> None:
    key = phrase_key(stored)
    for existing, action in db.session.execute(select(WatchedWord.phrase, WatchedWord.action)):
        if phrase_key(existing) == key:
            raise DomainError(f"“{existing}” is already on the list ({ACTION_LABELS.get(action, action).lower()}). "
                              "Delete it first to change what it does.", field="phrase")


def _log(moderator: User, action: str, word: WatchedWord) -> None:
    db.session.add(ModerationAction(moderator_id=moderator.id, action=action, reason="",
                                    detail={"phrase": word.phrase, "action": word.action}, created_at=utcnow()))
    db.session.flush()
