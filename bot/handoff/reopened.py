"""A user reopened their resolved ticket (`reopening.py`) where teams are configured: the
ticket is open again for its team, by the team's hours, and its desk gets one line at the
top, as of the other ticket events (a withdrawal, a raise, a resolution)."""

from __future__ import annotations

from bot.handoff.port import Reopening
from bot.handoff.queue import Queue
from bot.handoff.reopening import clocks_by, reopen_ticket
from bot.handoff.ticket_tell import tell_user_act

__all__ = ["reopen_for_team"]


async def reopen_for_team(queue: Queue, user_db_id: int, number: int) -> Reopening:
    """Reopen the user's ticket `number` (within `queue.reopen_days`), and tell its team."""
    clocks = clocks_by(queue.sla, queue.offices, queue.teams)
    reopening, ticket = await reopen_ticket(
        number, user_id=user_db_id, now=queue.clock(), days=queue.reopen_days, clocks=clocks
    )
    if reopening.done and ticket is not None:  # one line at the top of the team's desk
        await tell_user_act(queue, ticket, "desk_ticket_reopened")
    return reopening
