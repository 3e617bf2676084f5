"""Outbound pacing inside Telegram's flood limits, and retries around one Bot API call.

Telegram asks bots to stay near 1 message/s per chat, 20 messages/min per group and 30/s
overall (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
The limits are per bot token, so more instances add no capacity; each instance paces itself
and honours `retry_after` when Telegram still says 429.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.errors import DeliveryError, Unreachable

__all__ = ["Pacer", "RateLimited", "RetryPolicy", "call_with_retry", "translate"]

T = TypeVar("T")


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
    ) -> None:
        self.per_chat, self.overall = per_chat, overall
        self.group_burst, self.group_window = group_burst, group_window
        self._clock = clock
        self._next_any = 0.0
        self._next_in_chat: dict[str, float] = {}
        self._group_sends: dict[str, deque[float]] = {}

    async def wait(self, chat_id: str, *, group: bool) -> None:
        """Sleep until the next message to `chat_id` may go out."""
        await _sleep(self.reserve(chat_id, group=group))
        await _sleep(self.reserve_overall())  # booked only once the chat's turn has come

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


async def _sleep(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)


class RateLimited(DeliveryError):
    """Telegram asked to wait longer than the policy waits in process (`retry_after` s)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently one call is retried."""

    attempts: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 300.0


def _seconds(exc: RetryAfter) -> float:
    # PTB 22 warns on reading `retry_after` until PTB_TIMEDELTA is set; we take either form.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def call_with_retry(call: Callable[[], Awaitable[T]], *, policy: RetryPolicy, what: str) -> T:
    """Run `call`, waiting out 429s and retrying network errors with backoff.

    A blocked user raises `Unreachable` at once; a refusal or too many failures raise
    `DeliveryError`. `ChatMigrated` passes through for the caller to follow the chat.
    """
    delay = policy.backoff
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except ChatMigrated:
            raise
        except RetryAfter as exc:
            wait = _seconds(exc)
            if wait > policy.max_retry_after:
                message = f"{what}: Telegram asks to wait {wait:.0f}s"
                raise RateLimited(message, retry_after=wait) from exc
        except (Forbidden, BadRequest) as exc:  # BadRequest is a NetworkError in PTB
            raise translate(exc, what) from exc
        except NetworkError as exc:
            if attempt == policy.attempts:
                raise translate(exc, what) from exc
            wait, delay = delay, min(delay * 2, policy.max_backoff)
        except TelegramError as exc:
            raise translate(exc, what) from exc
        await asyncio.sleep(wait)
    raise DeliveryError(f"{what}: gave up after {policy.attempts} attempts")


def translate(exc: TelegramError, what: str) -> DeliveryError:
    """The bot's error for an SDK error (the token never appears in PTB's messages)."""
    if isinstance(exc, Forbidden):
        return Unreachable(f"{what}: {exc.message}")
    return DeliveryError(f"{what}: {exc.message}")
