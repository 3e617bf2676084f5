"""An agent sets the priority of a request (in its thread) or of an open ticket (by its
number): the bot reads it from the user's words, and sometimes reads them wrong ("у всех в
офисе стоит антивирус?" is no outage), or misses an emergency the agent sees.

A waiting request moves in the queue (those it passes, or who pass it, are told their place,
as when a user raises theirs); its card is rewritten (a claimed one's too, under its status
line); its desk gets one line. A ticket's due
times are counted again from its start by its policy for the new priority (a first response
it has had stays as it was: `ticket_priority.set_ticket_priority`). The user hears of it only
when it goes up: a lowered priority says nothing they can act on, and "IT has lowered your
request" reads as being brushed off; their place in the queue, if they ask, is told as ever.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from bot.handoff.actions import Refused
from bot.handoff.agents import agent_name
from bot.handoff.desk_card import refresh_card
from bot.handoff.hours import Calendar
from bot.handoff.pickup import team_of, unauthorised
from bot.handoff.places import serving_order
from bot.handoff.queue import Queue
from bot.handoff.sla import Policy, ticket_terms
from bot.handoff.ticket_priority import set_ticket_priority
from bot.handoff.ticket_tell import tell_ticket_user, tell_user_act
from bot.priorities import PRIORITIES, rank
from bot.storage.models import ACTIVE_HANDOFF, ENDED_TICKET, Handoff, Ticket

__all__ = ["announce_moved", "level_of", "set_request_priority", "set_ticket_level", "ticket_clock"]


def level_of(queue: Queue, word: str) -> str | None:
    """The priority `word` names: its English name, or a word of the desk's language for it
    ("высокий"); None for anything else."""
    said = word.strip().casefold()
    for level in PRIORITIES:
        words = queue.desk_text(f"priority_word_{level}").split(",")
        if said == level or said in (w.strip().casefold() for w in words):
            return level
    return None


def _word(queue: Queue, language: str, level: str) -> str:
    """The priority as a user reads it in `language` ("urgent", "срочный")."""
    return queue.phrases.get(language, f"priority_word_{level}").split(",")[0].strip()


async def ticket_clock(
    queue: Queue, ticket: Ticket
) -> tuple[Policy, Calendar | None, datetime | None]:
    """What a ticket's due times are counted by: its policy, its office's hours (else its
    team's), and its start: when its user first asked for a person (None: its creation)."""
    policy, hours = ticket_terms(ticket, queue.sla, queue.offices, queue.teams)
    asked = await Handoff.filter(ticket_id=ticket.id).order_by("id").first()
    start = None if asked is None else asked.asked_at or asked.created_at
    return policy, hours, start


async def set_request_priority(queue: Queue, handoff: Handoff, who: str, word: str) -> str:
    """Agent `who` gives the locked, active `handoff` the priority `word` names (a ticket
    picked up in it too); what the desk shows."""
    level = level_of(queue, word)
    if level is None:
        raise Refused(queue.desk_text("desk_priority_usage"))
    was, shown = handoff.priority, queue.priority_text(level)
    if rank(level) == rank(was):
        raise Refused(queue.desk_text("desk_priority_same", id=handoff.id, priority=shown))
    handoff.priority = level
    await handoff.save(update_fields=["priority"])
    if handoff.ticket_id is not None:
        await _follow(queue, handoff.ticket_id, level)
    name, before = await agent_name(who), queue.priority_text(was)
    text = queue.desk_text(
        "desk_priority_set", id=handoff.id, priority=shown, agent=name, was=before
    )
    await queue.tell_desk(handoff, text)
    await refresh_card(queue, handoff)  # the card shows the new priority
    if handoff.status == "waiting":
        await announce_moved(queue, handoff, was)
    if rank(level) > rank(was):
        await _tell_raised(queue, handoff, level)
    return text


async def _follow(queue: Queue, number: int, level: str) -> None:
    """The ticket a request is the chat of takes its new priority, and due times by it."""
    ticket = await Ticket.filter(id=number).select_for_update().first()
    if ticket is not None and ticket.status not in ENDED_TICKET:
        policy, hours, start = await ticket_clock(queue, ticket)
        await set_ticket_priority(ticket, level, policy, hours=hours, start=start)


async def announce_moved(queue: Queue, handoff: Handoff, was: str) -> None:
    """Those a waiting request passed (it went up) or who passed it (it went down, from
    where it stood at priority `was`) are told their new place."""
    before = Handoff(id=handoff.id, priority=was)  # where it stood: not saved, only compared
    if serving_order(handoff) < serving_order(before):
        await queue.announce_places(handoff.team, after=handoff, before=serving_order(before))
    else:
        await queue.announce_places(handoff.team, after=before, before=serving_order(handoff))


async def _tell_raised(queue: Queue, handoff: Handoff, level: str) -> None:
    word = _word(queue, handoff.language, level)
    if handoff.status != "waiting":
        await queue.tell_user(handoff, "handoff_priority_raised", priority=word)
        return
    place = await queue.place(handoff)
    minutes = await queue.minutes(handoff.team, place)
    await queue.tell_wait(
        handoff, "handoff_priority_raised_waiting", priority=word, place=place, minutes=minutes
    )


async def set_ticket_level(queue: Queue, who: str, number: int, word: str) -> tuple[bool, str]:
    """Agent `who` gives open ticket `number` of their team the priority `word` names:
    (done, what to show the agent)."""
    async with in_transaction():
        ticket = await Ticket.filter(id=number).select_for_update().first()
        refused = unauthorised(queue, ticket, team_of(queue, ticket), who, number)
        if refused is not None or ticket is None:
            return False, refused or ""
        level = level_of(queue, word)
        if level is None:
            return False, queue.desk_text("desk_priority_usage")
        if (refused := await _not_settable(queue, ticket, level)) is not None:
            return False, refused
        was = ticket.priority
        policy, hours, start = await ticket_clock(queue, ticket)
        if not await set_ticket_priority(ticket, level, policy, hours=hours, start=start):
            return False, await _not_settable(queue, ticket, level) or ""
        return True, await _tell_ticket(queue, ticket, who, was)


async def _not_settable(queue: Queue, ticket: Ticket, level: str) -> str | None:
    """Why `ticket` cannot be given `level` from the desk's top: it has it, it is in a chat
    (its thread is where), or it is done."""
    number = ticket.id
    if ticket.status in ENDED_TICKET:
        status = queue.ticket_status(ticket.status)
        return queue.desk_text("desk_priority_ended", number=number, status=status)
    if ticket.status != "open":
        chat = await Handoff.filter(ticket_id=number, status__in=ACTIVE_HANDOFF).first()
        return queue.desk_text("desk_priority_in_chat", number=number, id=chat.id if chat else "-")
    if rank(level) == rank(ticket.priority):
        shown = queue.priority_text(level)
        return queue.desk_text("desk_ticket_priority_same", number=number, priority=shown)
    return None


async def _tell_ticket(queue: Queue, ticket: Ticket, who: str, was: str) -> str:
    """The team's desk gets one line (with the due time it waits for now); its user hears
    of it if it went up."""
    if rank(ticket.priority) > rank(was):
        await ticket.fetch_related("user")
        language = ticket.user.language or ticket.language  # as `tell_ticket_user` reads it
        word = _word(queue, language, ticket.priority)
        await tell_ticket_user(
            queue, ticket, "ticket_priority_raised", number=ticket.id, priority=word
        )
    return await tell_user_act(
        queue,
        ticket,
        "desk_ticket_priority_set",
        priority=queue.priority_text(ticket.priority),
        agent=await agent_name(who),
        was=queue.priority_text(was),
    )
