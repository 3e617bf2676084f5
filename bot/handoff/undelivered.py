"""When a relay will never arrive, the side that sent it is told.

The outbox retries a message (a 429, a network error) up to `outbox.MAX_ATTEMPTS` times; a
message the platform refuses for good (the user blocked the bot, the desk channel is gone) or
that ran out of attempts is marked failed. Without a word, an agent would wait for an answer
to a reply the user never saw, and a user for an agent who never saw their message. So a
failed relay to the user becomes a notice on the desk (quoting it), and a failed relay to the
desk a message to the user. Notices themselves are not reported (nothing loops).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.handoff.queue import Queue
from bot.handoff.text import markdown_line
from bot.storage.models import Handoff, OutboxMessage

__all__ = ["ReportUndelivered"]

_QUOTE_CHARS = 200


@dataclass(frozen=True, slots=True)
class ReportUndelivered:
    """`DbOutbox`'s `on_give_up`: tell the sending side of a relay that failed for good."""

    queue: Queue

    async def __call__(self, row: OutboxMessage) -> None:
        if row.kind != "relay" or row.handoff_id is None:
            return
        handoff = await Handoff.get_or_none(id=row.handoff_id).prefetch_related(
            "user", "conversation"
        )
        if handoff is None:
            return
        if (row.platform, row.chat_id) == (handoff.user.platform, handoff.conversation.chat_id):
            text = self.queue.desk_text(
                "relay_to_user_failed", text=markdown_line(row.text, _QUOTE_CHARS)
            )
            await self.queue.tell_desk(handoff, text)
        else:
            await self.queue.tell_user(handoff, "relay_to_desk_failed")
