"""What a member typed, handed back on an error page, so no error ever costs them their words.

A form that fails in a way the view couldn't answer itself (an expired page, the database gone, a bug,
too many requests) lands on the error page. Without this the words written into it would be gone with the
request; the browser's draft (static/js/kindred.js) keeps them too, but only with JavaScript and on the
same device. Here they come back in the page itself: editable, with a button that sends them again where
that can work, carrying a fresh CSRF token (the old one may be why it failed) and the form's submission
key (so a post that did go through is not made twice: forum.submissions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import request
from flask_wtf.csrf import generate_csrf

#: Fields never shown or sent back: anything secret whatever its form calls it (a password, its confirmation,
#: a recovery code, a token), and the CSRF token the page makes afresh. Shown, a secret would sit in the page,
#: where a shared computer's history, a cache or someone looking over a shoulder could find it; and no resend
#: needs one kept (a form that takes a password asks for it again).
_NEVER_KEPT = re.compile(r".*(password|passphrase|confirm|code|secret|token).*", re.IGNORECASE)
#: The fields members type words into, and what the page calls each. Every other field (an action, a version,
#: a submission key, a choice) is carried back unseen, so a second send means the same as the first.
_TYPED = {"title": "Title", "body": "What you wrote", "tags": "Hashtags", "content_warning": "Content warning",
          "warning_text": "Content warning", "bio": "About you", "reason": "Reason", "note": "Note",
          "username": "Username", "display_name": "Display name", "word": "Word", "name": "Name"}
#: Errors after which the words are shown: the ones a member's form can meet through no fault of its words,
#: what it answered gone (deleted, hidden or taken from them) or their sign-in ended while they wrote among them.
_SHOWN_AFTER = frozenset({400, 401, 403, 404, 409, 429, 500, 503})
#: Errors after which the same form, sent again, can go through (400 only when its page had expired).
_RESENDABLE_AFTER = frozenset({429, 500, 503})
#: Enough for any form here; a body bigger than this never got past MAX_CONTENT_LENGTH anyway.
_MAX_FIELDS = 30


@dataclass
class KeptField:
    name: str
    label: str
    value: str


@dataclass
class KeptWords:
    action: str
    typed: list[KeptField] = field(default_factory=list)
    unseen: list[tuple[str, str]] = field(default_factory=list)
    csrf_token: str | None = None  # set when the form may be sent again from the error page

    @property
    def resendable(self) -> bool:
        return self.csrf_token is not None


def kept_words(code: int, page_expired: bool = False) -> KeptWords | None:
    """The words of the form this failed request carried, or None if it carried none worth keeping."""
    if request.method != "POST" or code not in _SHOWN_AFTER:
        return None
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    try:
        form = request.form
    except Exception:  # a body that can't be read (too large, malformed) holds nothing we could give back
        return None
    kept = KeptWords(action=request.full_path.rstrip("?"))
    for name, value in list(form.items(multi=True))[:_MAX_FIELDS]:
        if _NEVER_KEPT.fullmatch(name):
            continue
        if name not in _TYPED:
            kept.unseen.append((name, value))
        elif value.strip():
            kept.typed.append(KeptField(name, _TYPED[name], value))
    if not kept.typed:
        return None
    if (code in _RESENDABLE_AFTER or page_expired) and _sent_from_this_site():
        kept.csrf_token = generate_csrf()
    return kept


def _sent_from_this_site() -> bool:
    """Whether the failed form was sent from one of our own pages (its Origin, else its Referer).

    A fresh CSRF token goes into the page only then: otherwise another site could post words of its choosing
    here and have the member send them with one click on a page of ours.
    """
    source = request.headers.get("Origin") or request.referrer
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc == request.host
