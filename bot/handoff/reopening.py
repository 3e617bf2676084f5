"""Reopening a resolved ticket: its user's problem is back.

A user presses "Still not solved" under the notice that their ticket is resolved (or
"Reopen #12" in their ticket list) within the reopen window (`HELPDESK_TICKET_REOPEN_DAYS`
from its resolution; 0: never): the same ticket (number, team, office, priority) is open
again for its team, whose desk gets one line (`reopened.py`), and the user's next words go
into it (the effects wait for them as `ticketed.await_words` does). A
withdrawn ticket, or one resolved before the window, is not reopened: the user is told to
write anew. One conditional update on "resolved", as resolving is on "open": a second press,
or two at once, reopen it once.

Service levels: the first response stays as it was (met or missed then, as the report
counted it); the resolution's clock starts again at the reopening, by the ticket's policy in
its hours, so the ticket gets a new resolution due time and its warnings. The rating its
user gave the help before stays on the ticket (with who resolved it) until they rate the
new resolution (`repo.rate_ticket`: once per resolution).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.handoff.offices import Offices
from bot.handoff.port import Reopening
from bot.handoff.queue import Queue
from bot.handoff.sla import Clocks, Policies, ticket_terms
from bot.handoff.sla_alerts import ALERTS, next_alert_at
from bot.handoff.teams import Teams
from bot.handoff.tickets import save_clocks
from bot.storage import repo
from bot.storage.models import Ticket

__all__ = ["clocks_by", "recently_resolved", "reopen_ticket", "reopenable", "resolved_since"]

# The resolution's warnings (soon, missed): sent again by the new due time
_RESOLVE_ALERTS = sum(alert.bit for alert in ALERTS if alert.done == "resolved_at")


def clocks_by(
    sla: Policies, offices: Offices, teams: Teams | None = None
) -> Callable[[Ticket, datetime], Clocks]:
    """A ticket's due times from a start, by its policy in its office's hours, else its
    team's working time (`offices.ticket_hours`; with no `teams`, around the clock)."""

    def clocks(ticket: Ticket, start: datetime) -> Clocks:
        policy, hours = ticket_terms(ticket, sla, offices, teams)
        return policy.clocks(ticket.priority, start, hours=hours)

    return clocks


def resolved_since(now: datetime, days: int) -> datetime | None:
    """The earliest resolution a ticket may be reopened after at `now` (None: never)."""
    return now - timedelta(days=days) if days > 0 else None


def recently_resolved(queue: Queue) -> tuple[datetime, str] | None:
    """Since when a user's resolved tickets are named on a card of theirs (those they may
    reopen: the agent sees the problem was "fixed" lately), and the desk's mark for them."""
    since = resolved_since(queue.clock(), queue.reopen_days)
    return None if since is None else (since, queue.desk_text("desk_card_ticket_resolved"))


def reopenable(ticket: Ticket, now: datetime, days: int) -> bool:
    """Whether `ticket` is resolved, within the `days` of the reopen window."""
    since = resolved_since(now, days)
    resolved = ticket.status == "resolved" and ticket.resolved_at is not None
    return since is not None and resolved and ticket.resolved_at >= since  # type: ignore[operator]


async def reopen_ticket(
    number: int,
    *,
    user_id: int,
    now: datetime,
    days: int,
    clocks: Callable[[Ticket, datetime], Clocks],
) -> tuple[Reopening, Ticket | None]:
    """Reopen ticket `number` of user `user_id` if it is reopenable at `now`, its resolution
    due by `clocks` (its policy in its hours) from now: what became of it, and the ticket as
    it is now (None: the user has no such ticket)."""
    ticket = await repo.user_ticket(user_id, number)
    if ticket is None:
        return Reopening(number), None
    if not reopenable(ticket, now, days):
        return Reopening(number, False, ticket.status, ticket.subject), ticket
    _restart(ticket, clocks(ticket, now), now)
    opened = {"status": "open", "resolved_at": None, "reopened_at": now}
    if not await save_clocks(ticket, {"status": "resolved"}, reopens=ticket.reopens, **opened):
        return Reopening(number, False, ticket.status, ticket.subject), ticket
    return Reopening(number, True, "open", ticket.subject), ticket


def _restart(ticket: Ticket, clocks: Clocks, now: datetime) -> None:
    """`ticket` open again at `now`: its resolution due by `clocks`, its warnings to come."""
    ticket.status, ticket.resolved_at, ticket.reopened_at = "open", None, now
    ticket.reopens += 1
    ticket.resolve_due, ticket.resolve_warn_at = clocks.resolve_due, clocks.resolve_warn
    ticket.sla_alerts &= ~_RESOLVE_ALERTS
    ticket.next_alert_at = next_alert_at(ticket)
