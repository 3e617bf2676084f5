"""Time zone names (IANA, such as "Europe/Moscow"): which ones are real.

Platforms and browsers send a user's zone as a plain string; only a name the system's time
zone database lists is kept, anything else is ignored rather than trusted.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

__all__ = ["MAX_ZONE_CHARS", "local_time", "valid_zone"]

MAX_ZONE_CHARS = 64  # the longest IANA name is about 30 characters


@cache
def _known() -> frozenset[str]:
    return frozenset(available_timezones())  # reads the zone database's folder once


def valid_zone(name: object) -> str | None:
    """`name` when it is a known time zone, else None."""
    if not isinstance(name, str) or len(name) > MAX_ZONE_CHARS:
        return None
    return name if name in _known() else None


def local_time(moment: datetime, zone: str) -> str:
    """`moment` as people read it in `zone`: "2026-11-26 09:00 (Europe/Berlin)"."""
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"
