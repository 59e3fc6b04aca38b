"""Which moderator actions fit an item, and in what order: pure, no database, no Flask.

A moderator opening an item should see first the few actions its reasons call for. For someone who may
be in danger that is reaching out to them, never "looks fine" as the first button; for spam it is
removing it. Everything else stays available, one disclosure away.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Every decision on the item page, in the order "the rest" is listed.
ALL_DECISIONS = ("message", "approve", "hide", "lock", "content_warning", "warn", "remove", "suspend")

#: What fits each reason, most fitting first. Flags are keyed by their own reason ("flag:spam").
FITTING = {
    "crisis": ("message", "approve", "lock", "hide"),
    "flag:at_risk": ("message", "approve", "lock", "hide"),
    "concern": ("message", "approve", "content_warning"),
    "flag:harassment": ("hide", "warn", "approve"),
    "flag:spam": ("remove", "approve", "suspend"),
    "flag:medical_advice": ("hide", "warn", "approve"),
    "flag:graphic": ("content_warning", "approve", "hide"),
    "flag:other": ("approve", "hide", "warn"),
    "watched_word": ("approve", "hide", "warn"),
    "new_member": ("approve", "hide", "message"),
    "review_request": ("approve", "message", "hide"),
}
#: Reasons in the order they decide what comes first: the person in danger before everything else.
URGENCY = ("crisis", "flag:at_risk", "concern", "flag:harassment", "flag:medical_advice", "flag:graphic",
           "review_request", "flag:spam", "watched_word", "new_member", "flag:other")
#: Someone may be in danger: these items get one more first action (lock or hide beside approve).
DANGER = {"crisis", "flag:at_risk"}


@dataclass(frozen=True)
class Decisions:
    """The actions to show first, and the rest behind a disclosure."""

    first: tuple[str, ...]
    rest: tuple[str, ...]


def reason_key(kind: str, detail: dict | None = None) -> str:
    """One key per kind of reason; a flag is known by what the member flagged it for."""
    if kind == "flag":
        return f"flag:{(detail or {}).get('reason') or 'other'}"
    return kind


def fitting_decisions(reason_keys: list[str] | set[str], *, replies_locked: bool = False) -> Decisions:
    """The actions that fit these reasons first (three, four when someone may be in danger), then the rest."""
    keys = [key for key in URGENCY if key in set(reason_keys)] or ["flag:other"]
    wanted = 4 if keys[0] in DANGER else 3
    first: list[str] = []
    for key in keys:
        for action in FITTING[key]:
            if action not in first:
                first.append(action)
    first = first[:wanted]
    rest = [action for action in ALL_DECISIONS if action not in first]
    lock = "unlock" if replies_locked else "lock"
    return Decisions(tuple(lock if a == "lock" else a for a in first),
                     tuple(lock if a == "lock" else a for a in rest))


def button_label(action: str, *, status: str, danger: bool) -> str:
    """What a decision's button says, in the moderator's words for this item."""
    if action == "approve":
        if status == "pending":
            return "Publish it and close the item"
        if status in ("hidden", "removed"):
            return "Make it visible again and close the item"
        return "Leave it up and close the item" if danger else "Looks fine: approve and dismiss flags"
    return BUTTONS[action]


BUTTONS = {
    "message": "Reach out with a supportive message",
    "hide": "Hide it (the author and moderators still see it)",
    "remove": "Remove it",
    "lock": "Lock replies",
    "unlock": "Reopen replies",
    "content_warning": "Add a content warning",
    "warn": "Warn the author",
    "suspend": "Suspend the author",
}
