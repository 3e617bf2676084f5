"""Service levels, for support leads (`helpdesk-bot report`).

Requests for a person per team and per priority: how many an agent took, how soon (the first
response: from the request to the claim, median and 90th percentile), how many became tickets
or were left by the user, and how users rated the help they got (1–5, after an agent closed
the chat); per agent, the chats they closed and their ratings; the tickets opened, and how
many met their SLA due times (first response and resolution), in all, per team, per priority,
per client office and per SLA policy. A ticket keeps the name of the policy it was opened
under, so a policy edited or an office moved to another one since does not rewrite the past.
A ticket its user withdrew is left out of the SLA figures: nobody resolved it, and its clocks
stopped without being met or missed. `bot/service_json.py` gives the same figures to a
dashboard.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from bot.handoff.sla import due_now
from bot.priorities import rank
from bot.storage.models import WITHDRAWN
from bot.storage.reports import HandoffRow, TicketRow

__all__ = [
    "REQUEST_SPLITS",
    "TICKET_SPLITS",
    "Compliance",
    "Levels",
    "Sla",
    "Split",
    "by_agent",
    "by_priority",
    "compliance",
    "format_report",
    "format_unresolved",
    "levels",
    "sla",
    "sla_counted",
    "ticket_states",
]

_PICKED_UP = "ticket"  # a handoff made when an agent picked up a ticket: no wait to measure
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Split(Generic[_R]):
    """One way the report splits its rows ("team", "priority", …): each row's group in it,
    and the order the groups are listed in."""

    name: str
    group: Callable[[_R], str]
    order: Callable[[str], Any] = str

    def apply(self, rows: Sequence[_R]) -> list[tuple[str, list[_R]]]:
        """Each group's name and rows, in order."""
        names = sorted({self.group(r) for r in rows}, key=self.order)
        return [(name, [r for r in rows if self.group(r) == name]) for name in names]


def _urgent_first(priority: str) -> tuple[int, str]:
    return -rank(priority), priority


REQUEST_SPLITS: tuple[Split[HandoffRow], ...] = (
    Split("team", lambda r: r.team),
    Split("priority", lambda r: r.priority, _urgent_first),
)
# "-": a ticket without a team, without an office, or from before tickets kept their policy
# (those have no due times either).
TICKET_SPLITS: tuple[Split[TicketRow], ...] = (
    Split("team", lambda t: t.team or "-"),
    Split("priority", lambda t: t.priority, _urgent_first),
    Split("office", lambda t: t.office or "-"),
    Split("policy", lambda t: t.sla_policy or "-"),
)
_AGENTS: Split[HandoffRow] = Split("agent", lambda r: r.agent or "")


@dataclass(frozen=True, slots=True)
class Levels:
    """The figures of one group of requests."""

    requests: int
    taken: int  # claimed by an agent (still in the chat or closed since)
    ticketed: int
    left: int  # cancelled by the user
    waiting: int
    first_response: tuple[float, float] | None  # minutes: median, 90th percentile
    rating: tuple[float, int] | None  # mean and number of ratings


def levels(rows: Sequence[HandoffRow]) -> Levels:
    """The figures of these requests."""
    waits = sorted(
        (r.claimed_at - r.created_at).total_seconds() / 60
        for r in rows
        if r.claimed_at is not None and r.reason != _PICKED_UP
    )
    ratings = [r.rating for r in rows if r.rating is not None]
    return Levels(
        requests=len(rows),
        taken=sum(r.claimed_at is not None for r in rows),
        ticketed=sum(r.status == "ticketed" for r in rows),
        left=sum(r.status == "cancelled" for r in rows),
        waiting=sum(r.status == "waiting" for r in rows),
        first_response=(statistics.median(waits), _percentile(waits, 0.9)) if waits else None,
        rating=(statistics.fmean(ratings), len(ratings)) if ratings else None,
    )


def format_report(
    handoffs: Sequence[HandoffRow],
    tickets: Sequence[TicketRow],
    *,
    since: datetime,
    now: datetime | None = None,
) -> str:
    """The report as text."""
    lines = [f"since {since:%Y-%m-%d %H:%M} UTC", _HEADER]
    lines.append(_row("all requests", levels(handoffs)))
    for split in REQUEST_SPLITS:
        lines += [
            _row(f"{split.name} {name}", levels(rows)) for name, rows in split.apply(handoffs)
        ]
    agents = by_agent(handoffs)
    if agents:
        lines.append(f"{'agent':<28}{'closed':>8}  rating")
    for agent, closed, figures in agents:
        lines.append(f"{agent:<28}{closed:>8}  {_rating(figures)}")
    states = ticket_states(tickets)
    lines.append(
        f"tickets opened: {len(tickets)} ({_priorities(tickets) or 'none'}); "
        f"now open {states['open']}, in progress {states['in_progress']}, "
        f"resolved {states['resolved']}, withdrawn {states[WITHDRAWN]}"
    )
    lines += _sla_lines(tickets, now or datetime.now(UTC))
    return "\n".join(lines)


def by_agent(handoffs: Sequence[HandoffRow]) -> list[tuple[str, int, Levels]]:
    """Per agent, by name: the chats they closed, and the figures of the requests they took."""
    return [
        (agent, sum(r.status == "closed" for r in rows), levels(rows))
        for agent, rows in _AGENTS.apply(handoffs)
        if agent
    ]


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


def _sla_lines(opened: Sequence[TicketRow], now: datetime) -> list[str]:
    """SLA compliance of the tickets (`sla_counted`), in all and in each of `TICKET_SPLITS`."""
    tickets = sla_counted(opened)
    if not any(t.response_due is not None for t in tickets):
        return []
    lines = [f"{'SLA of tickets':<28}{'tickets':>8}  {'first response':<36}  resolution"]
    groups = [("all tickets", list(tickets))]
    for split in TICKET_SPLITS:
        groups += [(f"{split.name} {name}", rows) for name, rows in split.apply(tickets)]
    for name, rows in groups:
        kept = sla(rows, now)
        lines.append(
            f"{name:<28}{kept.tickets:>8}  {_kept(kept.response):<36}  {_kept(kept.resolve)}"
        )
    return lines


def ticket_states(tickets: Sequence[TicketRow]) -> dict[str, int]:
    """How many of the tickets are open, in progress, resolved and withdrawn now."""
    states = ("open", "in_progress", "resolved", WITHDRAWN)
    return {s: sum(t.status == s for t in tickets) for s in states}


def by_priority(tickets: Sequence[TicketRow]) -> dict[str, int]:
    """How many tickets of each priority present, most urgent first."""
    counts = Counter(t.priority for t in tickets)
    return {p: counts[p] for p in sorted(counts, key=_urgent_first)}


def _priorities(tickets: Sequence[TicketRow]) -> str:
    """Such as "urgent 1, normal 2": the priorities present, most urgent first."""
    return ", ".join(f"{p} {n}" for p, n in by_priority(tickets).items())


def _kept(figures: Compliance) -> str:
    """Such as "met 3, missed 1 (75%), pending 2"."""
    share = "" if figures.share is None else f" ({figures.share:.0%})"
    return f"met {figures.met}, missed {figures.missed}{share}, pending {figures.pending}"


_HEADER = (
    f"{'requests for a person':<28}{'asked':>6}{'taken':>7}{'ticket':>8}{'left':>6}{'waiting':>9}"
    "  first response (median / 90%)  rating"
)


def _row(name: str, figures: Levels) -> str:
    response = figures.first_response
    shown = "-" if response is None else f"{_minutes(response[0])} / {_minutes(response[1])}"
    return (
        f"{name:<28}{figures.requests:>6}{figures.taken:>7}{figures.ticketed:>8}"
        f"{figures.left:>6}{figures.waiting:>9}  {shown:<30}  {_rating(figures)}"
    )


def _rating(figures: Levels) -> str:
    return "-" if figures.rating is None else f"{figures.rating[0]:.1f} ({figures.rating[1]})"


def _minutes(value: float) -> str:
    return f"{value:.0f} min" if value >= 1 else "<1 min"


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of values sorted ascending."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def format_unresolved(tickets: Sequence[TicketRow], *, now: datetime) -> str:
    """The tickets still open or in progress, most urgent first, each with the SLA due time
    it waits for (UTC) and "OVERDUE" once that has passed (`helpdesk-bot tickets`)."""
    if not tickets:
        return "no open tickets"
    ordered = sorted(tickets, key=lambda t: (-rank(t.priority), t.number))
    lines = [f"open tickets: {len(tickets)} ({_priorities(tickets)})"]
    for ticket in ordered:
        due = due_now(ticket)
        when = "due -" if due is None else f"due {due.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        late = "  OVERDUE" if due is not None and due < now else ""
        lines.append(
            f"#{ticket.number:<6} {ticket.priority:<7} {ticket.status:<12} "
            f"team {ticket.team or '-':<12} {when}{late}  «{ticket.subject}»"
        )
    return "\n".join(lines)
