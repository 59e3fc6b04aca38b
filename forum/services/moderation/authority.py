"""Who may moderate whom.

Moderators look after members and each other; admins look after everyone, moderators included. A
moderator can't act against an admin's words or account, undo what an admin decided, or delete a
watched word an admin added: a moderator who disagrees with an admin talks to them (or to another
admin) rather than overruling them. That covers reversing an admin's still-standing decision by a new
action too (approving what an admin hid or removed, reopening replies an admin locked), not only by Undo.
Admins may do all of this. Approving, claiming and releasing don't act against anyone, so otherwise they
stay open to every moderator.
"""
from __future__ import annotations

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
REVERSES = {"approve": frozenset({"hide", "remove"}), "unlock": frozenset({"lock"})}
_DECIDED = {"hide": "hid this", "remove": "removed this", "lock": "locked its replies"}


def ensure_may_reverse(moderator: User, action: str, standing: ModerationAction | None) -> None:
    """Refuse a moderator's action that would reverse the standing decision (the latest not undone) of an admin."""
    if (standing is not None and standing.action in REVERSES.get(action, ()) and is_admin(standing.moderator)
            and not is_admin(moderator)):
        admin = standing.moderator.username
        raise NotAllowed(f"{admin}, an admin, {_DECIDED[standing.action]}, and that still stands, so only an admin "
                         f"can reverse it; talk to {admin} or another admin if something needs to change.")


def ensure_may_undo(moderator: User, original: ModerationAction) -> None:
    """Refuse a moderator undoing an admin's decision."""
    if is_admin(original.moderator) and not is_admin(moderator):
        raise NotAllowed(f"An admin took this action, so only an admin can undo it; {ASK_AN_ADMIN}.")


def ensure_may_delete_watched_word(moderator: User, word: WatchedWord, added_by: User | None) -> None:
    """Refuse a moderator deleting a watched word an admin added."""
    if is_admin(added_by) and not is_admin(moderator):
        raise NotAllowed(f"An admin added “{word.phrase}”, so only an admin can remove it; {ASK_AN_ADMIN}.")
