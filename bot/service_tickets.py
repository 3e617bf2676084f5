"""The service report's figures of tickets (see `bot/service.py`): how many met their SLA
due times, in all and per split, how many are in each state and of each priority."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.handoff.sla import due_first
from bot.service_splits import TEAM, Split, urgent_first
from bot.storage.models import WITHDRAWN
from bot.storage.reports import TicketRow

__all__ = [
    "TICKET_SPLITS",
    "Compliance",
    "Sla",
    "by_priority",
    "compliance",
    "due_first_order",
    "sla",
    "sla_counted",
    "ticket_states",
]

# "-": a ticket without a team, without an office, or from before tickets kept their policy
# (those have no due times either).
TICKET_SPLITS: tuple[Split[TicketRow], ...] = (
    Split(TEAM, lambda t: t.team or "-"),
    Split("priority", lambda t: t.priority, urgent_first),
    Split("office", lambda t: t.office or "-"),
    Split("policy", lambda t: t.sla_policy or "-"),
)


@dataclass(frozen=True, slots=True)
class Compliance:
    """Of the tickets with a due time: met it, missed it, or not done and not due yet."""

    met: int
    missed: int
    pending: int

    @property
    def share(self) -> float | None:
        """The share of the decided ones that met it."""
        decided = self.met + self.missed
        return self.met / decided if decided else None


def compliance(
    pairs: Sequence[tuple[datetime | None, datetime | None]], now: datetime
) -> Compliance:
    """Compliance of (due, done) pairs; a pair without a due time is not counted."""
    timed = [(due, done) for due, done in pairs if due is not None]
    met = sum(done is not None and done <= due for due, done in timed)
    missed = sum((done or now) > due for due, done in timed)
    return Compliance(met, missed, len(timed) - met - missed)


@dataclass(frozen=True, slots=True)
class Sla:
    """SLA compliance of a group of tickets: their first response and their resolution."""

    tickets: int
    response: Compliance
    resolve: Compliance


def sla(tickets: Sequence[TicketRow], now: datetime) -> Sla:
    """How these tickets kept their due times by `now`."""
    return Sla(
        len(tickets),
        compliance([(t.response_due, t.first_response_at) for t in tickets], now),
        compliance([(t.resolve_due, t.resolved_at) for t in tickets], now),
    )


def sla_counted(tickets: Sequence[TicketRow]) -> list[TicketRow]:
    """The tickets whose SLA counts: not the withdrawn ones (see the module's docstring)."""
    return [t for t in tickets if t.status != WITHDRAWN]


def ticket_states(tickets: Sequence[TicketRow]) -> dict[str, int]:
    """How many of the tickets are open, in progress, resolved and withdrawn now."""
    states = ("open", "in_progress", "resolved", WITHDRAWN)
    return {s: sum(t.status == s for t in tickets) for s in states}


def by_priority(tickets: Sequence[TicketRow]) -> dict[str, int]:
    """How many tickets of each priority present, most urgent first."""
    counts = Counter(t.priority for t in tickets)
    return {p: counts[p] for p in sorted(counts, key=urgent_first)}


def due_first_order(tickets: Sequence[TicketRow]) -> list[TicketRow]:
    """The tickets as `helpdesk-bot tickets` lists them, in the desks' order: the one due
    first first, then the more urgent, then the older (`sla.due_first`)."""
    return sorted(tickets, key=lambda t: due_first(t, t.priority, t.number))
