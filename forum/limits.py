"""Rate limits that several routes share: one bucket per kind of write, so a script can't double what a member
may do by alternating between the site's forms and the JSON API; and one for wrong passwords typed inside a
session, whichever form they are typed into."""
from __future__ import annotations

from flask import g
from flask_limiter.util import get_remote_address
from flask_login import current_user
from wtforms import Field

from forum.extensions import limiter


def member_or_address() -> str:
    """Rate-limit key for a member's writes: the member, however they signed in (session or token), so people
    sharing an address (a clinic's wifi, one NAT, a proxy not yet trusted) each have their own hourly
    allowance. Only a request with no member (which login_required then turns away) counts by address."""
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return f"address:{get_remote_address()}"


#: New posts (the composer, POST /api/v1/posts).
new_posts = limiter.shared_limit("30 per hour", scope="new-posts", methods=["POST"], key_func=member_or_address)
#: New replies (the reply box, POST /api/v1/posts/<id>/replies).
new_replies = limiter.shared_limit("60 per hour", scope="new-replies", methods=["POST"],
                                   key_func=member_or_address)
#: Hearts sent or taken back, on posts and replies alike.
hearts = limiter.shared_limit("300 per hour", scope="hearts", key_func=member_or_address)
#: Flags on posts and replies.
flags = limiter.shared_limit("60 per hour", scope="flags", methods=["POST"], key_func=member_or_address)


def _a_password_was_wrong(response) -> bool:
    return g.get("wrong_password", False)


#: Wrong passwords typed inside a session (changing the password, a recovery code, a read-and-write token,
#: deleting the account), all forms together: as many as sign-in allows an account, so someone at an unlocked
#: screen can't guess the password here instead. Only wrong ones count, so the member never meets it by using
#: the forms. Kept apart from sign-in's own count, so a stranger guessing at the sign-in page can't stop the
#: member changing their password.
password_rechecks = limiter.shared_limit(
    "10 per 10 minutes", scope="password-rechecks", methods=["POST"], key_func=member_or_address,
    deduct_when=_a_password_was_wrong,
    error_message="A few passwords in a row didn't match, so for your account's safety we've paused checking "
                  "them for a little while. Nothing in your account has changed. Please try again in about ten "
                  "minutes.")


def count_wrong_password() -> None:
    """Count this request's wrong password toward password_rechecks (when its answer is sent)."""
    g.wrong_password = True


def refuse_wrong_password(field: Field) -> None:
    """Say beside `field` that the password typed there isn't the member's, and count it."""
    count_wrong_password()
    field.errors.append("That password isn't right.")
