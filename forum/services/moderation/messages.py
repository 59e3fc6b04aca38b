"""Messages moderators can send an author with one click: warm, never shaming, always with the help page."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SupportMessage:
    label: str
    text: str


SUPPORT_MESSAGES = {
    "checking_in": SupportMessage(
        "Checking in",
        "Hi, one of the moderators here. We read what you wrote and wanted to say we're glad you shared it. "
        "How are you doing right now? If things feel like too much, people at the lines on our help page "
        "(/help) are there any time, day or night.",
    ),
    "crisis_lines": SupportMessage(
        "Crisis lines",
        "We're worried about you and we care what happens to you. You don't have to go through this alone: "
        "you can call or text someone right now. The lines on our help page (/help) are free and confidential. "
        "If you're in immediate danger, please call your local emergency number.",
    ),
    "hidden_with_care": SupportMessage(
        "About a hidden post",
        "We hid your post for now, not because of you but to keep the space safe for everyone who reads it. "
        "You're still welcome here and we'd like to hear how you are. Our help page (/help) lists people you "
        "can talk to any time.",
    ),
}
