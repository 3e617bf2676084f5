"""The database outbox as tests watch it, and a clock to move it ahead by hand.

`SpyOutbox` notes what senders claimed and reported, so a test waits for "the card's id is
recorded", "three items were put off" or "the sender went round again" instead of sleeping.
`AheadClock` is the real time plus what the test added: an outbox on it sees a lease run out
or a Retry-After pass without waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.handoff import DbOutbox, OutboxItem

__all__ = ["AheadClock", "SpyOutbox"]


@dataclass
class AheadClock:
    """The real time moved ahead by `ahead` (rows are written at the real time)."""

    ahead: timedelta = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def advance(self, by: timedelta) -> None:
        self.ahead += by


class SpyOutbox:
    """The database outbox, noting which platform message ids were reported sent (a test
    waits for a card's id to be recorded before an agent replies to it), which items were
    put off or failed, and how often senders claimed."""

    def __init__(self, outbox: DbOutbox | None = None) -> None:
        self.outbox = outbox or DbOutbox()
        self.message_ids: list[str | None] = []
        self.failures: list[int] = []
        self.claims = 0
        self._changed = asyncio.Event()

    async def claim(
        self, platform: str, *, chat_id: str | None = None, limit: int = 20
    ) -> list[OutboxItem]:
        items = await self.outbox.claim(platform, chat_id=chat_id, limit=limit)
        self.claims += 1
        self._notify()
        return items

    async def sent(self, item: OutboxItem, *, message_id: str | None = None) -> bool:
        freed = await self.outbox.sent(item, message_id=message_id)
        self.message_ids.append(message_id)
        self._notify()
        return freed

    async def failed(
        self, item: OutboxItem, *, retry_after: timedelta | None = None, parts_sent: int = 0
    ) -> bool:
        freed = await self.outbox.failed(item, retry_after=retry_after, parts_sent=parts_sent)
        self.failures.append(item.id)
        self._notify()
        return freed

    async def progress(self, item: OutboxItem, *, parts_sent: int) -> None:
        await self.outbox.progress(item, parts_sent=parts_sent)

    async def until_sent(self, message: dict[str, Any]) -> None:
        """Wait until the fake's `message` is recorded as an outbox item's message id."""
        await self._until(lambda: str(message["message_id"]) in self.message_ids)

    async def until_reported_sent(self, count: int = 1) -> None:
        """Wait until items were reported sent `count` times in all."""
        await self._until(lambda: len(self.message_ids) >= count)

    async def until_failed(self, count: int) -> None:
        """Wait until items were reported put off or failed `count` times in all."""
        await self._until(lambda: len(self.failures) >= count)

    async def until_claimed(self, count: int) -> None:
        """Wait until senders claimed `count` times in all (each claim's outcome committed)."""
        await self._until(lambda: self.claims >= count)

    async def rounds(self, count: int = 1) -> None:
        """Wait until a sender has claimed what was due `count` times since this call, and
        delivered it: the claim in flight may have started before, and a claim's items are
        delivered before the next claim answers."""
        done = self.claims + 2 + count
        await self._until(lambda: self.claims >= done)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _until(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(10):
            while not check():
                await self._changed.wait()
