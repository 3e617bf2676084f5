"""Work every instance repeats on a timer (queue time-outs, SLA warnings, housekeeping)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

__all__ = ["repeat"]

log = logging.getLogger(__name__)


async def repeat(work: Callable[[], Awaitable[object]], every: timedelta, *, name: str) -> None:
    """Run `work` every `every` until cancelled; a failed round is logged and the next one
    comes as usual."""
    while True:
        try:
            await work()
        except Exception:
            log.exception("%s failed; trying again in %s", name, every)
        await asyncio.sleep(every.total_seconds())
