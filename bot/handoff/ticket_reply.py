"""An IT person at the command line answers a ticket's user (`helpdesk-bot tickets reply`).

With no agents' desk (no teams) this is how IT talks to a user who opened a ticket: the
words go to the user's chat through the outbox as an agent's message does (the running bot
delivers them on the user's platform), join the transcript, and count as the ticket's first
response, so its first-response clock stops. With teams, the ticket's team's desk gets a
line (who answered, and the words), so its agents know the user has heard from IT. Only an
open ticket: one in progress is in a chat with an agent, who answers there; one resolved or
withdrawn is done. A user who blocked the bot is not written to (nothing would reach them),
as an agent may not pick up their ticket; it can still be resolved. What the user writes
back within the next 10 minutes goes into the ticket (`ticketed.await_words`), as after a
bare request for a person: IT asked them something.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from bot.handoff.agents import agent_name
from bot.handoff.queue import Queue
from bot.handoff.resolution import not_open, reachable
from bot.handoff.text import markdown_line
from bot.handoff.ticket_tell import tell_ticket_team, tell_ticket_user
from bot.handoff.ticketed import await_words
from bot.handoff.tickets import mark_ticket
from bot.storage.models import Ticket, TranscriptMessage, User

__all__ = ["reply_by_hand"]

_MAX_TEXT = 8000  # as an agent's reply
_QUOTE = 200  # the desk's line quotes less


async def reply_by_hand(queue: Queue, who: str, number: int, text: str) -> tuple[bool, str]:
    """Send `text` from `who` to the user of open ticket `number`: (done, what to show)."""
    text = text.strip()[:_MAX_TEXT]
    async with in_transaction():
        ticket = await Ticket.filter(id=number).select_for_update().first()
        if ticket is None or not reachable(ticket):
            return False, queue.desk_text("desk_ticket_not_found", number=number)
        if ticket.status != "open":
            return False, await not_open(queue, number, reply=True)
        if not text:
            return False, queue.desk_text("desk_reply_usage")
        if await User.exists(id=ticket.user_id, unreachable=True):  # blocked the bot
            return False, queue.desk_text("desk_ticket_user_unreachable", number=number)
        await TranscriptMessage.create(
            conversation_id=ticket.conversation_id, direction="agent", text=text
        )
        await tell_ticket_user(
            queue, ticket, "handoff_agent_says", agent=await agent_name(who), text=text
        )
        await mark_ticket(number, now=queue.clock())  # the first response, for its SLA
        if ticket.conversation_id is not None:  # their answer goes into the ticket
            await await_words(ticket.conversation_id, number)
        await tell_ticket_team(
            queue,
            ticket,
            "desk_ticket_answered",
            agent=await agent_name(who),
            text=markdown_line(text, _QUOTE),
        )
    await ticket.fetch_related("user")
    return True, queue.desk_text(
        "desk_ticket_replied", number=number, platform=ticket.user.platform
    )
