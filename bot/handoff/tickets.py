"""Opening tickets, each with its service-level due times, and their users withdrawing them;
`TicketDesk` is the handoff port that opens one for every handoff (no teams configured)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q

from bot.handoff.hours import Calendar
from bot.handoff.offices import Offices, ticket_hours
from bot.handoff.port import HandoffRequest, HandoffResult, Reopening, Withdrawal
from bot.handoff.reopening import clocks_by, reopen_ticket
from bot.handoff.sla import Clocks, Policies, Policy
from bot.handoff.sla_alerts import ALERTS, next_alert_at
from bot.handoff.text import subject
from bot.priorities import rank
from bot.storage import repo
from bot.storage.models import UNRESOLVED_TICKET, WITHDRAWN, Ticket

__all__ = [
    "TicketDesk",
    "describe_ticket",
    "mark_ticket",
    "open_duplicate",
    "open_ticket",
    "raise_ticket",
    "resolve_open",
    "set_ticket_priority",
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
    _set_due(ticket, policy.clocks(values.get("priority", ""), start, hours=hours))
    await ticket.save()
    return ticket


def _set_due(ticket: Ticket, clocks: Clocks) -> None:
    """The ticket's due and warning times by `clocks`, and when its next alert is."""
    ticket.response_due, ticket.resolve_due = clocks.response_due, clocks.resolve_due
    ticket.response_warn_at, ticket.resolve_warn_at = clocks.response_warn, clocks.resolve_warn
    ticket.next_alert_at = next_alert_at(ticket)


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


async def raise_ticket(
    ticket: Ticket | None,
    priority: str,
    policy: Policy,
    *,
    hours: Calendar | None,
    start: datetime | None = None,
) -> bool:
    """Give the open `ticket` `priority` if it is higher (`set_ticket_priority`). False:
    nothing changed. Of two messages of urgency handled at once, one raises it (and its
    desk is told once)."""
    if ticket is None or ticket.status != "open" or rank(priority) <= rank(ticket.priority):
        return False
    return await set_ticket_priority(ticket, priority, policy, hours=hours, start=start)


async def set_ticket_priority(
    ticket: Ticket,
    priority: str,
    policy: Policy,
    *,
    hours: Calendar | None,
    start: datetime | None = None,
) -> bool:
    """Give `ticket` `priority` (higher or lower), with due times by it counted from `start`
    as when it was opened (None: its creation); the alerts follow them, and one sent for a
    time that has moved later may come again by the new one. One conditional update on the
    status and priority as read: of two changes at once, one wins; False: it lost (`ticket`
    is as the database has it again)."""
    was, old = ticket.priority, [getattr(ticket, alert.at) for alert in ALERTS]
    ticket.priority = priority
    clocks = policy.clocks(priority, start or ticket.created_at, hours=hours)
    _set_due(ticket, _raised(ticket, clocks))
    ticket.sla_alerts &= ~_later(ticket, old)
    ticket.next_alert_at = next_alert_at(ticket)
    changed = await Ticket.filter(id=ticket.id, status=ticket.status, priority=was).update(
        priority=priority,
        response_due=ticket.response_due,
        resolve_due=ticket.resolve_due,
        response_warn_at=ticket.response_warn_at,
        resolve_warn_at=ticket.resolve_warn_at,
        sla_alerts=ticket.sla_alerts,
        next_alert_at=ticket.next_alert_at,
    )
    if not changed:  # changed (or ended) meanwhile: `ticket` is as the database has it again
        await ticket.refresh_from_db()
    return bool(changed)


def _later(ticket: Ticket, old: list[datetime | None]) -> int:
    """The bits of the alerts whose times moved later than `old` (in `ALERTS`' order): one
    sent for the earlier time is to come again by the new one."""
    moved = [
        alert.bit
        for alert, was in zip(ALERTS, old, strict=True)
        if was is not None and (now := getattr(ticket, alert.at)) is not None and now > was
    ]
    return sum(moved)


def _raised(ticket: Ticket, clocks: Clocks) -> Clocks:
    """`clocks` for `ticket` at its new priority, but a first response it has had keeps the
    due time it was given under (met or missed then, as the report counts it)."""
    if ticket.first_response_at is None or ticket.response_due is None:
        return clocks
    warn = ticket.response_warn_at or ticket.response_due
    return replace(clocks, response_due=ticket.response_due, response_warn=warn)


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


@dataclass(frozen=True, slots=True)
class TicketDesk:
    """Opens a ticket for every handoff."""

    sla: Policies = field(default_factory=Policies)
    offices: Offices = field(default_factory=Offices)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    reopen_days: int = 7  # see `reopening.py`

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        """Open the ticket; its id is the number the user is told (or that of the open one
        the request would repeat)."""
        if (duplicate := await open_duplicate(request)) is not None:
            return HandoffResult(ticket_id=duplicate.id, due=duplicate.response_due, already=True)
        office = self.offices.named(request.office)
        ticket = await open_ticket(
            self.sla.of(office),
            start=self.clock(),
            hours=ticket_hours(office, None),  # no teams: the office's hours, or all day
            user_id=request.user_db_id,
            conversation_id=request.conversation_db_id,
            subject=subject(request.question) if request.question else "",  # none yet
            description=request.question,
            priority=request.priority,
            team=request.team,
            office=request.office,
            language=request.language,
            reason=request.reason,
        )
        return HandoffResult(ticket_id=ticket.id, due=ticket.response_due)

    async def raise_priority(self, user_db_id: int, number: int, priority: str) -> bool:
        """Raise it, with its due times by its office's policy and hours."""
        ticket = await repo.user_ticket(user_db_id, number)
        office = self.offices.named(ticket.office if ticket else None)
        policy = self.sla.named(ticket.sla_policy if ticket else None)
        return await raise_ticket(ticket, priority, policy, hours=ticket_hours(office, None))

    async def rated_low(self, rated: str, number: int) -> None:
        """With no teams there is no desk to tell: the report shows it."""

    async def withdraw(self, user_db_id: int, number: int) -> Withdrawal:
        """Withdraw it: with no teams there is no desk to tell."""
        withdrawal, _ = await withdraw_ticket(number, user_id=user_db_id)
        return withdrawal

    async def reopen(self, user_db_id: int, number: int) -> Reopening:
        """Reopen it, due by its office's policy and hours: no desk to tell."""
        clocks = clocks_by(self.sla, self.offices)
        reopening, _ = await reopen_ticket(
            number, user_id=user_db_id, now=self.clock(), days=self.reopen_days, clocks=clocks
        )
        return reopening
