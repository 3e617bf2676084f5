"""Picking up a ticket: an agent of the ticket's team takes it and talks to the user.

The ticket goes from "open" to "in_progress" by a conditional update, so of two agents taking
it at once exactly one wins (the row count decides, on PostgreSQL across instances too). A
new claimed handoff owned by that agent carries the conversation: its card (saying who took
it, without a Claim button) starts the desk thread, and from then on it relays and closes
like any claimed handoff. Closing it resolves the ticket, "To ticket" puts it back to open.
A ticket whose user blocked the bot (until they write again) is not taken: nothing would
reach them.
"""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.handoff.agents import agent_name
from bot.handoff.desk_card import post_card
from bot.handoff.queue import Queue
from bot.handoff.sla import due_label
from bot.handoff.teams import Team
from bot.handoff.tickets import mark_ticket
from bot.storage.models import ACTIVE_HANDOFF, Handoff, Ticket, User
from bot.storage.repo import lock_conversation

__all__ = ["take_ticket", "team_of", "unauthorised"]


async def take_ticket(queue: Queue, who: str, number: int) -> tuple[bool, str]:
    """Let agent `who` take ticket `number`: (done, what to show the agent)."""
    async with in_transaction():
        ticket = await Ticket.get_or_none(id=number)
        if ticket is not None and ticket.conversation_id is not None:
            await lock_conversation(ticket.conversation_id)  # one live chat per conversation
        team = team_of(queue, ticket)
        refusal = await _refusal(queue, ticket, team, who, number)
        if refusal is not None or ticket is None or team is None:
            return False, refusal or ""
        taken = await Ticket.filter(id=number, status="open").update(status="in_progress")
        if not taken:
            return False, await _already(queue, number)
        handoff = await _claimed(queue, ticket, team, who)
        await mark_ticket(number, now=handoff.created_at)  # the first response, for its SLA
        name = await agent_name(who)
        await queue.tell_user(handoff, "handoff_ticket_picked_up", agent=name, number=number)
        due = due_label(await Ticket.get(id=number), team.timezone, queue.clock())[0] or "-"
        note = queue.desk_text(
            "desk_ticket_taken", number=number, id=handoff.id, agent=name, due=due
        )
        await post_card(queue, handoff, note=note)
    return True, note


def team_of(queue: Queue, ticket: Ticket | None) -> Team | None:
    """The team that owns `ticket` (a ticket without one is the default team's)."""
    return None if ticket is None else queue.teams.named(ticket.team or queue.teams.default)


def unauthorised(
    queue: Queue, ticket: Ticket | None, team: Team | None, who: str, number: int
) -> str | None:
    """Why agent `who` may not act on ticket `number` of `team` at all (None: they may): not
    an agent, no such ticket (or none whose user a chat reaches), another team's."""
    t = queue.desk_text
    if not queue.teams.of_agent(who):
        return t("desk_not_agent")
    if ticket is None or team is None or ticket.conversation_id is None:
        return t("desk_ticket_not_found", number=number)
    if not team.serves(who):
        return t("desk_ticket_other_team", number=number, team=team.name)
    return None


async def _refusal(
    queue: Queue, ticket: Ticket | None, team: Team | None, who: str, number: int
) -> str | None:
    refusal = unauthorised(queue, ticket, team, who, number)
    if refusal is not None or ticket is None:
        return refusal
    t = queue.desk_text
    if ticket.status != "open":
        return await _already(queue, number)
    if await User.exists(id=ticket.user_id, unreachable=True):  # a chat nobody would read
        return t("desk_ticket_user_unreachable", number=number)
    other = Q(ticket_id__isnull=True) | ~Q(ticket_id=number)  # its own: the update decides
    active = Handoff.filter(other, status__in=ACTIVE_HANDOFF)
    busy = await active.filter(conversation_id=ticket.conversation_id).first()
    if busy is not None:
        return t("desk_ticket_user_busy", number=number, id=busy.id)
    return None


async def _already(queue: Queue, number: int) -> str:
    """Why ticket `number` cannot be taken: whose it is, or its status."""
    owner = await Handoff.filter(ticket_id=number, status="claimed").first()
    if owner is not None:
        return queue.desk_text(
            "desk_ticket_already", number=number, agent=await agent_name(owner.agent)
        )
    ticket = await Ticket.get(id=number)
    status = queue.ticket_status(ticket.status)
    return queue.desk_text("desk_ticket_not_open", number=number, status=status)


async def _claimed(queue: Queue, ticket: Ticket, team: Team, who: str) -> Handoff:
    now = queue.clock()
    return await Handoff.create(
        conversation_id=ticket.conversation_id,
        user_id=ticket.user_id,
        team=team.name,
        status="claimed",
        question=ticket.description or ticket.subject,
        language=ticket.language,
        priority=ticket.priority,
        reason="ticket",
        agent=who,
        desk=team.desk,
        ticket=ticket,
        created_at=now,
        claimed_at=now,
    )
