"""The desk's lookup of a message's request (`bot/handoff/threads.py`), stepped by a test.

`Steps.pause` is the lookup's pause between two looks (`Desk(pause=...)`): each pause is
counted and waits until the test lets it go on, so what happens between two looks (the card's
id recorded, or not yet) is the test's, not the scheduler's.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from bot.handoff.threads import again

__all__ = ["Steps"]


@dataclass
class Steps:
    """The lookup's pause, held until `go_on` is set: `looked` counts the looks that found
    nothing while a card was in flight."""

    looked: int = 0
    paused: asyncio.Event = field(default_factory=asyncio.Event)
    go_on: asyncio.Event = field(default_factory=asyncio.Event)

    free: bool = False  # every pause goes on by itself, as the lookup's own does

    async def pause(self) -> None:
        self.looked += 1
        self.paused.set()
        if self.free:
            await again()
            return
        await self.go_on.wait()
        self.go_on.clear()

    def let_go(self) -> None:
        """Let the lookup go on, and pause from now on as it does by itself (`again`): for
        a test that cannot tell when the card's id is recorded, only that it will be."""
        self.free = True
        self.go_on.set()

    async def first(self, other: asyncio.Future[Any]) -> bool:
        """Wait (at most 10 s) until the lookup pauses or `other` is done (it must not be:
        an answer given with the card in flight, say); whether it paused first. `other` is
        left as it is."""
        paused = asyncio.ensure_future(self.paused.wait())
        try:
            async with asyncio.timeout(10):
                await asyncio.wait({paused, other}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            paused.cancel()
        self.paused.clear()
        return not other.done()
