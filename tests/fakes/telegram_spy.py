"""The Telegram channel running for real against the fake Bot API, around the real engine.

`SpyCore` passes every call to the engine and notes it, so a test can wait for "the adapter
marked the user unreachable" instead of sleeping. The fixtures that build these are in
`telegram_harness.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.adapters.telegram import TelegramChannel, TelegramConfig
from bot.adapters.telegram.pacing import RetryPolicy
from bot.engine import Engine
from bot.errors import StorageError
from bot.messages import IncomingMessage, Reply, UserRef
from bot.pacing import Limits, Pace, Pacer
from tests.fakes.telegram_api import FakeBotAPI

__all__ = ["FAST_RETRY", "SpyCore", "config_for", "running_channel", "unpaced_channel"]

FAST_RETRY = RetryPolicy(backoff=0.01)
COMMANDS = {"": (("start", "Start"), ("help", "Help"), ("lang", "Lang"), ("cancel", "Cancel"))}
APOLOGY = {"ru": "Извините, ошибка", "en": "Sorry, an error"}


class SpyCore:
    """The engine, with a record of what the adapter asked of it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.calls: list[tuple[str, Any]] = []
        self._changed = asyncio.Event()
        self.failing_accepts = 0
        self.on_accept: Callable[[], object] = lambda: None

    def _note(self, name: str, value: Any) -> None:
        self.calls.append((name, value))
        self._changed.set()
        self._changed = asyncio.Event()

    def called(self, name: str) -> list[Any]:
        return [value for n, value in self.calls if n == name]

    async def wait_for(self, name: str, count: int = 1) -> list[Any]:
        async with asyncio.timeout(10):
            while len(found := self.called(name)) < count:
                await self._changed.wait()
        return found

    async def accept(self, message: IncomingMessage) -> bool:
        self.on_accept()
        if self.failing_accepts:
            self.failing_accepts -= 1
            raise StorageError("the database is down (scripted)")
        fresh = await self.engine.accept(message)
        self._note("accept", (message, fresh))
        return fresh

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        replies = await self.engine.handle(message, durable=durable)
        self._note("handle", (message, replies))
        return replies

    async def pending(self, platform: str, *, older_than: timedelta) -> list[IncomingMessage]:
        return await self.engine.pending(platform, older_than=older_than)

    async def mark_unreachable(self, user: UserRef, *, unreachable: bool = True) -> None:
        await self.engine.mark_unreachable(user, unreachable=unreachable)
        self._note("mark_unreachable" if unreachable else "mark_reachable", user)

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        await self.engine.move_chat(platform, old_chat_id, new_chat_id)
        self._note("move_chat", (old_chat_id, new_chat_id))


def unpaced_channel(core: Any, config: TelegramConfig, **extra: Any) -> TelegramChannel:
    """The channel with Telegram's pacing off and quick retries (`extra`: its desk, outbox,
    inbox, files), for tests where two platforms meet and timing is not the subject."""
    pacer = Pacer(Limits(per_chat=0.0, group_burst=1000, overall=0.0))
    return TelegramChannel(core, config, pacer=pacer, policy=FAST_RETRY, **extra)


def config_for(api: FakeBotAPI, **overrides: Any) -> TelegramConfig:
    """A polling configuration for the fake server (short long-polls, quick recovery)."""
    config = TelegramConfig(
        token=api.token,
        base_url=api.base_url,
        commands=COMMANDS,
        apology=APOLOGY,
        poll_timeout=timedelta(seconds=1),
    )
    return replace(config, **overrides)


@asynccontextmanager
async def running_channel(
    core: SpyCore,
    config: TelegramConfig,
    *,
    pacer: Pace | None = None,
    channel: TelegramChannel | None = None,
) -> AsyncIterator[TelegramChannel]:
    """A started channel (this one, or a new one), stopped at the end."""
    channel = channel or TelegramChannel(core, config, pacer=pacer, policy=FAST_RETRY)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()
