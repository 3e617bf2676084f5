"""Which request a message at a chat desk belongs to (`Desk.thread_of`): the one whose card
is the thread it was written in, or whose relay or notice it answers (a reply chain).

A card's id on the platform is known only once the platform has taken it, and the sender
records it a moment later (`Outbox.sent`). An agent who answers in that moment writes under
a message no request names yet; told "no such request", their words were lost. So a message
found under no request while the desk has a request's message in flight (leased to a
sender, not reported) is looked up again until it is found, or nothing is in flight any
more (what it answers was some other message), for SETTLE at most.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final

from bot.storage.models import ACTIVE_HANDOFF, Handoff, OutboxMessage

__all__ = ["SETTLE", "thread_of"]

# Longer than recording a sent message takes (a busy database included); a lookup that
# waits on a sender which died meanwhile ends by then.
SETTLE: Final = timedelta(seconds=5)
_AGAIN: Final = 0.05  # seconds between two looks


async def thread_of(
    desk: str, ref: str, *, clock: Callable[[], datetime], settle: timedelta = SETTLE
) -> int | None:
    """The active handoff whose card, or a message of its thread, is `ref` on `desk`
    ("platform:chat"), waiting (see above) for one being recorded."""
    loop = asyncio.get_running_loop()
    until = loop.time() + settle.total_seconds()
    found = await _lookup(desk, ref)
    while found is None and loop.time() < until and await _in_flight(desk, clock()):
        await asyncio.sleep(_AGAIN)
        found = await _lookup(desk, ref)
    return found


async def _lookup(desk: str, ref: str) -> int | None:
    handoff = await Handoff.filter(desk=desk, desk_ref=ref, status__in=ACTIVE_HANDOFF).first()
    if handoff is None:  # a reply to a relay or notice under the card (a reply chain)
        platform, _, chat = desk.partition(":")
        sent = await OutboxMessage.filter(
            platform=platform, chat_id=chat, platform_message_id=ref, handoff_id__isnull=False
        ).first()
        found = sent and sent.handoff_id
        active = Handoff.filter(id=found or 0, desk=desk, status__in=ACTIVE_HANDOFF)
        handoff = await active.first()
    return None if handoff is None else handoff.id


async def _in_flight(desk: str, now: datetime) -> bool:
    """Whether a message of a request to `desk` is leased to a sender now: perhaps on the
    platform already, its id not recorded yet."""
    platform, _, chat = desk.partition(":")
    return await OutboxMessage.filter(
        platform=platform,
        chat_id=chat,
        status="pending",
        handoff_id__isnull=False,
        attempts__gt=0,
        available_at__gt=now,
    ).exists()
