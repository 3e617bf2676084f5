"""Matching runs off the event loop: a slow match does not stall other chats."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from bot.adapters.memory import MemoryChat
from bot.app import build_engine
from bot.config import Settings
from bot.knowledge.article import Match
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.matcher import Matcher
from bot.offload import NICENESS, Offload

KB_DIR = Path(__file__).resolve().parents[1] / "kb"


@dataclass
class SlowMatcher:
    """The real matcher, made slow, noting the thread it ran in."""

    inner: Matcher
    threads: list[threading.Thread] = field(default_factory=list)

    def match(self, text: str, limit: int = 5) -> list[Match]:
        self.threads.append(threading.current_thread())
        time.sleep(0.3)  # a pathological question on a huge KB
        return self.inner.match(text, limit)


async def test_a_slow_match_leaves_the_loop_free(db_url: str, knowledge: KnowledgeBase) -> None:
    slow = SlowMatcher(knowledge.matcher)
    engine = build_engine(
        Settings(database_url=db_url, kb_dir=KB_DIR),
        replace(knowledge, matcher=slow),  # type: ignore[arg-type]
    )
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    running = asyncio.create_task(ticker())
    replies = await MemoryChat(engine.handle).say("не подключается впн")
    running.cancel()
    assert ticks >= 5  # the loop kept serving while the match ran (0 if it had blocked)
    assert "VPN" in replies[0].text
    await MemoryChat(engine.handle, user_id="u2").say("принтер не печатает")
    engine.offload.close()
    # Every match ran in the one background thread (not the loop's, nor a pool of them).
    assert len(slow.threads) == 2 and len(set(slow.threads)) == 1
    assert slow.threads[0] is not threading.main_thread()
    assert slow.threads[0].name.startswith("matching")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice: Linux")
async def test_the_matching_thread_yields_the_core_to_the_loop() -> None:
    offload = Offload()
    try:
        theirs = await offload.run(lambda _: _nice(), "")
    finally:
        offload.close()
    assert theirs == min(_nice() + NICENESS, 19)
    assert _nice() == os.getpriority(os.PRIO_PROCESS, 0)  # the loop's own stays as it was
