"""The service-level report as one JSON object (`helpdesk-bot report --json`), for a lead's
dashboard: the same figures (`bot/service.py`) as the text (`bot/service_text.py`), with names
for every number; and the tickets still open as a JSON array (`helpdesk-bot tickets --json`).

A share is of the decided tickets (met or missed), null when none is decided yet; a wait is
in minutes; a group with no figure to give (no waits, no ratings) says null.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from bot.handoff.sla import due_now
from bot.service import (
    TICKET_SPLITS,
    Compliance,
    Levels,
    by_priority,
    comments,
    due_first_order,
    grouped,
    requests,
    sla,
    sla_counted,
    ticket_states,
)
from bot.storage.reports import HandoffRow, TicketRow

__all__ = ["report_json", "tickets_json"]


def report_json(
    handoffs: Sequence[HandoffRow],
    tickets: Sequence[TicketRow],
    *,
    since: datetime,
    now: datetime,
    names: Mapping[str, str] | None = None,
    teams: Collection[str] = (),
    reopened: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The report as plain values `json.dumps` takes; groups keep the text's order. Each
    agent, by id, has their name from `names` (by id; null when not known), as the text's;
    each of the configured `teams` has its figures, as the text's; `reopened`: per team, the
    tickets their users reopened in the period."""
    figures, names, reopened = requests(handoffs, tickets, teams), names or {}, reopened or {}
    groups = {split: {name: _levels(group) for name, group in by} for split, by in figures.splits}
    return {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "requests": {"all": _levels(figures.all), **groups},
        "agents": {
            one.agent: {
                "name": names.get(one.agent),
                "closed": one.closed,  # chats
                "resolved": one.resolved,  # tickets, without a chat
                "rating": _rating(one.levels),
            }
            for one in figures.agents
        },
        "tickets": {
            "opened": len(tickets),
            "priority": by_priority(tickets),
            "now": ticket_states(tickets),
            "reopened": {"all": sum(reopened.values()), "team": dict(sorted(reopened.items()))},
        },
        "sla": _split(sla_counted(tickets), teams, lambda rows: _sla_figures(rows, now)),
        "comments": [asdict(one) for one in comments(handoffs, tickets)],
    }


def tickets_json(tickets: Sequence[TicketRow], *, now: datetime) -> list[dict[str, Any]]:
    """The tickets `helpdesk-bot tickets` lists, in its order: `due` is the SLA due time the
    ticket waits for (ISO, UTC; null when none), `overdue` whether it has passed."""
    return [_ticket(ticket, now) for ticket in due_first_order(tickets)]


def _ticket(ticket: TicketRow, now: datetime) -> dict[str, Any]:
    due = due_now(ticket)
    return {
        "number": ticket.number,
        "priority": ticket.priority,
        "status": ticket.status,
        "team": ticket.team,
        "office": ticket.office,
        "subject": ticket.subject,
        "created_at": ticket.created_at.astimezone(UTC).isoformat(),
        "due": None if due is None else due.astimezone(UTC).isoformat(),
        "overdue": due is not None and due < now,
        "sla_policy": ticket.sla_policy,
    }


def _split(
    rows: Sequence[TicketRow],
    teams: Collection[str],
    figures: Callable[[Sequence[TicketRow]], dict[str, Any]],
) -> dict[str, Any]:
    """The figures of all the rows, and per split of `TICKET_SPLITS` ("team", …) of each of
    its groups by name ("-": none; each of the configured `teams` too)."""
    groups: dict[str, Any] = {"all": figures(rows)}
    for split in TICKET_SPLITS:
        by = grouped(split, rows, teams)
        groups[split.name] = {name: figures(group) for name, group in by}
    return groups


def _sla_figures(tickets: Sequence[TicketRow], now: datetime) -> dict[str, Any]:
    figures = sla(tickets, now)
    return {
        "tickets": figures.tickets,
        "first_response": _compliance(figures.response),
        "resolution": _compliance(figures.resolve),
    }


def _compliance(figures: Compliance) -> dict[str, Any]:
    return {
        "met": figures.met,
        "missed": figures.missed,
        "pending": figures.pending,
        "share": figures.share,
    }


def _levels(figures: Levels) -> dict[str, Any]:
    wait = figures.first_response
    return {
        "requests": figures.requests,
        "taken": figures.taken,
        "ticketed": figures.ticketed,
        "left": figures.left,
        "waiting": figures.waiting,
        "first_response_minutes": None if wait is None else {"median": wait[0], "p90": wait[1]},
        "rating": _rating(figures),
    }


def _rating(figures: Levels) -> dict[str, Any] | None:
    rating = figures.rating
    return None if rating is None else {"mean": rating[0], "count": rating[1]}
