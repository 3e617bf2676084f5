"""Pacing shared by every instance: the slots of `bot/pacing.py` kept in the database.

A platform's limits are per bot token, so instances that each paced themselves would together
write N times too fast and live on 429s (DESIGN §4). Each booking here locks its key's row
(`SELECT … FOR UPDATE`) for one short transaction, books the slot as `Slot.book` does in
process, and writes it back, so two instances never take the same slot of a chat or of the
bot. Times are the instances' wall clocks, which are assumed to agree within a small share of
a second (NTP); a booking costs two or three statements, next to a platform call's tens of
milliseconds. A row no longer holds anything back a minute after its last slot; housekeeping
deletes old ones (`retention.py`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from tortoise.transactions import in_transaction

from bot.pacing import Limits, Pacing, Slot
from bot.storage.models import SendSlot

__all__ = ["SharedPacer"]


class SharedPacer(Pacing):
    """Pacing for one platform's token (`scope`, e.g. "telegram"), its slots in `send_slots`."""

    def __init__(
        self,
        scope: str,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(limits, sleep)
        self.scope, self._clock = scope, clock

    async def book(self, key: str, spacing: float, burst: int = 0, window: float = 0.0) -> float:
        name = f"{self.scope}:{key}"
        async with in_transaction():
            row = await SendSlot.filter(key=name).select_for_update().first()
            if row is None:  # the chat's first message: another instance may be creating it too
                await SendSlot.bulk_create([SendSlot(key=name)], ignore_conflicts=True)
                row = await SendSlot.filter(key=name).select_for_update().get()
            now = self._clock()  # read once the row is ours
            slot = Slot(row.next_at, list(row.recent))
            at = slot.book(now, spacing, burst, window)
            row.next_at, row.recent = slot.next_at, slot.recent
            await row.save(update_fields=["next_at", "recent"])
        return at - now
