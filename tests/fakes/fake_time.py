"""A clock that moves only when the code under test sleeps: pacing tests check the waits asked
for, never the time that passed."""

from __future__ import annotations


class FakeTime:
    """`clock` and `sleep` to inject; `slept` lists each wait asked for."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
