"""Ending a ticket without a chat: an agent of its team resolves it with a short note, or
its user withdraws it.

Much of a team's work needs no talk (a toner replaced, an account unlocked): the agent
resolves the open ticket with a note, the user is told in their chat, and the team's desk
gets one line. The ticket goes from "open" to "resolved" by a conditional update, so an
agent resolving it and another picking it up at once (or its user withdrawing it) cannot
both win. After help the user rates it: the note comes with the buttons 1–5 an ended chat
gets, and a press keeps the score on the ticket (`Ticket.rating`, once), with who resolved it
(`Ticket.resolved_by`), for the report's ratings per team, priority and agent. A ticket in a
chat (picked up) is resolved by closing that chat, which asks for the chat's rating
(`Handoff.rating`). A user withdraws an open ticket from their ticket list (see
`tickets.withdraw_ticket`): nobody helped, so nothing is rated; its team hears of it
(`ticket_tell.tell_withdrawn`), as it does of a user raising their open ticket's priority
("срочно!", `tell_raised`).
"""

from __future__ import annotations

from collections.abc import Callable

from tortoise.transactions import in_transaction

from bot.handoff.agents import agent_name
from bot.handoff.outages import tell_joined_resolved
from bot.handoff.pickup import team_of, unauthorised
from bot.handoff.queue import Queue
from bot.handoff.text import markdown_clip, markdown_line
from bot.handoff.ticket_tell import tell_ticket_team, tell_ticket_user
from bot.handoff.tickets import resolve_open
from bot.storage.models import ACTIVE_HANDOFF, ENDED_TICKET, Handoff, Ticket, TranscriptMessage

__all__ = ["not_open", "reachable", "resolve_by_hand", "resolve_ticket"]

_MAX_NOTE = 2000  # what the user reads; the desk's line quotes less
_NOTICE_NOTE = 200


async def resolve_ticket(queue: Queue, who: str, number: int, note: str) -> tuple[bool, str]:
    """Let agent `who` resolve open ticket `number`, telling its user `note`: (done, what to
    show the agent)."""

    def refusal(ticket: Ticket | None) -> str | None:
        return unauthorised(queue, ticket, team_of(queue, ticket), who, number)

    return await _resolve(queue, who, number, note, refusal)


async def resolve_by_hand(queue: Queue, who: str, number: int, note: str) -> tuple[bool, str]:
    """Let IT person `who` at the command line (`helpdesk-bot tickets resolve`, any team's
    ticket: they have the database) resolve open ticket `number` as an agent does."""

    def refusal(ticket: Ticket | None) -> str | None:
        return (
            None if reachable(ticket) else queue.desk_text("desk_ticket_not_found", number=number)
        )

    return await _resolve(queue, who, number, note, refusal)


def reachable(ticket: Ticket | None) -> bool:
    """Whether `ticket` is one whose user a chat reaches (a ticket of no conversation is not
    one anybody can act on)."""
    return ticket is not None and ticket.conversation_id is not None


async def _resolve(
    queue: Queue,
    who: str,
    number: int,
    note: str,
    refusal: Callable[[Ticket | None], str | None],
) -> tuple[bool, str]:
    note = markdown_clip(note, _MAX_NOTE)  # cut by what it shows: no "**" left open
    async with in_transaction():
        # Locked (on PostgreSQL) until the update: its answer time is written back as read.
        ticket = await Ticket.filter(id=number).select_for_update().first()
        refused = refusal(ticket)
        if refused is not None or ticket is None:
            return False, refused or ""
        if ticket.status != "open":
            return False, await not_open(queue, number)
        if not note:
            return False, queue.desk_text("desk_resolve_usage")
        if not await resolve_open(ticket, now=queue.clock(), by=who):
            return False, await not_open(queue, number)  # taken or withdrawn meanwhile
        return True, await _tell(queue, ticket, who, note)


async def _tell(queue: Queue, ticket: Ticket, who: str, note: str) -> str:
    """The user hears the note (it joins their transcript, as an agent's reply does), the
    team's desk a line; that line is what the agent sees."""
    await TranscriptMessage.create(
        conversation_id=ticket.conversation_id, direction="agent", text=note
    )
    await tell_ticket_user(
        queue,
        ticket,
        "ticket_resolved",
        rate=True,
        number=ticket.id,
        note=note,
    )
    name = await agent_name(who)
    await tell_joined_resolved(queue, ticket.id, agent=name, note=note)  # an outage's others
    return await tell_ticket_team(
        queue,
        ticket,
        "desk_ticket_resolved",
        agent=name,
        note=markdown_line(note, _NOTICE_NOTE),
    )


async def not_open(queue: Queue, number: int, *, reply: bool = False) -> str:
    """Why ticket `number` cannot be resolved (or with `reply`, answered) here: it is done
    already, or in a chat."""
    ticket = await Ticket.get(id=number)
    if ticket.status in ENDED_TICKET:
        if reply:
            status = queue.ticket_status(ticket.status)
            return queue.desk_text("desk_reply_ended", number=number, status=status)
        return queue.desk_text(f"desk_ticket_was_{ticket.status}", number=number)
    chat = await Handoff.filter(ticket_id=number, status__in=ACTIVE_HANDOFF).first()
    key = "desk_reply_in_chat" if reply else "desk_resolve_in_chat"
    return queue.desk_text(key, number=number, id=chat.id if chat else "-")
