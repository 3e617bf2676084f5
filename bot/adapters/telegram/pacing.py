"""Retries around one Bot API call, inside Telegram's flood limits.

The pacing itself is `bot/pacing.py`'s (`TELEGRAM` holds Telegram's published limits). When
Telegram still says 429, `retry_after` is honoured.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
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

__all__ = ["RateLimited", "RetryPolicy", "call_with_retry", "translate"]

T = TypeVar("T")


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

    def impatient(self) -> RetryPolicy:
        """The same policy, but any 429 is raised at once (the caller puts the work off)."""
        return replace(self, max_retry_after=0)


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
