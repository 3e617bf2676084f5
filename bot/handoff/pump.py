"""The loop a channel runs to deliver its share of the outbox.

A subclass says how to deliver one batch (`deliver_due`, returning how many items it had);
the pump runs it, logs a failed round and tries again, sleeps `every` when there was
nothing to do, wakes at once when a turn may have written to the outbox or an item others
waited behind was reported done (`wake_if`), and on `stop` finishes the round in hand
(cancelling it could lose a `sent`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from datetime import timedelta

__all__ = ["OutboxPump"]

log = logging.getLogger(__name__)


class OutboxPump(ABC):
    """Runs `deliver_due` until `stop`, waiting `every` (or a `wake`) when idle."""

    name = "outbox"

    def __init__(self, *, every: timedelta) -> None:
        self.every = every
        self._wake = asyncio.Event()
        self._stopping = False

    @abstractmethod
    async def deliver_due(self) -> int:
        """Deliver one batch of due items; how many there were."""

    def wake(self) -> None:
        """Something may have been put in the outbox: look now, not at the next tick."""
        self._wake.set()

    def wake_if(self, freed: bool) -> None:
        """After reporting an item: `wake` when messages held behind it may go now (what
        `Outbox.sent` and `Outbox.failed` return)."""
        if freed:
            self.wake()

    def stop(self) -> None:
        """Leave `run` after the round in flight (its outcomes are recorded)."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Deliver what is due, then wait for a wake-up or `every`; a failed round is logged."""
        while not self._stopping:
            self._wake.clear()
            try:
                found = await self.deliver_due()
            except Exception:
                log.exception("%s: outbox round failed; trying again in %s", self.name, self.every)
                found = 0
            if not found and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.every.total_seconds())
