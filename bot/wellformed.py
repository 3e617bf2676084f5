"""Text made storable: a lone UTF-16 surrogate ("\\ud800") replaced by U+FFFD.

A JSON body may carry one, UTF-8 cannot, so neither database stores it (PostgreSQL and
SQLite both refuse the whole row). Both doors of the core mend what comes in: the engine's
for users' messages (`Engine.accept` and `handle`, `bot/engine.py`), the desk's for agents'
actions and the deliveries a desk channel records before acting on them
(`bot/handoff/desk.py`, `bot/handoff/inbox.py`).
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

__all__ = ["mended"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

T = TypeVar("T")


def mended(value: T) -> T:
    """`value` with every lone surrogate in its strings (in tuples, lists, dicts' keys and
    values, and dataclasses too) replaced by U+FFFD; other values as they are."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)  # type: ignore[return-value]
    if isinstance(value, tuple | list):
        return type(value)(mended(item) for item in value)
    if isinstance(value, dict):
        return {mended(k): mended(v) for k, v in value.items()}  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: mended(getattr(value, f.name)) for f in fields(value)}
        return replace(value, **changes)
    return value
