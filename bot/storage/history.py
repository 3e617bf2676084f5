"""A chat's recent lines as its user saw them, for a page opened again (the web chat in a
new tab, or a browser started again): what they said and the bot answered, from the
transcript, and what came from IT and the queue, from the outbox messages to the chat.

Each of those counts, whatever its delivery: one not delivered yet, with its id (one another
tab of the browser fetched a moment ago is leased to that tab, so a new tab's poll would not
get it, and that tab passes on only what it fetches after the new one opened; a poll that
brings one again shows it once, the page knows it by its id, and its receipt records it
delivered as before), and one given up because no page fetched it within a week
(`handoff/unfetched.py`): a visitor who opens the chat after that reads the agent's late
reply here. Agents' notes are not the user's to see: they go to the desk, not to the chat.
"""

from __future__ import annotations

from bot.messages import ChatLine, UserRef
from bot.presses import as_seen
from bot.storage.models import Conversation, OutboxMessage, TranscriptMessage

__all__ = ["recent_lines"]

_AUTHORS = {"in": "user", "out": "bot"}


async def recent_lines(user: UserRef, chat_id: str, *, limit: int) -> list[ChatLine]:
    """The last `limit` lines of `user`'s conversation in `chat_id`, oldest first (none for a
    user the bot has not met)."""
    conversation = await Conversation.get_or_none(
        user__platform=user.platform,
        user__workspace=user.workspace,
        user__external_id=user.user_id,
        chat_id=chat_id,
    )
    if conversation is None:
        return []
    said = await (
        TranscriptMessage.filter(conversation_id=conversation.id, direction__in=list(_AUTHORS))
        .order_by("-id")
        .limit(limit)
    )
    told = await (
        OutboxMessage.filter(platform=user.platform, chat_id=chat_id).order_by("-id").limit(limit)
    )
    lines = [
        (
            m.created_at,
            0,
            ChatLine(_AUTHORS[m.direction], as_seen(m.text, pressed=m.pressed), at=m.created_at),
        )
        for m in reversed(said)
    ]
    lines += [(m.created_at, 1, ChatLine("agent", m.text, m.id, m.created_at)) for m in told[::-1]]
    lines.sort(key=lambda line: line[:2])  # stable: each one's own lines in the order written
    return [line for _, _, line in lines[-limit:]]
