"""A low rating (`bot/dialog_ratings.py`): the team that helped hears it.

When the user rates a chat or a ticket 1 or 2, the desk of the team of the chat (the
request's team now) or of the ticket resolved without a chat gets one line at its top, as of
the other ticket events: what was rated, who helped and the score. The line comes with the
press: a user who asks something else next, or writes no more, has still let the team know.
If they then say what went wrong, one more line follows with their words (as kept: secrets
redacted).
"""

from __future__ import annotations

from bot.handoff.agents import agent_name
from bot.handoff.queue import Queue
from bot.handoff.ticket_tell import tell_ticket_team
from bot.markdown import literal
from bot.ratings import RATE_TICKET
from bot.storage.models import Handoff, Ticket

__all__ = ["tell_low_rating"]


async def tell_low_rating(queue: Queue, rated: str, number: int) -> None:
    """Tell the team of the chat (`rated`: RATE_CHAT, `number` its request) or the ticket
    (RATE_TICKET) that its user rated it low, and why once they said it."""
    if rated == RATE_TICKET:
        ticket = await Ticket.get_or_none(id=number).prefetch_related("user")
        if ticket is not None and ticket.rating is not None:
            await _tell_ticket(queue, ticket)
        return
    handoff = await Handoff.get_or_none(id=number).prefetch_related("user")
    team = None if handoff is None else queue.teams.get(handoff.team)
    if handoff is not None and team is not None and handoff.rating is not None:
        score, user, comment = _rating(queue, handoff)
        agent = await agent_name(handoff.agent)
        key = _key("desk_rated_low_chat", comment)
        text = queue.desk_text(
            key, number=number, agent=agent, score=score, user=user, comment=comment
        )
        await queue.tell_team(team, text)


async def _tell_ticket(queue: Queue, ticket: Ticket) -> None:
    """The line of a ticket resolved without a chat, naming who resolved it."""
    score, user, comment = _rating(queue, ticket)
    agent = await agent_name(ticket.resolved_by)
    key = _key("desk_rated_low_ticket", comment)
    await tell_ticket_team(queue, ticket, key, agent=agent, score=score, user=user, comment=comment)


def _rating(queue: Queue, rated: Handoff | Ticket) -> tuple[int | None, str, str]:
    """A rating as its phrase names it: the score, by whom, and what went wrong."""
    user = literal(queue.user_name(rated.user))
    return rated.rating, user, literal(rated.rating_comment or "")


def _key(key: str, comment: str) -> str:
    """The line's phrase: with the user's words, or the score alone (none said yet)."""
    return key if comment else f"{key}_alone"
