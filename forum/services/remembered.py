"""Facts about the signed-in member that come with the query loading them, kept until the session writes.

A page asks the same small questions several times (which of my posts are hidden from others, whom have I
blocked); answering them in the sign-in query (forum.services.sign_ins) saves a query each on every page.
What is kept lives in the database session's `info` and is forgotten at every flush, commit, rollback and
UPDATE/DELETE statement, so a change made in this session is never answered from a stale copy.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session as SessionBase

from forum.extensions import db

_KEYS: set[str] = set()


def remembered(key: str) -> dict:
    """The session's memory under `key` (a dict, by member id); forgotten whenever the session writes."""
    _KEYS.add(key)
    return db.session.info.setdefault(key, {})


def _forget(session, *_args) -> None:
    for key in _KEYS:
        session.info.pop(key, None)


def _forget_on_write(state) -> None:
    if not state.is_select:  # an UPDATE or DELETE statement may change what was kept
        _forget(state.session)


for _moment in ("after_flush", "after_commit", "after_soft_rollback"):
    event.listen(SessionBase, _moment, _forget)
event.listen(SessionBase, "do_orm_execute", _forget_on_write)
