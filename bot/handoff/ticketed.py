"""A handoff made a ticket (its status "ticketed"): nobody claimed it in time, its team is off
duty, or its agent turned the chat into one. The ticket's SLA clocks start when the user
asked for a person; a ticket an agent had picked up and hands back is opened again instead,
and a request that only repeats an open ticket goes back to it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.handoff.offices import ticket_hours
from bot.handoff.queue import Queue, load_related
from bot.handoff.text import subject
from bot.handoff.tickets import open_ticket
from bot.storage import repo
from bot.storage.models import Conversation, Handoff, Ticket
from bot.waits import DESCRIBING

__all__ = ["await_words", "repeated_ticket", "to_ticket"]


async def to_ticket(queue: Queue, handoff: Handoff, reason: str) -> Ticket:
    """Turn the handoff into a ticket (a picked-up ticket is open again); its queue place
    goes to the ones behind."""
    if handoff.ticket_id is None:
        ticket = await _new_ticket(queue, handoff, reason)
        if not handoff.question:  # a bare request: the bot asked what the problem is
            await await_words(handoff.conversation_id, ticket.id)
    else:  # a picked-up ticket handed back: open again, for the handoff's team
        await Ticket.filter(id=handoff.ticket_id).update(status="open", team=handoff.team)
        ticket = await Ticket.get(id=handoff.ticket_id)
    was_waiting = handoff.status == "waiting"
    handoff.status, handoff.ticket, handoff.closed_at = "ticketed", ticket, queue.clock()
    await handoff.save(update_fields=["status", "ticket_id", "closed_at"])
    await queue.mark_card(handoff, "desk_card_ticket", number=ticket.id)
    if was_waiting:
        await queue.announce_places(handoff.team, after=handoff)
    return ticket


async def repeated_ticket(handoff: Handoff) -> Ticket | None:
    """The ticket the waiting `handoff` only repeats, if any: its user's newest open ticket
    of the same team, when the handoff is a request for a person that names no problem (as
    `open_duplicate` finds off hours). It is that ticket's, to go back to when nobody takes
    it (an on-site job stays with the local admins)."""
    if handoff.ticket_id is not None or handoff.reason != "asked_for_person":
        return None
    ticket = None if handoff.question else await repo.newest_open_ticket(handoff.user_id)
    return ticket if ticket is not None and ticket.team == handoff.team else None


async def await_words(conversation_id: int, ticket_id: int) -> None:
    """The user's next words go into ticket `ticket_id` (`dialog_described.py`): its subject
    after a bare request for a person, or what they answer IT, for the usual 10 minutes from
    now (their conversation is touched by the wall clock, as any save of it is). Only from
    "idle": a question the bot asked them meanwhile keeps its own wait."""
    await Conversation.filter(id=conversation_id, state="idle").update(  # no articles tried
        state=f"{DESCRIBING}{ticket_id}", tried_articles=[], updated_at=datetime.now(UTC)
    )


async def _new_ticket(queue: Queue, handoff: Handoff, reason: str) -> Ticket:
    """A ticket whose SLA clocks started when the user asked for a person; an agent who
    turns their own chat into one has answered already."""
    await load_related(handoff, "user")
    team, office = queue.teams.named(handoff.team), queue.offices.named(handoff.user.office)
    return await open_ticket(
        queue.sla.of(office),
        start=handoff.asked_at or handoff.created_at,  # not reset by a transfer
        hours=ticket_hours(office, None if team is None else team.calendar),
        first_response=handoff.claimed_at if reason == "agent" else None,
        user_id=handoff.user_id,
        conversation_id=handoff.conversation_id,
        subject=subject(handoff.question) if handoff.question else "",  # nothing said yet
        description=handoff.question,
        priority=handoff.priority,
        team=handoff.team,
        office=handoff.user.office,
        language=handoff.language,
        reason=reason,
    )
