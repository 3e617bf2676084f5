"""The handoff port: what the dialog calls when a person is needed.

Today the only implementation opens a ticket (`TicketDesk`); the live-agent queue replaces it
behind the same seam.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["HandoffPort", "HandoffRequest", "HandoffResult"]


@dataclass(frozen=True, slots=True)
class HandoffRequest:
    """Who needs a person, about what, and what the KB already tried."""

    user_db_id: int
    conversation_db_id: int
    question: str
    reason: str
    language: str
    tried_articles: tuple[str, ...] = ()
    priority: str = "normal"
    team: str | None = None


@dataclass(frozen=True, slots=True)
class HandoffResult:
    """What happened: the ticket number the user is told."""

    ticket_id: int


class HandoffPort(Protocol):
    """Passes a conversation to people."""

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        """Queue, ticket or whatever the deployment does; returns what the user is told."""
        ...
