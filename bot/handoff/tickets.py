"""Handoff by ticket: the conversation becomes a ticket in the database."""

from __future__ import annotations

from bot.handoff.port import HandoffRequest, HandoffResult
from bot.handoff.queue import subject
from bot.storage.models import Ticket

__all__ = ["TicketDesk"]


class TicketDesk:
    """Opens a ticket for every handoff."""

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        """Open the ticket; its id is the number the user is told."""
        ticket = await Ticket.create(
            user_id=request.user_db_id,
            conversation_id=request.conversation_db_id,
            subject=subject(request.question),
            description=request.question,
            priority=request.priority,
            team=request.team,
            office=request.office,
            language=request.language,
            reason=request.reason,
        )
        return HandoffResult(ticket_id=ticket.id)
