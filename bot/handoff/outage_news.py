"""A user whose outage report joined a colleague's (`outages.py`) writes again while it is
open. A message that asks after the outage, or says it is still down (`follow_up`, from
`bot/outage_topics.py`, tells which), is answered with where the outage stands instead of by
the KB, which knew no "any news?" and, at a second miss, offered a person (a card of its
own); one saying it is still down reaches the desk under the first report when an agent has
it (or the request of an agent who picked up the ticket it became), so they read that more
people are affected. Any other message is the bot's, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.handoff.outages import outage_state
from bot.handoff.queue import Queue, load_related
from bot.markdown import literal
from bot.storage.models import LINKED, Handoff, TranscriptMessage

__all__ = ["outage_news"]


async def outage_news(
    queue: Queue,
    conversation_db_id: int,
    text: str,
    follow_up: Callable[[str], Callable[[str], str | None] | None],
) -> list[str] | None:
    """The answer to `text` when its user's report joined an open outage's and `text` is of
    that outage (the desk told of one saying it is still down); None: the bot's to answer."""
    about = follow_up(text)
    if about is None:  # most messages: no query
        return None
    mine = Handoff.filter(user__conversations__id=conversation_db_id, status=LINKED)
    joined = await mine.order_by("-id").first()
    if joined is None or joined.linked_to_id is None:
        return None
    first = await Handoff.get(id=joined.linked_to_id)
    kind = about(first.question)
    if kind is None:
        return None
    if kind == "outage_still" and (held := await _with_agent(first)) is not None:
        await _tell_agent(queue, held, joined, text)
    state = await outage_state(queue, first, joined.language)  # as a waiting user's news
    return [queue.phrases.get(joined.language, "outage_news", state=state)]


async def _with_agent(first: Handoff) -> Handoff | None:
    """The request an agent has for the outage: the first report, or the chat of an agent who
    picked up the ticket it became; None: nobody has it."""
    if first.status == "claimed":
        return first
    if first.status == "ticketed" and first.ticket_id is not None:
        return await Handoff.filter(ticket_id=first.ticket_id, status="claimed").first()
    return None


async def _tell_agent(queue: Queue, held: Handoff, joined: Handoff, text: str) -> None:
    """Under the request an agent has: one more user says it is still down. A note in its
    transcript (agents only), which is the web desk's thread (it shows no outbox line), and
    on a chat desk a line in the card's thread."""
    await load_related(joined, "user")
    name = queue.user_name(joined.user)
    told = queue.desk_text("desk_outage_still", user=name, id=joined.id)
    await TranscriptMessage.create(  # a note is plain text
        conversation_id=held.conversation_id, direction="note", text=f"{told} «{text}»"
    )
    if held.desk != "web":
        told = queue.desk_text("desk_outage_still", user=literal(name), id=joined.id)
        await queue.tell_desk(held, f"{told} «{literal(text)}»", kind="relay")
