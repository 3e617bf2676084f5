"""Queue time-outs: waiting handoffs nobody claimed in time (or now off hours) become tickets.

Run periodically by every instance; on PostgreSQL each overdue handoff is taken by one of
them (`SELECT … FOR UPDATE SKIP LOCKED`), SQLite mode is single-instance anyway.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from bot.handoff.queue import Queue, load_related
from bot.storage.models import Handoff

__all__ = ["expire_overdue"]


async def expire_overdue(queue: Queue, *, limit: int = 50) -> int:
    """Convert overdue waiting handoffs to tickets; returns how many."""
    now = queue.clock()
    done = 0
    async with in_transaction():
        waiting = (
            await Handoff.filter(status="waiting")
            .order_by("id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        for handoff in waiting:
            team = queue.teams.named(handoff.team)
            on_duty = team is not None and team.is_open(now)
            if on_duty and team is not None and now - handoff.created_at < team.claim_timeout:
                continue
            ticket = await queue.to_ticket(handoff, "timeout" if on_duty else "off_hours")
            key = "handoff_ticket_timeout" if on_duty else "handoff_ticket_off_hours"
            await load_related(handoff, "user")
            when = queue.opens_at(team, handoff.user)
            due = queue.user_time(ticket.response_due, team, handoff.user)
            await queue.tell_user(handoff, key, number=ticket.id, when=when, due=due)
            notice = queue.desk_text("desk_timed_out", id=handoff.id, number=ticket.id)
            await queue.tell_desk(handoff, notice)
            done += 1
    return done
