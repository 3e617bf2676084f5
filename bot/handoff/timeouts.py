"""Queue time-outs: waiting handoffs nobody claimed in time (or now off hours) become tickets.

Run periodically by every instance; on PostgreSQL each overdue handoff is taken by one of
them (`SELECT … FOR UPDATE SKIP LOCKED`), SQLite mode is single-instance anyway. The query
asks for the overdue ones only, by each team's own time-out and hours, batch after batch: a
long queue of a patient team (a mass outage) must not hide another team's overdue request.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.handoff.queue import Queue, load_related
from bot.handoff.teams import Teams
from bot.handoff.ticket_notice import desk_notice, ticketed_notice
from bot.handoff.ticketed import repeated_ticket, to_ticket
from bot.storage.models import Handoff

__all__ = ["expire", "expire_overdue"]


async def expire_overdue(queue: Queue, *, limit: int = 50) -> int:
    """Convert every overdue waiting handoff to a ticket, up to `limit` per transaction (the
    rows stay locked no longer than one batch); returns how many."""
    done, taken = 0, limit
    while taken == limit:  # a short batch: none left, or the rest are another instance's
        taken = await _round(queue, limit)
        done += taken
    return done


async def _round(queue: Queue, limit: int) -> int:
    """One transaction's overdue handoffs, oldest first; returns how many."""
    now = queue.clock()
    async with in_transaction():
        overdue = (
            await Handoff.filter(_overdue(queue.teams, now), status="waiting")
            .order_by("id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        for handoff in overdue:
            await expire(queue, handoff, now)
    return len(overdue)


def _overdue(teams: Teams, now: datetime) -> Q:
    """Whose wait is over at `now`: past its own team's time-out, or its team is off duty (or
    no longer configured)."""
    on_duty = [team for team in teams.teams if team.is_open(now)]
    late = [Q(team=team.name, created_at__lte=now - team.claim_timeout) for team in on_duty]
    return Q(Q(team__not_in=[team.name for team in on_duty]), *late, join_type="OR")


async def expire(queue: Queue, handoff: Handoff, now: datetime) -> str:
    """Turn one overdue handoff into a ticket and tell the user and the desk (what the desk
    is told is returned)."""
    team = queue.teams.named(handoff.team)
    on_duty = team is not None and team.is_open(now)
    again = handoff.ticket_id is not None  # not a new ticket
    if not again and (repeated := await repeated_ticket(handoff)) is not None:
        handoff.ticket, again = repeated, True  # it goes back to the ticket it repeats
    ticket = await to_ticket(queue, handoff, "timeout" if on_duty else "off_hours")
    await load_related(handoff, "user")
    told = ticketed_notice(queue, handoff, ticket, team, on_duty=on_duty, again=again)
    await queue.tell_user(handoff, told.key, number=told.number, times=told.times)
    told_desk = desk_notice(queue, handoff, ticket, team, on_duty=on_duty, again=again)
    await queue.tell_desk(handoff, told_desk.text, kind=told_desk.kind)
    return told_desk.text
