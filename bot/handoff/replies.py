"""The bot's replies in the outbox: kept until the platform takes them, and in order.

A channel that must not lose a reply (Slack, Telegram) asks the engine for durable replies:
each is written as an outbox item of kind "reply" in the turn's transaction, the one that
marks the delivery handled (`Effects.keep`). A crash after the commit cannot lose it,
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
    behind an earlier reply of their chat, and until when; one query for the whole batch."""
    first: dict[tuple[str, str], OutboxMessage] = {}  # chat: its first reply in the batch
    for row in rows:
        if row.kind == REPLY:
            first.setdefault((row.platform, row.chat_id), row)
    if not first:
        return {}
    earlier = (
        OutboxMessage.filter(kind=REPLY, status="pending", id__not_in=[row.id for row in rows])
        .filter(platform__in={p for p, _ in first}, chat_id__in={c for _, c in first})
        .filter(id__lt=max(row.id for row in first.values()))
        .order_by("id")
    )
    blocking: dict[tuple[str, str], OutboxMessage] = {}  # chat: its oldest reply outside
    for row in await earlier:
        blocking.setdefault((row.platform, row.chat_id), row)
    later: dict[int, datetime] = {}
    for row in rows:
        chat = (row.platform, row.chat_id)
        held = blocking.get(chat)
        if row.kind == REPLY and held is not None and held.id < first[chat].id:
            later[row.id] = _recheck(held.available_at, now)
    return later


def _recheck(available_at: datetime, now: datetime) -> datetime:
    return min(max(available_at, now), now + RECHECK)
