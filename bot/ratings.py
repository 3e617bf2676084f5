"""The buttons 1–5 under which a user rates the help: their actions, named once.

Each button's argument is "number:score", stored with it (`bot/handoff/rating.py`,
`rating_buttons`): a handoff's id under a chat an agent closed, a ticket's number under a
ticket resolved without a chat. A press is the dialog's (`bot/dialog_buttons.py`) even while
a new request waits (`bot/dialog_commands.py`), and is recorded under its action
(`bot/effects.py`); a typed score presses one (`bot/storage/buttons.py`).
"""

from __future__ import annotations

from typing import Final

__all__ = ["LOW_RATING", "RATE_CHAT", "RATE_TICKET", "RATINGS"]

RATE_CHAT: Final = "rate"  # the chat of a handoff, after an agent closed it
RATE_TICKET: Final = "rate_ticket"  # a ticket, resolved without a chat
RATINGS: Final = frozenset({RATE_CHAT, RATE_TICKET})
LOW_RATING: Final = 2  # a score at or below it: the team is told, the user asked what went wrong
