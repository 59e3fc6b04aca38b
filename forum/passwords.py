"""What makes a password too easy to guess: too short, or one of the passwords people use most.

Kindred asks for no email, so a guessed password is an account lost for good, and the words behind it
(health, trauma, addiction) read by whoever guessed. The common passwords are zxcvbn's ranked list
(the `zxcvbn` package, MIT, offline: 30,000 passwords counted in Xato's public corpus of 10 million),
so nothing here was copied from a leak by hand and the list is kept up by that project.
"""
from __future__ import annotations

from functools import cache

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200


@cache
def common_passwords() -> frozenset[str]:
    """The common passwords, lower-cased; loaded on first use (the lists take a moment to import)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str) -> str | None:
    """Say, in words for the member, why `password` will not do; None when it will."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters. A few words strung together are easy to remember."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.lower() in common_passwords() or password.strip().lower() in common_passwords():
        return ("That password is one of the most common, so it's among the first anyone would try. "
                "A few unrelated words together make a stronger one.")
    return None
