"""Service levels, for support leads (`helpdesk-bot report`): the figures, which
`bot/service_text.py` shows as text and `bot/service_json.py` as JSON.

Requests for a person per team and per priority: how many an agent took, how soon (the first
response: from the request to the claim, median and 90th percentile), how many became tickets
or were left by the user, and how users rated the help they got (1–5, after an agent closed
the chat, or resolved their ticket without one: `requests`); per agent, the chats
they closed, the tickets they resolved without one, and their ratings (a ticket's are its
resolver's); the tickets opened, and how many met their SLA due times (first response and
resolution), in all, per team, per priority, per client office and per SLA policy. A ticket
keeps the name of the policy it was opened under, so a policy edited or an office moved to
another one since does not rewrite the past. A ticket its user withdrew is left out of the
SLA figures: nobody resolved it, and its clocks stopped without being met or missed.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot.priorities import rank
from bot.storage.models import WITHDRAWN
from bot.storage.reports import HandoffRow, TicketRow

__all__ = [
    "TICKET_SPLITS",
    "AgentLevels",
    "Compliance",
    "Levels",
    "RatingComment",
    "Requests",
    "Sla",
    "Split",
    "by_agent",
    "by_priority",
    "comments",
    "compliance",
    "levels",
    "most_urgent_first",
    "requests",
    "sla",
    "sla_counted",
    "ticket_states",
]

_PICKED_UP = "ticket"  # a handoff made when an agent picked up a ticket: no wait to measure
_RESOLVED = "resolved"  # a rated ticket resolved without a chat (`_with_ticket_ratings`)
_NOT_ASKED = (_PICKED_UP, _RESOLVED)
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


_REQUEST_SPLITS: tuple[Split[HandoffRow], ...] = (
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
    """The figures of these requests. A ticket an agent picked up from the desk is a chat of
    theirs (rated, and counted for them in `by_agent`) but no new request: its user asked
    once, and that request is counted already (as made a ticket)."""
    asked = [r for r in rows if r.reason not in _NOT_ASKED]
    waits = sorted(
        (r.claimed_at - r.created_at).total_seconds() / 60
        for r in asked
        if r.claimed_at is not None
    )
    ratings = [r.rating for r in rows if r.rating is not None]
    return Levels(
        requests=len(asked),
        taken=sum(r.claimed_at is not None for r in asked),
        ticketed=sum(r.status == "ticketed" for r in asked),
        left=sum(r.status == "cancelled" for r in asked),
        waiting=sum(r.status == "waiting" for r in asked),
        first_response=(statistics.median(waits), _percentile(waits, 0.9)) if waits else None,
        rating=(statistics.fmean(ratings), len(ratings)) if ratings else None,
    )


@dataclass(frozen=True, slots=True)
class Requests:
    """The figures of the requests of a period: of all, of each group of each split ("team",
    "priority"), and per agent (`by_agent`); a ticket its user rated after an agent resolved it
    without a chat counts as a request's rating (`_with_ticket_ratings`)."""

    all: Levels
    splits: list[tuple[str, list[tuple[str, Levels]]]]  # per split, by name: each group's
    agents: list[AgentLevels]


def requests(handoffs: Sequence[HandoffRow], tickets: Sequence[TicketRow]) -> Requests:
    """The figures of `handoffs`, the requests of the period, and of `tickets`, those opened."""
    rows = _with_ticket_ratings(handoffs, tickets)
    splits = [
        (split.name, [(name, levels(group)) for name, group in split.apply(rows)])
        for split in _REQUEST_SPLITS
    ]
    return Requests(levels(rows), splits, by_agent(rows, tickets))


def _with_ticket_ratings(
    handoffs: Sequence[HandoffRow], tickets: Sequence[TicketRow]
) -> list[HandoffRow]:
    """The requests, and a row for each of `tickets` its user rated after an agent resolved
    it without a chat: no request (its user asked once, and that request is counted, as made
    a ticket) and no chat closed, but its rating counts for its team and priority, and for
    the agent who resolved it."""
    rated = [
        HandoffRow(
            t.team or "-",
            t.priority,
            _RESOLVED,
            _RESOLVED,
            t.resolved_by,
            t.created_at,
            None,
            t.rating,
        )
        for t in tickets
        if t.rating is not None
    ]
    return [*handoffs, *rated]


@dataclass(frozen=True, slots=True)
class RatingComment:
    """What went wrong, a user said after rating a chat (`request`) or a ticket resolved
    without one (`ticket`) low, with the rating and who helped."""

    request: int | None
    ticket: int | None
    agent: str | None
    rating: int
    comment: str


def comments(handoffs: Sequence[HandoffRow], tickets: Sequence[TicketRow]) -> list[RatingComment]:
    """The comments on ratings, the chats' then the tickets', oldest first."""
    said = [
        RatingComment(h.number, None, h.agent, h.rating, h.comment)
        for h in handoffs
        if h.comment and h.rating is not None
    ]
    return said + [
        RatingComment(None, t.number, t.resolved_by, t.rating, t.comment)
        for t in tickets
        if t.comment and t.rating is not None
    ]


@dataclass(frozen=True, slots=True)
class AgentLevels:
    """One agent's figures: the chats they closed, the tickets they resolved without a chat,
    and the figures of what they took (their ratings: of both)."""

    agent: str
    closed: int
    resolved: int
    levels: Levels


def by_agent(handoffs: Sequence[HandoffRow], tickets: Sequence[TicketRow]) -> list[AgentLevels]:
    """Per agent, by name, of `handoffs` (with the rated tickets' rows: `_with_ticket_ratings`)
    and of the `tickets` opened in the period; one who only resolved tickets is listed too."""
    resolved = Counter(t.resolved_by for t in tickets if t.resolved_by)
    took = dict(_AGENTS.apply(handoffs))
    return [
        AgentLevels(
            agent,
            sum(r.status == "closed" for r in took.get(agent, [])),
            resolved[agent],
            levels(took.get(agent, [])),
        )
        for agent in sorted({*took, *resolved} - {""})
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


def ticket_states(tickets: Sequence[TicketRow]) -> dict[str, int]:
    """How many of the tickets are open, in progress, resolved and withdrawn now."""
    states = ("open", "in_progress", "resolved", WITHDRAWN)
    return {s: sum(t.status == s for t in tickets) for s in states}


def by_priority(tickets: Sequence[TicketRow]) -> dict[str, int]:
    """How many tickets of each priority present, most urgent first."""
    counts = Counter(t.priority for t in tickets)
    return {p: counts[p] for p in sorted(counts, key=_urgent_first)}


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of values sorted ascending."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def most_urgent_first(tickets: Sequence[TicketRow]) -> list[TicketRow]:
    """The tickets by priority, most urgent first, then by number (`helpdesk-bot tickets`)."""
    return sorted(tickets, key=lambda t: (-rank(t.priority), t.number))
