"""How a sender sends an outbox item that is more than one platform message.

A long text goes to the platform as several messages (Telegram's 4096 characters, Slack's
50 blocks a message). A sender sends them through `Parts.send`, which counts the parts the
platform took (a send that returned) and skips those taken before: each one taken
while more are to come is recorded at once (`Outbox.progress`, one small UPDATE), and a
failure reports the count with `failed`; the next lease hands the item out with that count
(`parts_sent`), so it goes on from the first part not taken instead of showing the first
ones twice, also after the sender's process died half-way. A part in flight when the send
failed or the process died (no answer, or no time to record it) counts as not taken: that
one part may come twice, as after any lost answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Parts"]

_Part = TypeVar("_Part")
_Sent = TypeVar("_Sent")


@dataclass(slots=True)
class Parts:
    """How many parts (platform messages) of one item the platform has taken, in all, while a
    sender sends it: it starts at the item's `parts_sent`, and `send` counts each part taken,
    so that a failure half-way reports how far it got (`Outbox.failed(..., parts_sent=)`).
    With `record` (see `progress_of`), a part taken while more are to come is also recorded
    at once, so a crash before the rest does not send it again."""

    taken: int = 0
    record: Callable[[int], Awaitable[None]] | None = None

    async def send(
        self, parts: Sequence[_Part], send_one: Callable[[_Part], Awaitable[_Sent]]
    ) -> list[_Sent]:
        """Send the parts not taken yet, in order, each with `send_one`; what it returned
        for each. A part is taken when `send_one` returns: counted, and recorded unless it
        was the last (the item is then reported sent); an error stops the rest."""
        sent = []
        for part in parts[self.taken :]:
            sent.append(await send_one(part))
            self.taken += 1
            if self.record is not None and self.taken < len(parts):
                await self.record(self.taken)
        return sent
