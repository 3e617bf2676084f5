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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.handoff.agents import agent_name
from bot.handoff.desk_card import post_card
from bot.handoff.queue import Queue
from bot.handoff.sla import due_first, due_label
from bot.handoff.teams import Team
from bot.handoff.text import subject_markdown
from bot.handoff.tickets import mark_ticket
from bot.markdown import literal
from bot.storage.models import ACTIVE_HANDOFF, Handoff, Ticket, User
from bot.storage.repo import lock_conversation
from bot.zones import local_time

__all__ = ["TicketCard", "open_tickets", "take_ticket", "team_of", "tickets_text", "unauthorised"]

_LIMIT = 100
_Name = Callable[[User], str]  # how the desk names a user (`Queue.user_name`)
_LISTED = 20  # open tickets a chat desk's list shows
_CLOCKS = ("response_due", "first_response_at", "resolve_due", "resolved_at")


@dataclass(frozen=True, slots=True)
class TicketCard:
    """An open ticket as the desk lists it."""

    number: int
    team: str
    user: str
    platform: str
    priority: str
    subject: str
    created_at: str  # ISO, for programs
    opened: str  # when, as the desk reads it: in its team's zone, as `due` is
    due: str | None = None  # the SLA clock it waits for, in its team's zone: "… 16:00 (Zone)"
    overdue: bool = False
    reopens: int = 0  # times its user reopened it after a resolution: the problem came back


async def open_tickets(
    teams: list[str], *, default: str, now: datetime, zones: Mapping[str, str], name: _Name
) -> list[TicketCard]:
    """The open tickets of `teams` (a ticket without a team is the default team's), up to
    _LIMIT: the one due first first, then the more urgent, then the older (`due_first`);
    each with the due time it waits for (the first response, or resolution once answered)
    and whether it passed. The order is found on the clocks alone, the first _LIMIT read."""
    mine = Q(team__in=teams) | Q(team__isnull=True) if default in teams else Q(team__in=teams)
    found = Ticket.filter(mine, status="open")
    clocks = await found.only("id", "priority", *_CLOCKS)
    first = sorted(clocks, key=lambda t: due_first(t, t.priority, t.id))[:_LIMIT]
    rows = {
        t.id: t for t in await Ticket.filter(id__in=[t.id for t in first]).prefetch_related("user")
    }
    return [_card(rows[t.id], default, now, zones, name) for t in first]


def _card(
    ticket: Ticket, default: str, now: datetime, zones: Mapping[str, str], name: _Name
) -> TicketCard:
    team = ticket.team or default
    zone = zones.get(team, "UTC")
    due, overdue = due_label(ticket, zone, now)
    return TicketCard(
        number=ticket.id,
        team=team,
        user=name(ticket.user),
        platform=ticket.user.platform,
        priority=ticket.priority,
        subject=ticket.subject,
        created_at=ticket.created_at.isoformat(timespec="minutes"),
        opened=local_time(ticket.created_at, zone),
        due=due,
        overdue=overdue,
        reopens=ticket.reopens,
    )


def tickets_text(queue: Queue, cards: list[TicketCard]) -> str:
    """Open tickets as a chat desk lists them: each with the due time it waits for, in its
    team's time zone, marked once overdue; the first _LISTED of them."""
    t = queue.desk_text
    if not cards:
        return t("desk_tickets_none")
    lines = [t("desk_tickets_head", count=len(cards))]
    lines += [_line(queue, card) for card in cards[:_LISTED]]
    if len(cards) > _LISTED:
        lines.append(t("desk_tickets_more", count=len(cards) - _LISTED))
    return "\n".join(lines)


def _line(queue: Queue, card: TicketCard) -> str:
    t = queue.desk_text
    line = t(
        "desk_tickets_line",
        number=card.number,
        priority=queue.priority_text(card.priority),
        team=card.team,
        user=literal(card.user),
        subject=subject_markdown(card, untitled=t("no_subject_person")),
        due=t("desk_overdue" if card.overdue else "desk_due", due=card.due or "-"),
    )
    return line + t("desk_tickets_reopened", count=card.reopens) if card.reopens else line


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
