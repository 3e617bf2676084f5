"""The work a listener leaves after its ack: background tasks kept until they are done.

asyncio holds only weak references to tasks, so the dispatcher and the desk keep theirs
here, and `join` lets a shutdown (or a test) wait for everything in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

__all__ = ["Tracked"]


class Tracked:
    """Background tasks, each kept until it is done."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def join(self) -> None:
        """Wait until every task is done, those started meanwhile too."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
