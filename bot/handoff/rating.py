"""The buttons under which a user rates the help: 1–5, and "Still not solved" under a
resolved ticket that may be reopened (their actions: `bot/ratings.py`)."""

from __future__ import annotations

from bot.handoff.port import REOPEN
from bot.messages import Button
from bot.storage import repo
from bot.storage.models import Conversation

__all__ = ["rating_buttons"]


async def rating_buttons(
    conversation: Conversation, action: str, number: int, *, reopen: str = ""
) -> list[Button]:
    """Buttons 1–5 for the user to rate the help: `action` RATE_CHAT (the chat of handoff
    `number`) or RATE_TICKET (ticket `number`, resolved without a chat); with `reopen` (its
    label), one after them that reopens ticket `number` (`REOPEN`). Their presses go to
    the dialog: the keys are stored with the conversation, like any reply's."""
    labels = [str(score) for score in range(1, 6)]
    actions = [(action, f"{number}:{score}") for score in labels]
    if reopen:
        labels.append(reopen)
        actions.append((REOPEN, str(number)))
    keys = await repo.store_buttons(conversation, actions)
    return [Button(label, key) for label, key in zip(labels, keys, strict=True)]
