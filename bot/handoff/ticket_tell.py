"""Telling about a ticket outside any chat: its user in their chat (in their language, with
the buttons to rate it after help), and its team's desk in one line at the top (what the
user, or an agent, did to it, with the due time it waits for now in the team's zone).
"""

from __future__ import annotations

from bot.handoff.outbox import put
from bot.handoff.pickup import team_of
from bot.handoff.queue import ALERT, NOTICE, Queue
from bot.handoff.rating import rating_buttons
from bot.handoff.sla import due_label
from bot.handoff.text import subject_markdown
from bot.markdown import literal
from bot.messages import Button
from bot.ratings import RATE_TICKET
from bot.storage.models import Conversation, Handoff, Ticket

__all__ = ["tell_raised", "tell_ticket_team", "tell_ticket_user", "tell_user_act", "tell_withdrawn"]


async def tell_ticket_user(
    queue: Queue, ticket: Ticket, key: str, *, rate: bool = False, **params: object
) -> None:
    """Phrase `key` to the ticket's user in their chat, in their language (their choice, else
    the ticket's); with `rate`, under the buttons to rate the ticket. It goes with the
    ticket's last request: a Slack channel needs that request's user to reach one who asked
    with /helpdesk (in a DM), and an undelivered message is reported under that request's
    card."""
    await ticket.fetch_related("user", "conversation")
    conversation = ticket.conversation
    if conversation is None:
        return  # no chat to write to
    language = ticket.user.language or ticket.language
    untitled = queue.phrases.get(language, "no_subject_person")
    subject = subject_markdown(ticket, untitled=untitled)  # for a phrase that names it
    text = queue.phrases.get(language, key, subject=subject, **params)
    buttons = await _rating_buttons(queue, conversation, ticket.id, language) if rate else []
    last = await Handoff.filter(ticket_id=ticket.id).order_by("-id").first()
    platform, chat = ticket.user.platform, conversation.chat_id
    await put(
        platform,
        chat,
        text,
        kind="relay",
        handoff=last,
        buttons=buttons,
        now=queue.clock(),
        conversation=conversation,
    )


async def _rating_buttons(
    queue: Queue, conversation: Conversation, number: int, language: str
) -> list[Button]:
    """1–5 to rate ticket `number`, and "Still not solved" while it may be reopened."""
    reopen = queue.phrases.get(language, "ticket_reopen_still") if queue.reopen_days else ""
    return await rating_buttons(conversation, RATE_TICKET, number, reopen=reopen)


async def tell_withdrawn(queue: Queue, ticket: Ticket) -> None:
    """One line at the top of the team's desk: the user withdrew `ticket` (an open ticket is
    in no chat, so no card's thread is about it any more)."""
    await ticket.fetch_related("user")
    name = literal(queue.user_name(ticket.user))
    await tell_ticket_team(queue, ticket, "desk_ticket_withdrawn", user=name)


async def tell_raised(queue: Queue, ticket: Ticket) -> None:
    """One line at the top of the team's desk: the user raised `ticket` ("срочно!"), with its
    new priority and the due time it waits for now (in the team's zone)."""
    priority = queue.priority_text(ticket.priority)
    # the user says it is urgent: it stands out as an SLA warning does
    await tell_user_act(queue, ticket, "desk_ticket_raised", kind=ALERT, priority=priority)


async def tell_user_act(
    queue: Queue, ticket: Ticket, key: str, *, kind: str = NOTICE, **params: object
) -> str:
    """Desk phrase `key` about `ticket` (`tell_ticket_team`, whose line it returns), naming
    its user and the due time it waits for now (in the team's zone): what the user, or an
    agent, did to it."""
    await ticket.fetch_related("user")
    team = team_of(queue, ticket)
    due, overdue = due_label(ticket, team.timezone if team else "UTC", queue.clock())
    return await tell_ticket_team(
        queue,
        ticket,
        key,
        kind=kind,
        user=literal(queue.user_name(ticket.user)),
        due=queue.desk_text("desk_overdue" if overdue else "desk_due", due=due or "-"),
        **params,
    )


async def tell_ticket_team(
    queue: Queue, ticket: Ticket, key: str, *, kind: str = NOTICE, **params: object
) -> str:
    """Desk phrase `key` about `ticket` (its number and subject filled in) at the top of its
    team's desk (`kind`: or an `ALERT`); with no teams, or a team no longer configured,
    nowhere. Returns the line."""
    untitled = queue.desk_text("no_subject_person")
    told = subject_markdown(ticket, untitled=untitled)
    text = queue.desk_text(key, number=ticket.id, subject=told, **params)
    team = team_of(queue, ticket)
    if team is not None:
        await queue.tell_team(team, text, kind=kind)
    return text
