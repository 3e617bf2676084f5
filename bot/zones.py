"""Time zone names (IANA, such as "Europe/Moscow"): which ones are real.

Platforms and browsers send a user's zone as a plain string; only a name the system's time
zone database lists is kept, anything else is ignored rather than trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

__all__ = ["MAX_ZONE_CHARS", "Days", "local_time", "told_time", "valid_zone"]

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


@dataclass(frozen=True, slots=True)
class Days:
    """What a person is told a time against: `now`, and how their language says a time on
    that day and on the next ("{time} today", "{time} tomorrow"; `Phrases.days`)."""

    now: datetime
    today: str
    tomorrow: str


def told_time(moment: datetime, zone: str, days: Days) -> str:
    """`moment` as a person is told it in `zone`: "11:00 today (Europe/Moscow)" or "09:00
    tomorrow (Europe/Moscow)" on `days.now`'s day there and on the next, another day with its
    date (as `local_time` says it)."""
    here = ZoneInfo(zone)
    local = moment.astimezone(here)
    ahead = (local.date() - days.now.astimezone(here).date()).days
    if ahead not in (0, 1):
        return local_time(moment, zone)
    words = days.tomorrow if ahead else days.today
    return f"{words.format(time=f'{local:%H:%M}')} ({zone})"
