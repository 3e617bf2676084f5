"""SLA warnings: the desk hears of a ticket before its due time passes, and when it has.

Four alerts per ticket, each sent once: the first response is due soon, it is overdue,
resolution is due soon, it is overdue. An alert is moot once what it waits for happened (a
picked-up ticket has had its first response); when the bot was down past both moments of a
kind, only the overdue one is sent. `Ticket.next_alert_at` is when the next alert falls due
(None: none left), so a round reads only the tickets that need one. Every instance runs the
rounds; on PostgreSQL each ticket is taken by one of them (`FOR UPDATE SKIP LOCKED`).
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from bot.handoff.queue import ALERT, Queue
from bot.handoff.sla_alerts import Alert, next_alert_at, pending
from bot.handoff.text import subject_markdown
from bot.storage.models import UNRESOLVED_TICKET, Handoff, Ticket
from bot.zones import local_time

__all__ = ["escalate_backlog", "escalate_due"]


async def escalate_due(queue: Queue, *, limit: int = 50) -> int:
    """Send the alerts that fell due (of up to `limit` tickets); returns how many were sent."""
    return (await _round(queue, limit))[1]


async def _round(queue: Queue, limit: int) -> tuple[int, int]:
    """One transaction's alerts: (tickets taken, alerts sent)."""
    now, sent = queue.clock(), 0
    async with in_transaction():
        tickets = (
            await Ticket.filter(status__in=UNRESOLVED_TICKET, next_alert_at__lte=now)
            .order_by("next_alert_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        for ticket in tickets:
            due = [a for a in pending(ticket) if getattr(ticket, a.at) <= now]
            missed = {alert.due for alert in due if alert.missed}
            told = [a for a in due if a.missed or a.due not in missed]  # no "soon" by "overdue"
            for alert in due:
                ticket.sla_alerts |= alert.bit
            if told:
                await _tell(queue, ticket, told)
                sent += len(told)
            ticket.next_alert_at = next_alert_at(ticket)
            await ticket.save(update_fields=["sla_alerts", "next_alert_at"])
    return len(tickets), sent


async def _tell(queue: Queue, ticket: Ticket, alerts: list[Alert]) -> None:
    """The alerts on the ticket's desk: under its chat's card when an agent has it, else at
    the top; a breach also at the top of the policy's `escalate_to` team's desk."""
    team = queue.teams.get(ticket.team)
    if team is None:
        return
    handoff = await Handoff.filter(ticket_id=ticket.id, status="claimed").first()
    above = queue.teams.named(queue.sla.named(ticket.sla_policy).escalate_to or "")
    for alert in alerts:
        due: datetime = getattr(ticket, alert.due)
        text = queue.desk_text(
            alert.phrase,
            number=ticket.id,
            priority=queue.priority_text(ticket.priority),
            team=team.name,
            due=local_time(due, team.timezone),
            subject=subject_markdown(ticket, untitled=queue.desk_text("no_subject_person")),
        )
        if handoff is not None:
            await queue.tell_desk(handoff, text, kind=ALERT)
        else:
            await queue.tell_team(team, text, kind=ALERT)
        if alert.missed and above is not None and above.name != team.name:
            await queue.tell_team(above, text, kind=ALERT)


async def escalate_backlog(queue: Queue, *, limit: int = 50) -> int:
    """Batch after batch while they come full (a backlog after the bot was down); returns
    how many alerts were sent."""
    sent, taken = 0, limit
    while taken == limit:
        taken, told = await _round(queue, limit)
        sent += told
    return sent
