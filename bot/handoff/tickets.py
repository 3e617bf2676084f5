"""Opening tickets, each with its service-level due times, and their users withdrawing them
(the handoff port that opens one for every handoff, with no teams: `ticket_desk.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from bot.handoff.hours import Calendar
from bot.handoff.port import HandoffRequest, Withdrawal
from bot.handoff.sla import Clocks, Policy
from bot.handoff.sla_alerts import next_alert_at
from bot.handoff.text import subject
from bot.storage import repo
from bot.storage.models import UNRESOLVED_TICKET, WITHDRAWN, Ticket

__all__ = [
    "describe_ticket",
    "mark_ticket",
    "open_duplicate",
    "open_ticket",
    "resolve_open",
    "save_clocks",
    "set_due",
    "unresolved_labels",
    "withdraw_ticket",
]

_OTHERS = 3  # the unresolved tickets a desk names per user, newest first


async def unresolved_labels(
    user_ids: Iterable[int],
    *,
    untitled: str,
    besides: Iterable[int | None] = (),
    recent: tuple[datetime, str] | None = None,
) -> dict[int, tuple[str, ...]]:
    """Per user, their newest unresolved tickets as "#12 «subject»" (not those in `besides`;
    `untitled` for one of no subject yet): a desk shows them on a request's card, as it may
    be about one of them. With `recent` (since when, and the words after the label), those
    resolved since then too, so marked: a problem "fixed" yesterday may be back."""
    skip = {number for number in besides if number is not None}
    shown = Q(status__in=UNRESOLVED_TICKET)
    if recent is not None:
        shown |= Q(status="resolved", resolved_at__gte=recent[0])
    rows = Ticket.filter(shown, user_id__in=list(set(user_ids)))
    labels: dict[int, list[str]] = {}
    for ticket in await rows.order_by("-id"):
        mine = labels.setdefault(ticket.user_id, [])
        if ticket.id not in skip and len(mine) < _OTHERS:
            mark = recent[1] if recent is not None and ticket.status == "resolved" else ""
            named = subject(ticket.subject) if ticket.subject else untitled
            mine.append(f"#{ticket.id} «{named}»{mark}")
    return {user: tuple(found) for user, found in labels.items()}


async def open_ticket(
    policy: Policy,
    *,
    start: datetime,
    hours: Calendar | None,
    first_response: datetime | None = None,
    **values: Any,
) -> Ticket:
    """Create a ticket of `values` with its due times by `policy`, counted from `start` (when
    the user asked for a person) in the policy's hours, else `hours` (the office's business
    hours or the team's working time, see `ticket_hours`; None: around the clock).
    `first_response`: an agent has already talked to the user."""
    ticket = Ticket(**values, sla_policy=policy.name, first_response_at=first_response)
    set_due(ticket, policy.clocks(values.get("priority", ""), start, hours=hours))
    await ticket.save()
    return ticket


def set_due(ticket: Ticket, clocks: Clocks) -> None:
    """The ticket's due and warning times by `clocks`, and when its next alert is."""
    ticket.response_due, ticket.resolve_due = clocks.response_due, clocks.resolve_due
    ticket.response_warn_at, ticket.resolve_warn_at = clocks.response_warn, clocks.resolve_warn
    ticket.next_alert_at = next_alert_at(ticket)


_CLOCKS = (
    *("response_due", "resolve_due", "response_warn_at", "resolve_warn_at"),
    *("sla_alerts", "next_alert_at"),
)


async def save_clocks(ticket: Ticket, where: dict[str, object], **values: object) -> bool:
    """Write `ticket`'s due times and alert state as they are now (and `values`) in one
    update, if its row still matches `where`: of two changes at once, one wins. False: it
    lost, and `ticket` is as the database has it again."""
    clocks = {name: getattr(ticket, name) for name in _CLOCKS}
    changed = await Ticket.filter(id=ticket.id, **where).update(**clocks, **values)
    if not changed:
        await ticket.refresh_from_db()
    return bool(changed)


async def mark_ticket(number: int, *, now: datetime, resolved: bool = False) -> None:
    """An agent has answered ticket `number` (picked it up), or resolved it: the time is
    kept (the first one only) and the alerts waiting for it are dropped."""
    ticket = await Ticket.get(id=number)
    _answered(ticket, now, resolved=resolved)
    await ticket.save(update_fields=["status", "resolved_at", "first_response_at", "next_alert_at"])


def _answered(ticket: Ticket, now: datetime, *, resolved: bool) -> None:
    """Answered at `now` (the first response only; resolving answers too), and resolved then
    if `resolved`; the alerts waiting for either are dropped."""
    ticket.first_response_at = ticket.first_response_at or now
    if resolved:
        ticket.status, ticket.resolved_at = "resolved", ticket.resolved_at or now
    ticket.next_alert_at = next_alert_at(ticket)


async def resolve_open(ticket: Ticket, *, now: datetime, by: str) -> bool:
    """Resolve `ticket` (read as open) if it is open still, as `by` ("platform:user id"),
    in one conditional update: of an agent resolving it and another picking it up, or its
    user withdrawing it, at once one wins. Resolving answers it too (the first response, if
    none came yet), and the alerts waiting for either stop. False: it was not open any more."""
    _answered(ticket, now, resolved=True)
    ticket.resolved_by = by
    resolved = await Ticket.filter(id=ticket.id, status="open").update(
        status=ticket.status,
        resolved_at=ticket.resolved_at,
        first_response_at=ticket.first_response_at,
        next_alert_at=ticket.next_alert_at,
        resolved_by=by,
    )
    return bool(resolved)


async def withdraw_ticket(number: int, *, user_id: int) -> tuple[Withdrawal, Ticket | None]:
    """Withdraw ticket `number` of user `user_id` if it is open, and drop its alerts: what
    became of it, and the ticket as it is now (None: the user has no such ticket).

    Only an open one: a ticket in progress is in a chat with an agent (picked up, or waiting
    again after a transfer), and the user ends that chat with /cancel (the ticket is open
    again) rather than pull the ticket from under the agent. A conditional update, so of the
    user withdrawing it and an agent picking it up or resolving it at once one wins."""
    withdrawn = await Ticket.filter(id=number, user_id=user_id, status="open").update(
        status=WITHDRAWN, next_alert_at=None
    )
    ticket = await repo.user_ticket(user_id, number)
    if ticket is None:
        return Withdrawal(number), None
    return Withdrawal(number, bool(withdrawn), ticket.status, ticket.subject), ticket


async def describe_ticket(number: int, *, user_id: int, text: str) -> None:
    """What the user says the problem of their ticket `number` is, asked after a bare
    request for a person: its subject and description, if it has none yet; else what they
    add to it, asking for a person again (`open_duplicate`), goes under its description."""
    ticket = await Ticket.filter(id=number, user_id=user_id).first()
    if ticket is None:
        return
    if not ticket.description:
        ticket.subject, ticket.description = subject(text), text
    else:
        ticket.description = f"{ticket.description}\n\n{text}"
    await ticket.save(update_fields=["subject", "description"])


async def open_duplicate(request: HandoffRequest) -> Ticket | None:
    """The user's newest open ticket when `request` would only repeat it: a request for a
    person ("human", "anyone there?") that names no problem, or the one the ticket is
    about, or follows up on it (`HandoffRequest.follow_up`: "still not working after
    reboot", then "human", in the ticket's chat). A request that names another problem
    ("human please, the printer is broken too"), or comes after a question the KB answered,
    gets a ticket of its own: one ticket per problem, each with its own SLA."""
    if request.reason != "asked_for_person":
        return None
    ticket = await repo.newest_open_ticket(request.user_db_id)
    if ticket is None or request.question in ("", ticket.description):
        return ticket
    here = ticket.conversation_id == request.conversation_db_id
    return ticket if request.follow_up and here else None
