"""Who may moderate whom.

Moderators look after members and each other; admins look after everyone, moderators included. A
moderator can't act against an admin's words or account, undo what an admin decided, or delete a
watched word an admin added: a moderator who disagrees with an admin talks to them (or to another
admin) rather than overruling them. That covers reversing an admin's still-standing decision on the same
words by a new action too, not only by Undo, in either direction: approving what an admin hid or removed,
reopening replies an admin locked, and equally hiding or removing what an admin approved, locking replies an
admin reopened, or replacing an admin's content warning.

New harm is still a moderator's to act on: once the words were edited after the admin's decision, or a new
flag, detector or watched-word reason came in after it, a moderator may hide, remove, lock or put a warning on
them again. Lifting an admin's restriction stays with admins even then: an edit to hidden words, or a new
reason, is no sign the admin's reason has gone. Admins may do all of this. Approving, claiming and releasing
don't act against anyone, so otherwise they stay open to every moderator.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from forum.models import ModerationAction, Role, User, WatchedWord
from forum.services import NotAllowed

#: Queue actions that act against the content's author or their words.
ACTIONS_AGAINST_THE_AUTHOR = frozenset({"hide", "remove", "lock", "unlock", "content_warning", "message", "warn",
                                        "suspend"})
ASK_AN_ADMIN = "talk to another admin if something needs to change"


def is_admin(member: User | None) -> bool:
    return member is not None and member.role == Role.ADMIN.value


def ensure_may_act_on(moderator: User, author: User, action: str) -> None:
    """Refuse a moderator's action against an admin's words or account."""
    if action in ACTIONS_AGAINST_THE_AUTHOR and is_admin(author) and not is_admin(moderator):
        raise NotAllowed(f"This was written by an admin, so only an admin can do that here; {ASK_AN_ADMIN}.")


#: A moderator's action, and the admin decisions it would reverse if one of them still stands.
REVERSES = {"approve": frozenset({"hide", "remove"}), "unlock": frozenset({"lock"}),
            "hide": frozenset({"approve"}), "remove": frozenset({"approve"}), "lock": frozenset({"unlock"}),
            "content_warning": frozenset({"content_warning"})}
#: Actions that answer harm: new harm since the admin's decision (see NEW_HARM) is a moderator's to act on.
ANSWERS_HARM = frozenset({"hide", "remove", "lock", "content_warning"})
_DECIDED = {"hide": "hid this", "remove": "removed this", "lock": "locked its replies",
            "approve": "approved this", "unlock": "reopened its replies",
            "content_warning": "chose its content warning"}


def ensure_may_reverse(moderator: User, action: str, standing: ModerationAction | None,
                       new_harm_since: Callable[[datetime], bool]) -> None:
    """Refuse a moderator's action that would reverse the standing decision (the latest not undone) of an admin,
    unless it answers harm that is new since (`new_harm_since(when)` says whether there is any)."""
    if (standing is None or standing.action not in REVERSES.get(action, ()) or not is_admin(standing.moderator)
            or is_admin(moderator)):
        return
    if action in ANSWERS_HARM and new_harm_since(standing.created_at):
        return
    _refuse(standing.moderator.username, _DECIDED[standing.action], action)


#: A moderator's action, and the actions it would take again if an admin had undone one of them.
REDOES = {"hide": frozenset({"hide", "remove"}), "remove": frozenset({"hide", "remove"}),
          "approve": frozenset({"approve"}), "lock": frozenset({"lock"}), "unlock": frozenset({"unlock"}),
          "content_warning": frozenset({"content_warning"})}
_UNDID = {"hide": "undid its hiding", "remove": "undid its removal", "approve": "undid its approval",
          "lock": "undid the lock on its replies", "unlock": "undid the reopening of its replies",
          "content_warning": "undid its content warning"}


def ensure_may_redo(moderator: User, action: str, undone: ModerationAction | None, undone_by: User | None,
                    new_harm_since: Callable[[datetime], bool]) -> None:
    """Refuse a moderator's action that takes again what an admin undid (the latest undo, with no decision since),
    unless it answers harm that is new since the undo: an admin's Undo is their decision as much as an action is."""
    if (undone is None or undone.action not in REDOES.get(action, ()) or not is_admin(undone_by)
            or is_admin(moderator)):
        return
    if action in ANSWERS_HARM and new_harm_since(undone.undone_at):
        return
    _refuse(undone_by.username, _UNDID[undone.action], action)


def _refuse(admin: str, decided: str, action: str) -> None:
    message = (f"{admin}, an admin, {decided}, and that still stands, so only an admin can reverse "
               f"it; talk to {admin} or another admin if something needs to change.")
    if action in ANSWERS_HARM:
        message += (" Nothing new has come in since their decision: if the words are edited or a new flag or "
                    "detector reason arrives, you can act on it then.")
    raise NotAllowed(message)


def ensure_may_undo(moderator: User, original: ModerationAction) -> None:
    """Refuse a moderator undoing an admin's decision."""
    if is_admin(original.moderator) and not is_admin(moderator):
        raise NotAllowed(f"An admin took this action, so only an admin can undo it; {ASK_AN_ADMIN}.")


def ensure_may_delete_watched_word(moderator: User, word: WatchedWord, added_by: User | None) -> None:
    """Refuse a moderator deleting a watched word an admin added."""
    if is_admin(added_by) and not is_admin(moderator):
        raise NotAllowed(f"An admin added “{word.phrase}”, so only an admin can remove it; {ASK_AN_ADMIN}.")
