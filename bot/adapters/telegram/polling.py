"""Recording polled updates before Telegram is told they arrived.

PTB's Updater confirms a batch of updates only by asking for the next `offset` after
`get_updates` returned normally (`polling_action_cb` in `telegram/ext/_updater.py`). So a bot
whose `get_updates` records the batch before returning never lets an unrecorded update be
confirmed; when recording fails it raises a `NetworkError`, and the Updater backs off and asks
again with the same offset.

When a poll fails, PTB's own error callback logs a traceback at every retry (every 1 to 30
s); `polling_failed` says it in one line instead, and a 409 Conflict (another process polls
the same token, so each gets only some of the updates) as what to do about it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import Conflict, NetworkError, TelegramError
from telegram.ext import ExtBot

__all__ = ["Recorder", "RecordingBot", "polling_failed"]

log = logging.getLogger(__name__)

Recorder = Callable[[Sequence[Update]], Awaitable[None]]


class RecordingBot(ExtBot[None]):
    """An `ExtBot` that hands every polled batch to `recorder` before returning it."""

    def __init__(self, *args: Any, recorder: Recorder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recorder = recorder

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        updates = await super().get_updates(*args, **kwargs)
        if updates:
            try:
                await self._recorder(updates)
            except Exception as exc:
                raise NetworkError("updates not recorded; they will be fetched again") from exc
        return updates


def polling_failed(exc: TelegramError) -> None:
    """What the log says when a poll fails; PTB polls again after a pause."""
    if isinstance(exc, Conflict):
        log.error(
            "telegram: another process is polling this bot's token, so each gets only some of "
            "the messages (getUpdates: %s); run one instance in polling mode, or "
            "TELEGRAM_MODE=webhook for several",
            exc.message,
        )
    else:
        cause = f" ({exc.__cause__!r})" if exc.__cause__ is not None else ""
        log.warning("telegram: polling failed, trying again: %s%s", exc.message, cause)
