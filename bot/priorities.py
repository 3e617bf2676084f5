"""Priorities of handoffs and tickets, lowest first: a waiting handoff of a higher priority is
served before the ones queued earlier (see `bot/handoff/queue.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

__all__ = ["DEFAULT", "PRIORITIES", "Priority", "highest", "rank"]

Priority = Literal["low", "normal", "high", "urgent"]
PRIORITIES: tuple[Priority, ...] = get_args(Priority)
DEFAULT = "normal"


def rank(priority: str) -> int:
    """0 for "low" … 3 for "urgent"; an unknown value counts as the default."""
    return PRIORITIES.index(priority) if priority in PRIORITIES else PRIORITIES.index(DEFAULT)


def highest(priorities: Iterable[str | None]) -> str:
    """The highest of the known priorities given, or the default when there are none."""
    known = [p for p in priorities if p in PRIORITIES]
    return max(known, key=rank, default=DEFAULT)
