"""The requests for a person of a period, as the service-level report counts them (read-only;
`reports.py` has the rest of the report's queries and gives these names too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from bot.storage.models import Handoff

__all__ = ["HandoffRow", "handoffs_since"]


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
    number: int = 0  # its id
    comment: str | None = None  # what went wrong, the user said after a low rating


async def handoffs_since(since: datetime) -> list[HandoffRow]:
    """Every handoff asked for since `since`, oldest first (a transfer, which puts it back in a
    queue, does not move it to a later period); an outage report that joined a colleague's
    (bot/handoff/outages.py) is no request of its own: the desk worked on the first one."""
    asked = Q(asked_at__gte=since) | Q(asked_at__isnull=True, created_at__gte=since)
    rows = await Handoff.filter(asked, linked_to_id__isnull=True).order_by("id")
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
