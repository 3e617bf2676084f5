"""The service as it stands, read for monitoring (`bot/metrics.py`): requests with the desk,
unresolved tickets and the outbox. Read from the database, so every instance reports the same
figures; counted there too, so a scrape reads a row per group, not per ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.functions import Count, Min
from tortoise.queryset import QuerySet

from bot.storage.models import ACTIVE_HANDOFF, UNRESOLVED_TICKET, Handoff, OutboxMessage, Ticket

__all__ = ["Gauges", "TicketGauges", "read_gauges", "read_ticket_gauges"]

_UNSENT = ("pending", "failed")


@dataclass(frozen=True, slots=True)
class Gauges:
    requests: dict[tuple[str, ...], int]  # (team, waiting | claimed): requests for a person
    oldest_waiting: dict[str, datetime]  # team: when its longest-waiting request joined
    outbox: dict[tuple[str, ...], int]  # (platform, pending | failed): messages not sent
    oldest_pending: dict[str, datetime]  # platform: when its oldest pending message was made


async def read_gauges() -> Gauges:
    """One grouped query per table: the counts, and the oldest of each group."""
    requests = await _groups(Handoff.filter(status__in=ACTIVE_HANDOFF), "team")
    outbox = await _groups(OutboxMessage.filter(status__in=_UNSENT), "platform")
    return Gauges(
        {key: count for key, (count, _) in requests.items()},
        {team: since for (team, status), (_, since) in requests.items() if status == "waiting"},
        {key: count for key, (count, _) in outbox.items()},
        {where: since for (where, status), (_, since) in outbox.items() if status == "pending"},
    )


async def _groups(
    rows: QuerySet[Handoff] | QuerySet[OutboxMessage], by: str
) -> dict[tuple[str, ...], tuple[int, datetime]]:
    """Per (`by`, status): how many rows, and the earliest `created_at` among them."""
    found = await (
        rows.annotate(count=Count("id"), since=Min("created_at"))
        .group_by(by, "status")
        .values_list(by, "status", "count", "since")
    )
    return {(key, status): (int(count), since) for key, status, count, since in found}


@dataclass(frozen=True, slots=True)
class TicketGauges:
    tickets: dict[tuple[str, ...], int]  # (priority, open | in_progress): unresolved tickets
    overdue: dict[tuple[str, ...], int]  # (priority,): those past the due time they wait for


# The due time a ticket waits for has passed (`sla.due_now` < now, in SQL): the first
# response's while there was none, else the resolution's while it is not resolved.
def _past_due(now: datetime) -> Q:
    unanswered = Q(first_response_at__isnull=True, response_due__lt=now)
    unresolved = Q(first_response_at__isnull=False, resolved_at__isnull=True, resolve_due__lt=now)
    return unanswered | unresolved


async def read_ticket_gauges(now: datetime) -> TicketGauges:
    """Unresolved tickets per priority and status, and those overdue at `now` per priority."""
    now = now.astimezone(UTC)  # SQLite compares the stored UTC times as text
    tickets = Ticket.filter(status__in=UNRESOLVED_TICKET)
    counts = await (
        tickets.annotate(count=Count("id"))
        .group_by("priority", "status")
        .values_list("priority", "status", "count")
    )
    overdue = await (
        tickets.filter(_past_due(now))
        .annotate(count=Count("id"))
        .group_by("priority")
        .values_list("priority", "count")
    )
    return TicketGauges(
        {(priority, status): int(n) for priority, status, n in counts},
        {(priority,): int(n) for priority, n in overdue},
    )
