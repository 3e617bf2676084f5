"""A ticket's priority changed: by its user ("срочно!": only up, `raise_ticket`) or by an
agent (`prioritise.py`), its due times by the new priority as when it was opened, a first
response it has had keeping the due time it was given under, and the SLA warnings following
(`set_ticket_priority`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.handoff.hours import Calendar
from bot.handoff.sla import Clocks, Policy
from bot.handoff.sla_alerts import ALERTS, next_alert_at
from bot.handoff.tickets import save_clocks, set_due
from bot.priorities import rank
from bot.storage.models import Ticket

__all__ = ["raise_ticket", "set_ticket_priority"]


async def raise_ticket(
    ticket: Ticket,
    priority: str,
    policy: Policy,
    *,
    hours: Calendar | None,
    start: datetime | None = None,
) -> bool:
    """Give the open `ticket` `priority` if it is higher (`set_ticket_priority`). False:
    nothing changed. Of two messages of urgency handled at once, one raises it (and its
    desk is told once)."""
    if ticket.status != "open" or rank(priority) <= rank(ticket.priority):
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
    set_due(ticket, _raised(ticket, clocks))
    ticket.sla_alerts &= ~_later(ticket, old)
    ticket.next_alert_at = next_alert_at(ticket)
    return await save_clocks(ticket, {"status": ticket.status, "priority": was}, priority=priority)


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
