"""Outbound pacing: platforms limit how fast a bot may write, per chat and overall.

Telegram asks bots to stay near 1 message/s per chat, 20 messages/min per group and 30/s
overall (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
`TELEGRAM`; Slack allows about 1 message/s per channel
(https://api.slack.com/methods/chat.postMessage#rate_limiting): `SLACK`. Senders call
`wait` before each message and still honour a 429.

The limits are per bot token, so more instances add no capacity (DESIGN §4): `Pacer` keeps
the slots in process, for the one instance a SQLite file allows; `bot/storage/pacing.py`
keeps the same slots in the database, for instances sharing PostgreSQL. Both book with
`Slot.book`. No SDK here: both adapters use it.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final, Protocol

__all__ = ["ALL", "SLACK", "TELEGRAM", "Limits", "Pace", "Pacer", "Pacing", "Slot"]

ALL: Final = "*"  # the key of the bot's overall slots (no chat id is "*")


@dataclass(frozen=True, slots=True)
class Limits:
    """Seconds between messages to one chat, at most `group_burst` to a group in any
    `group_window` seconds, and seconds between any two messages (0: no such limit)."""

    per_chat: float = 1.0
    group_burst: int = 20
    group_window: float = 60.0
    overall: float = 1 / 30


TELEGRAM: Final = Limits()
SLACK: Final = Limits(per_chat=1.0, overall=0.0)  # a channel is never paced as a group


@dataclass(slots=True)
class Slot:
    """One chat's (or the bot's) pacing: when it may send next, and for a group the times of
    its last sends."""

    next_at: float = 0.0
    recent: list[float] = field(default_factory=list)

    def book(self, now: float, spacing: float, burst: int = 0, window: float = 0.0) -> float:
        """Take the first free time from `now` on, `spacing` after the last one booked and,
        with a `burst`, never more than that many in any `window`; that time."""
        at = max(now, self.next_at)
        if burst:
            recent = [t for t in self.recent if t > at - window]
            if len(recent) >= burst:
                at = max(at, recent[-burst] + window)
            self.recent = [*recent, at][-burst:]
        self.next_at = at + spacing
        return at


class Pace(Protocol):
    """What a sender needs: to wait for its turn to write to a chat."""

    async def wait(self, chat_id: str, *, group: bool) -> None:
        """Sleep until the next message to `chat_id` may go out."""
        ...


class Pacing(ABC):
    """`wait` over slots kept somewhere (`book`): the chat's turn first, then the bot's."""

    def __init__(self, limits: Limits, sleep: Callable[[float], Awaitable[None]]) -> None:
        self.limits, self._sleep = limits, sleep

    async def wait(self, chat_id: str, *, group: bool) -> None:
        """Sleep until the next message to `chat_id` may go out."""
        limits = self.limits
        burst, window = (limits.group_burst, limits.group_window) if group else (0, 0.0)
        await self._pause(await self.book(chat_id, limits.per_chat, burst, window))
        if limits.overall > 0:  # booked only once the chat's turn has come, not held ahead
            await self._pause(await self.book(ALL, limits.overall))

    @abstractmethod
    async def book(self, key: str, spacing: float, burst: int = 0, window: float = 0.0) -> float:
        """Book `key`'s next slot (`Slot.book`); the seconds until it."""

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)


class Pacer(Pacing):
    """Pacing with the slots in this process: for a single instance."""

    def __init__(
        self,
        limits: Limits = TELEGRAM,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(limits, sleep)
        self._clock = clock
        self._slots: dict[str, Slot] = {}

    async def book(self, key: str, spacing: float, burst: int = 0, window: float = 0.0) -> float:
        now = self._clock()
        if len(self._slots) > 10_000:
            self._forget_before(now)
        slot = self._slots.setdefault(key, Slot())
        return slot.book(now, spacing, burst, window) - now

    def _forget_before(self, now: float) -> None:
        """Drop the slots that no longer hold anything back."""
        window = self.limits.group_window
        self._slots = {
            key: slot
            for key, slot in self._slots.items()
            if slot.next_at > now or (slot.recent and slot.recent[-1] > now - window)
        }
