"""A user's tickets as they ask about them: their list, one by number, the newest still
open, and those whose chat waits in another team's queue."""

from __future__ import annotations

from bot.storage.models import UNRESOLVED_TICKET, Handoff, Ticket

__all__ = ["newest_open_ticket", "queued_tickets", "user_ticket", "user_tickets"]


async def user_tickets(user_id: int, *, resolved: int = 3) -> list[Ticket]:
    """The user's unresolved tickets (up to 10), newest first, then the latest `resolved`."""
    mine = Ticket.filter(user_id=user_id).order_by("-id")
    current = await mine.filter(status__in=UNRESOLVED_TICKET).limit(10)
    return current + await mine.exclude(status__in=UNRESOLVED_TICKET).limit(resolved)


async def queued_tickets(numbers: list[int]) -> dict[int, str]:
    """Of tickets `numbers`, those whose chat waits in a team's queue (picked up, then passed
    to another team): the team it waits in."""
    waiting = Handoff.filter(ticket_id__in=numbers, status="waiting")
    return {number: team for number, team in await waiting.values_list("ticket_id", "team")}


async def newest_open_ticket(user_id: int) -> Ticket | None:
    """The user's newest ticket still waiting for IT (open, not picked up), if any."""
    return await Ticket.filter(user_id=user_id, status="open").order_by("-id").first()


async def user_ticket(user_id: int, number: int) -> Ticket | None:
    """The user's ticket `number`; None when they have no such ticket."""
    return await Ticket.get_or_none(id=number, user_id=user_id)
