"""The requests for a person of a period, as the service-level report counts them (read-only;
`reports.py` has the rest of the report's queries and gives these names too).

With an agents' desk every request is a handoff, and one nobody could take becomes a ticket
(its handoff "ticketed"). With none (no [[teams]]), a request ("Didn't help", "None of these",
"human") opens a ticket at once (`handoff/ticket_desk.py`), with no handoff: each such ticket
is a request that became a ticket, or the report would count none over the tickets opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q, Subquery

from bot.storage.models import Handoff, Ticket

__all__ = ["HandoffRow", "handoffs_since"]

_PICKED_UP = "ticket"  # the reason of a handoff made when an agent picked up a ticket


@dataclass(frozen=True, slots=True)
class HandoffRow:
    """One request for a person, as the service-level report counts it (`service.py` adds
    one, "resolved" in status and reason, for each rated ticket resolved without a chat)."""

    team: str
    priority: str
    status: str  # waiting, claimed, closed, ticketed, cancelled
    reason: str  # why it was handed off ("ticket": a picked-up ticket)
    agent: str | None
    created_at: datetime
    claimed_at: datetime | None
    rating: int | None
    number: int = 0  # its id (0: a request that went straight to a ticket, with no desk)
    comment: str | None = None  # what went wrong, the user said after a low rating


async def handoffs_since(since: datetime) -> list[HandoffRow]:
    """Every handoff asked for since `since`, oldest first (a transfer, which puts it back in a
    queue, does not move it to a later period); an outage report that joined a colleague's
    (bot/handoff/outages.py) is no request of its own: the desk worked on the first one. A
    ticket opened with no handoff (no desk) is a request made a ticket, after those."""
    asked = Q(asked_at__gte=since) | Q(asked_at__isnull=True, created_at__gte=since)
    rows = await Handoff.filter(asked, linked_to_id__isnull=True).order_by("id")
    return [*_handoff_rows(rows), *await _straight_to_tickets(since)]


def _handoff_rows(rows: list[Handoff]) -> list[HandoffRow]:
    return [
        HandoffRow(
            h.team,
            h.priority,
            h.status,
            h.reason,
            h.agent,
            h.asked_at or h.created_at,  # a transfer does not restart the wait
            h.claimed_at,
            h.rating,
            h.id,
            h.rating_comment,
        )
        for h in rows
    ]


async def _straight_to_tickets(since: datetime) -> list[HandoffRow]:
    """A request for each ticket opened since `since` that no request at a desk became (a
    handoff made when an agent picked one up, "ticket", is no request): made a ticket, never
    claimed; its rating, if any, is the ticket's (`service_requests._with_ticket_ratings`)."""
    desk = Handoff.filter(ticket_id__isnull=False).exclude(reason=_PICKED_UP)
    made = Subquery(desk.values("ticket_id"))
    opened = Ticket.filter(created_at__gte=since).exclude(id__in=made).order_by("id")
    return [
        HandoffRow(t.team or "-", t.priority, "ticketed", t.reason, None, t.created_at, None, None)
        for t in await opened
    ]
