"""The bot's replies in the outbox: kept until the platform takes them, and in order.

A channel that must not lose a reply (Slack, Telegram) asks the engine for durable replies:
each is written as an outbox item of kind "reply" in the turn's transaction, the one that
marks the delivery handled (`outbox.put_replies`). A crash after the commit cannot lose it,
and a redelivery cannot answer again. The item is leased to that channel from the start: it
sends it at once and reports it sent, or put off (a 429, a 5xx, no network) for its outbox
sender to retry with the outbox's backoff; if the process dies first, the lease runs out and
any instance's sender delivers it.

Replies keep their order in a chat. A turn whose chat still has replies waiting queues its
own behind them instead of sending at once, and `plan_replies` holds a reply back while an
earlier one of its chat is pending outside the batch being leased (put off, or leased to
someone sending it right now).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.storage.models import OutboxMessage

__all__ = ["RECHECK", "REPLY", "plan_replies", "waiting"]

REPLY = "reply"
RECHECK = timedelta(seconds=1)  # the longest a held reply waits before it is looked at again


async def waiting(platform: str, chat_id: str) -> bool:
    """Whether replies to the chat are still waiting to be delivered."""
    return await OutboxMessage.filter(
        platform=platform, chat_id=chat_id, kind=REPLY, status="pending"
    ).exists()


async def plan_replies(rows: Sequence[OutboxMessage], *, now: datetime) -> dict[int, datetime]:
    """The replies among `rows` (due rows about to be leased, oldest first) that must wait
    behind an earlier reply of their chat, and until when."""
    batch = [row.id for row in rows]
    held: dict[tuple[str, str], datetime | None] = {}  # chat: held until (None: free)
    later: dict[int, datetime] = {}
    for row in rows:
        if row.kind != REPLY:
            continue
        chat = (row.platform, row.chat_id)
        if chat not in held:
            blocking = await _earlier(row, batch)
            held[chat] = None if blocking is None else _recheck(blocking.available_at, now)
        if (until := held[chat]) is not None:
            later[row.id] = until
    return later


def _recheck(available_at: datetime, now: datetime) -> datetime:
    return min(max(available_at, now), now + RECHECK)


async def _earlier(row: OutboxMessage, batch: list[int]) -> OutboxMessage | None:
    """A pending reply of the row's chat, older than it and not in the batch."""
    return (
        await OutboxMessage.filter(platform=row.platform, chat_id=row.chat_id, kind=REPLY)
        .filter(status="pending", id__lt=row.id, id__not_in=batch)
        .order_by("id")
        .first()
    )
