"""Which of the bot's buttons a typed message stands for (stored, pressed: `repo.py`)."""

from __future__ import annotations

import re

from bot.storage.models import ButtonAction, Conversation

__all__ = ["typed_rating"]

_SCORE = re.compile(r"\s*([1-5])\s*[.!)]?\s*")


async def typed_rating(conversation: Conversation, text: str) -> ButtonAction | None:
    """The rating button a typed score ("5") presses: only while the bot's newest buttons in
    the chat are the 1–5, so a digit typed after another answer stays a message. Once they
    are used, the press finds them used (the user is told they rated already)."""
    score = _SCORE.fullmatch(text)
    if score is None:
        return None
    newest = await ButtonAction.filter(conversation=conversation).order_by("-created_at").first()
    if newest is None or newest.action != "rate":
        return None
    pressed = ButtonAction.filter(group=newest.group, argument__endswith=f":{score[1]}")
    return await pressed.first()
