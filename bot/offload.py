"""CPU-bound work (matching a question, reloading the KB) off the event loop, so other chats are
not kept waiting.

Matching runs in one background thread of its own. `asyncio.to_thread` was measured worse
(`make bench`, one core): the default executor hands calls to several threads, and the
loop's longest stall was 6–14 ms, against 3 ms with one thread. That thread also runs at a
lower scheduling priority (Linux: a thread has its own nice value), so the loop wins the core
when it wakes up; with the interpreter's switch interval at 1 ms (`prefer_the_loop`, which the
composition root calls) the loop waits at most that long for the GIL. Together: about 1.3 ms.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["NICENESS", "SWITCH_INTERVAL", "Offload", "prefer_the_loop"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")

NICENESS = 5  # added to the background thread's nice value (Linux only)
SWITCH_INTERVAL = 0.001  # seconds a thread may hold the GIL while another waits (default 5 ms)


def prefer_the_loop() -> None:
    """Let a waiting thread (the event loop) take the GIL after 1 ms instead of 5 ms.

    Process-wide, so only the composition root (and the benchmark, to measure as the bot
    runs) calls it."""
    sys.setswitchinterval(SWITCH_INTERVAL)


def _lower_priority() -> None:
    if not sys.platform.startswith("linux"):
        return  # elsewhere setpriority takes a process id, not a thread's
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + NICENESS)
    except OSError as error:  # a sandbox may forbid it: matching still works, only less politely
        log.warning("could not lower the matching thread's priority: %s", error)


class Offload:
    """One background thread for CPU-bound calls; its calls run one after another."""

    def __init__(self, name: str = "matching") -> None:
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=name, initializer=_lower_priority
        )

    async def run(self, work: Callable[..., _T], *args: object) -> _T:
        """`work(*args)` in the background thread."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)

    def close(self) -> None:
        """Stop the thread once the calls already given to it are done."""
        self._pool.shutdown(wait=False)
