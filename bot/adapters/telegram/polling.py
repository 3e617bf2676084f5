"""Recording polled updates before Telegram is told they arrived.

PTB's Updater confirms a batch of updates only by asking for the next `offset` after
`get_updates` returned normally (`polling_action_cb` in `telegram/ext/_updater.py`). So a bot
whose `get_updates` records the batch before returning never lets an unrecorded update be
confirmed; when recording fails it raises a `NetworkError`, and the Updater backs off and asks
again with the same offset.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import NetworkError
from telegram.ext import ExtBot

__all__ = ["Recorder", "RecordingBot"]

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
