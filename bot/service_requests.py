"""The service report's figures of requests for a person (see `bot/service.py`): per team
and priority, how many an agent took and how soon, how many became tickets or were left, the
users' ratings and their comments, and per agent."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.service_splits import TEAM, Split, grouped, urgent_first
from bot.storage.reports import HandoffRow, TicketRow

__all__ = [
    "AgentLevels",
    "Levels",
    "RatingComment",
    "Requests",
    "by_agent",
    "comments",
    "levels",
    "requests",
]

_PICKED_UP = "ticket"  # a handoff made when an agent picked up a ticket: no wait to measure
_RESOLVED = "resolved"  # a rated ticket resolved without a chat (`_with_ticket_ratings`)
_NOT_ASKED = (_PICKED_UP, _RESOLVED)

_REQUEST_SPLITS: tuple[Split[HandoffRow], ...] = (
    Split(TEAM, lambda r: r.team),
    Split("priority", lambda r: r.priority, urgent_first),
)
_AGENTS: Split[HandoffRow] = Split("agent", lambda r: r.agent or "")


@dataclass(frozen=True, slots=True)
class Levels:
    """The figures of one group of requests."""

    requests: int
    taken: int  # claimed by an agent (still in the chat or closed since)
    ticketed: int
    left: int  # cancelled by the user before an agent took it (gave up waiting)
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
        left=sum(r.status == "cancelled" and r.claimed_at is None for r in asked),
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


def requests(
    handoffs: Sequence[HandoffRow], tickets: Sequence[TicketRow], teams: Collection[str] = ()
) -> Requests:
    """The figures of `handoffs`, the requests of the period, and of `tickets`, those opened;
    each of the configured `teams` has its group, with no requests if it had none."""
    rows = _with_ticket_ratings(handoffs, tickets)
    splits = [
        (split.name, [(name, levels(group)) for name, group in grouped(split, rows, teams)])
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


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of values sorted ascending."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]
