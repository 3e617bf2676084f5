"""`TicketDesk`: the handoff port with no teams configured, which opens a ticket for every
handoff (nobody from IT chats live; IT answers tickets from the command line)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.handoff.offices import Offices, ticket_hours
from bot.handoff.port import (
    REOPEN_DAYS,
    HandoffRequest,
    HandoffResult,
    Reopening,
    Withdrawal,
)
from bot.handoff.reopening import clocks_by, reopen_ticket
from bot.handoff.sla import Policies, ticket_terms
from bot.handoff.text import subject
from bot.handoff.ticket_priority import raise_ticket
from bot.handoff.tickets import open_duplicate, open_ticket, withdraw_ticket
from bot.storage import repo

__all__ = ["TicketDesk"]


@dataclass(frozen=True, slots=True)
class TicketDesk:
    """Opens a ticket for every handoff."""

    sla: Policies = field(default_factory=Policies)
    offices: Offices = field(default_factory=Offices)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    reopen_days: int = REOPEN_DAYS  # see `reopening.py`

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        """Open the ticket; its id is the number the user is told (or that of the open one
        the request would repeat)."""
        if (duplicate := await open_duplicate(request)) is not None:
            return HandoffResult(ticket_id=duplicate.id, due=duplicate.response_due, already=True)
        office = self.offices.named(request.office)
        ticket = await open_ticket(
            self.sla.of(office),
            start=self.clock(),
            hours=ticket_hours(office, None),  # no teams: the office's hours, or all day
            user_id=request.user_db_id,
            conversation_id=request.conversation_db_id,
            subject=subject(request.question) if request.question else "",  # none yet
            description=request.question,
            priority=request.priority,
            team=request.team,
            office=request.office,
            language=request.language,
            reason=request.reason,
        )
        return HandoffResult(ticket_id=ticket.id, due=ticket.response_due)

    async def raise_priority(self, user_db_id: int, number: int, priority: str) -> bool:
        """Raise it, with its due times by its office's policy and hours."""
        ticket = await repo.user_ticket(user_db_id, number)
        if ticket is None:
            return False
        policy, hours = ticket_terms(ticket, self.sla, self.offices)  # no teams
        return await raise_ticket(ticket, priority, policy, hours=hours)

    async def rated_low(self, rated: str, number: int) -> None:
        """With no teams there is no desk to tell: the report shows it."""

    async def withdraw(self, user_db_id: int, number: int) -> Withdrawal:
        """Withdraw it: with no teams there is no desk to tell."""
        withdrawal, _ = await withdraw_ticket(number, user_id=user_db_id)
        return withdrawal

    async def reopen(self, user_db_id: int, number: int) -> Reopening:
        """Reopen it, due by its office's policy and hours: no desk to tell."""
        clocks = clocks_by(self.sla, self.offices)
        reopening, _ = await reopen_ticket(
            number, user_id=user_db_id, now=self.clock(), days=self.reopen_days, clocks=clocks
        )
        return reopening
