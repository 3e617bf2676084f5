"""The service as it stands, read for monitoring (`bot/metrics.py`): requests with the desk,
unresolved tickets and the outbox. Read from the database, so every instance reports the same
figures; counted there too, so a scrape reads a row per group, not per ticket."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, NamedTuple

from tortoise.expressions import Q
from tortoise.functions import Count, Min
from tortoise.queryset import QuerySet

from bot.storage.models import ACTIVE_HANDOFF, UNRESOLVED_TICKET, Handoff, OutboxMessage, Ticket

__all__ = ["Gauges", "TicketGauges", "read_gauges", "read_ticket_gauges"]

_UNSENT = ("pending", "failed")
# A page open on its chat asks for its messages every few seconds (the web chat: every 1.5 s,
# and holds what it got for 10 s until its receipt): one no page was handed for this long
# waits for its reader to come back.
ABSENT: Final = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Gauges:
    requests: dict[tuple[str, ...], int]  # (team, waiting | claimed): requests for a person
    oldest_waiting: dict[str, datetime]  # team: when its longest-waiting request joined
    outbox: dict[tuple[str, ...], int]  # (platform, pending | failed): messages not sent
    oldest_pending: dict[str, datetime]  # platform: when its oldest pending message was made
    # platform: the same of those waiting for their page to ask for them (see `read_gauges`)
    oldest_unfetched: dict[str, datetime]


async def read_gauges(now: datetime, *, fetching: Collection[str] = ()) -> Gauges:
    """One grouped query per table: the counts, and the oldest of each group.

    On the platforms in `fetching`, whose chats fetch their own messages (the web page asks
    for them), a pending message that no page was handed within ABSENT waits for a visitor
    who is away (up to a week: `bot/handoff/unfetched.py`), not for a sender that is stuck:
    it is among the oldest unfetched, not the oldest pending. Those of a page that asks and
    still does not take them (it fails to show them) stay pending, and age there."""
    requests = await _groups(Handoff.filter(status__in=ACTIVE_HANDOFF), "team")
    asked_after = now.astimezone(UTC) - ABSENT  # SQLite compares the stored UTC times as text
    oldest: dict[str, datetime | None] = {}
    unfetched: dict[str, datetime | None] = {}
    outbox = await _unsent(asked_after)
    for (where, status), group in outbox.items():
        if status == "pending" and where in fetching:
            oldest[where], unfetched[where] = group.handed, group.away
        elif status == "pending":
            oldest[where] = group.since
    return Gauges(
        {key: count for key, (count, _) in requests.items()},
        {team: since for (team, status), (_, since) in requests.items() if status == "waiting"},
        {key: group.size for key, group in outbox.items()},
        {where: since for where, since in oldest.items() if since is not None},
        {where: since for where, since in unfetched.items() if since is not None},
    )


class _Unsent(NamedTuple):
    """A group of unsent messages: how many, and the earliest `created_at` among them all,
    among those due since a time (a page it was for was handed them since, or they are new),
    and among those due before it (no page was handed them since: `read_gauges`)."""

    size: int
    since: datetime
    handed: datetime | None
    away: datetime | None


async def _unsent(asked_after: datetime) -> dict[tuple[str, ...], _Unsent]:
    """Per (platform, status), the unsent messages (`_Unsent`, around `asked_after`)."""
    due_before = Q(available_at__lt=asked_after)
    found = await (
        OutboxMessage.filter(status__in=_UNSENT)
        .annotate(
            count=Count("id"),
            since=Min("created_at"),
            handed=Min("created_at", _filter=~due_before),
            away=Min("created_at", _filter=due_before),
        )
        .group_by("platform", "status")
        .values_list("platform", "status", "count", "since", "handed", "away")
    )
    return {(where, status): _Unsent(int(n), *times) for where, status, n, *times in found}


async def _groups(rows: QuerySet[Handoff], by: str) -> dict[tuple[str, ...], tuple[int, datetime]]:
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
