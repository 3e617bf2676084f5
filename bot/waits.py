"""Conversation states in which the bot waits for one particular message. The dialog reads
them (`dialog_described.py`); the handoff sets one too: a bare request for a person that
became a ticket before the user said what the problem is (`handoff/ticketed.py`)."""

from __future__ import annotations

__all__ = ["DESCRIBING"]

DESCRIBING = "describe:"  # the state's name while the bot waits for the problem, + ticket
