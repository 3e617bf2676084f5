"""A user whose outage report joined a colleague's (`outages.py`) writes again while it is
open. A message that asks after the outage, or says it is still down (`follow_up`, from
`bot/outage_topics.py`, tells which), is answered with where the outage stands instead of by
the KB, which knew no "any news?" and, at a second miss, offered a person (a card of its
own); one saying it is still down reaches the desk under the first report when an agent has
it, so they read that more people are affected. Any other message is the bot's, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.handoff.outages import outage_state
from bot.handoff.queue import Queue, load_related
from bot.markdown import literal
from bot.storage.models import LINKED, Handoff

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
    if kind == "outage_still" and first.status == "claimed":
        await _tell_agent(queue, first, joined, text)
    state = await outage_state(queue, first, joined.language)  # as a waiting user's news
    return [queue.phrases.get(joined.language, "outage_news", state=state)]


async def _tell_agent(queue: Queue, first: Handoff, joined: Handoff, text: str) -> None:
    """Under the first report, to the agent who has it: one more user says it is still down."""
    await load_related(joined, "user")
    name = literal(queue.user_name(joined.user))
    told = queue.desk_text("desk_outage_still", user=name, id=joined.id)
    await queue.tell_desk(first, f"{told} «{literal(text)}»", kind="relay")
