"""A member's keys to their account: the password, and a one-time recovery code for when it is lost.

Kindred asks for no email, so there is no reset link to send. A recovery code, made when the member asks
and shown to them once, is the only way back into an account whose password is lost; the database keeps
only its hash, slow to guess as a password's.
"""
from __future__ import annotations

import secrets

from sqlalchemy import update
from werkzeug.security import check_password_hash

from forum.extensions import db
from forum.models import User
from forum.passwords import password_problem
from forum.services import DomainError
from forum.services.accounts import check_like_a_password, find_member
from forum.services.sign_ins import end_every_sign_in

#: Letters and digits nobody mistakes for one another when copying by hand (no 0/O, 1/I).
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: 20 symbols of 32: 100 random bits, shown in groups of four.
RECOVERY_CODE_LENGTH = 20


class WrongPassword(DomainError):
    """The password typed to confirm a change isn't the member's (its view counts these: forum.limits)."""


def change_password(member: User, current_password: str, new_password: str) -> int:
    """Give the member a new password and end their other sign-ins; return how many ended."""
    if not member.check_password(current_password):
        raise WrongPassword("That isn't your current password.", field="current_password")
    if problem := password_problem(new_password):
        raise DomainError(problem, field="new_password")
    if member.check_password(new_password):
        raise DomainError("That's your password already: choose a new one.", field="new_password")
    member.set_password(new_password)
    return end_every_sign_in(member, except_this_one=True)


def normalise_recovery_code(code: str) -> str:
    """The code as stored: capitals, without the spaces and dashes people copy with it."""
    return "".join(c for c in code.upper() if c.isalnum())


def create_recovery_code(member: User) -> str:
    """Make a new recovery code for the member, replacing any earlier one; return it, readably grouped, to be
    shown once (nothing can show it again)."""
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    member.set_recovery_code(code)
    return "-".join(code[i:i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def reset_password_with_recovery_code(username: str, code: str, new_password: str) -> User | None:
    """Set a new password for the member whose name and recovery code these are, use the code up and end
    every sign-in; None, after the same work, when the name or the code is wrong."""
    if problem := password_problem(new_password):
        raise DomainError(problem, field="new_password")
    member = find_member(username)
    stored = member.recovery_code_hash if member is not None else None
    if stored is None:
        check_like_a_password(code)  # as long as a real check takes: the answer says nothing about the name
        return None
    if not check_password_hash(stored, normalise_recovery_code(code)):
        return None
    # Claimed in the database, so of two resets racing with one code only one gets through.
    claimed = db.session.execute(update(User).where(User.id == member.id, User.recovery_code_hash == stored)
                                 .values(recovery_code_hash=None), execution_options={"synchronize_session": False})
    if claimed.rowcount != 1:
        return None
    member.recovery_code_hash = None
    member.set_password(new_password)
    end_every_sign_in(member)
    return member
