"""How long an outbox item is its sender's, and the time the sender has to deliver it.

An item is leased to one sender at a time: to the channel that sends a turn's replies at
once (`outbox.put(..., leased=True)`), or to the sender that claimed it (`Outbox.claim`).
When the lease runs out, any instance may take the item, so a sender that is still waiting
on a slow platform then would have it sent twice. `SendWindow` bounds the sending instead:
it opens before the lease is taken (so it closes before the lease ends) and closes
SEND_WITHIN later; a send still in flight then is cancelled and put off like a dropped
connection (the platform may or may not have taken it: at least once, as after any lost
answer), and the items not begun wait for the next round. The rest of the lease leaves time
to record each outcome, and for the instances' clocks to differ a little.

Should a sender still overrun its lease (a stalled process, clocks far apart), its reports
come too late to do harm: each lease is numbered and a report names its lease, so the
outbox ignores a late `failed` and never lets a late `sent` replace a newer outcome
(`outbox_port.py`).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Final

__all__ = ["LEASE", "SEND_WITHIN", "SendWindow"]

LEASE: Final = timedelta(seconds=60)
SEND_WITHIN: Final = timedelta(seconds=40)


class SendWindow:
    """The time a sender has for what it leases next: open from now for `within`."""

    def __init__(self, within: timedelta = SEND_WITHIN) -> None:
        self._loop = asyncio.get_running_loop()
        self.closes = self._loop.time() + within.total_seconds()

    @property
    def open(self) -> bool:
        """Whether another send may begin."""
        return self._loop.time() < self.closes

    def bound(self) -> asyncio.Timeout:
        """Around one send: cancels it when the window closes (raising `TimeoutError`)."""
        return asyncio.timeout_at(self.closes)
