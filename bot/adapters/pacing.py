"""Outbound pacing per chat: platforms limit how fast a bot may write to one chat.

Telegram asks bots to stay near 1 message/s per chat, 20 messages/min per group and 30/s
overall (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
which are the defaults here; Slack allows about 1 message/s per channel
(https://api.slack.com/methods/chat.postMessage#rate_limiting), so its sender paces per
channel only. The limits are per token, so more instances add no capacity: each instance
paces itself and still honours a 429. No SDK here: both adapters use it.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

__all__ = ["Pacer"]


class Pacer:
    """Hands out send times: per chat, per group window and overall, never bunching."""

    def __init__(
        self,
        *,
        per_chat: float = 1.0,
        group_burst: int = 20,
        group_window: float = 60.0,
        overall: float = 1 / 30,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_chat, self.overall = per_chat, overall
        self.group_burst, self.group_window = group_burst, group_window
        self._clock, self._sleep = clock, sleep
        self._next_any = 0.0
        self._next_in_chat: dict[str, float] = {}
        self._group_sends: dict[str, deque[float]] = {}

    async def wait(self, chat_id: str, *, group: bool) -> None:
        """Sleep until the next message to `chat_id` may go out."""
        await self._pause(self.reserve(chat_id, group=group))
        await self._pause(self.reserve_overall())  # booked only once the chat's turn has come

    def reserve(self, chat_id: str, *, group: bool) -> float:
        """Book the chat's next free slot; the seconds until it."""
        now = self._clock()
        if len(self._next_in_chat) > 10_000:
            self._forget_before(now)
        at = max(now, self._next_in_chat.get(chat_id, 0.0))
        if group:
            sends = self._group_sends.setdefault(chat_id, deque())
            while sends and sends[0] <= at - self.group_window:
                sends.popleft()
            if len(sends) >= self.group_burst:
                at = max(at, sends[-self.group_burst] + self.group_window)
            sends.append(at)
        self._next_in_chat[chat_id] = at + self.per_chat
        return at - now

    def reserve_overall(self) -> float:
        """Book the bot's next free slot (taken when the chat's turn has come)."""
        now = self._clock()
        at = max(now, self._next_any)
        self._next_any = at + self.overall
        return at - now

    def _forget_before(self, now: float) -> None:
        self._next_in_chat = {c: t for c, t in self._next_in_chat.items() if t > now}
        self._group_sends = {
            c: s for c, s in self._group_sends.items() if s and s[-1] > now - self.group_window
        }

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)
