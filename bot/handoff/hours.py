"""Working time: weekly hours in a time zone, minus holidays.

A team works by one (its queue is open then); an SLA policy's clocks run by one (see
`bot/handoff/sla.py`). `hours` is "24/7" or comma-separated ranges such as
"mon-fri 09:00-18:00, sat 10:00-14:00", in the calendar's time zone.

Arithmetic is done in UTC: Python subtracts two datetimes of the same zone by their wall
clocks, which is an hour off across a daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["ALWAYS", "Calendar", "Shift", "parse_hours"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"(\w{3})(?:-(\w{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")
_HORIZON = 3660  # days looked ahead for working time: ten years of holidays is a mistake
_WEEK = 8  # days looked ahead for the end of working time: none by then, none at all


@dataclass(frozen=True, slots=True)
class Shift:
    """Working time on one weekday (0 is Monday), start inclusive, end exclusive."""

    weekday: int
    start: time
    end: time


def _days(first: str, last: str) -> list[int]:
    if first not in DAYS or last not in DAYS:
        raise ValueError(f"unknown day in {first}-{last}: use {', '.join(DAYS)}")
    a, b = DAYS.index(first), DAYS.index(last)
    return [d % 7 for d in range(a, b + 1 if b >= a else b + 8)]


def _time(hours: str, minutes: str) -> time:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return time.max
    if h > 23 or m > 59:
        raise ValueError(f"{hours}:{minutes} is not a time of day")
    return time(h, m)


def parse_hours(text: str) -> tuple[Shift, ...]:
    """The shifts of `text` ("24/7" is every day, all day); ValueError says what is wrong."""
    text = text.strip().casefold()
    if text == "24/7":
        return tuple(Shift(day, time.min, time.max) for day in range(7))
    shifts = []
    for part in text.split(","):
        found = _RANGE.fullmatch(part.strip())
        if found is None:
            raise ValueError(f'"{part.strip()}" is not like "mon-fri 09:00-18:00" or "24/7"')
        first, last, h1, m1, h2, m2 = found.groups()
        start, end = _time(h1, m1), _time(h2, m2)
        if start >= end:
            raise ValueError(f'"{part.strip()}" ends before it starts')
        shifts += [Shift(day, start, end) for day in _days(first, last or first)]
    return tuple(shifts)


ALWAYS = parse_hours("24/7")


@dataclass(frozen=True, slots=True)
class Calendar:
    """Working hours in time zone `timezone`, except on `holidays` (local dates)."""

    timezone: str = "UTC"
    shifts: tuple[Shift, ...] = ALWAYS
    holidays: frozenset[date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: datetime) -> bool:
        """Whether `now` (aware) is working time."""
        today = now.astimezone(self.zone).date()
        return any(start <= now < end for start, end in self.periods(today, 1))

    def opens_at(self, now: datetime) -> datetime:
        """When work starts next (`now` itself when open), in the calendar's time zone."""
        for start, end in self.periods(now.astimezone(self.zone).date(), _HORIZON):
            if end > now:
                return max(start, now).astimezone(self.zone)
        return now.astimezone(self.zone)  # no working time at all: validation forbids it

    def closes_at(self, now: datetime) -> datetime | None:
        """When the working time `now` is in ends (periods that meet, as a night shift's two
        days, run on as one); None when `now` is no working time, or it runs on for a week
        (round the clock)."""
        end: datetime | None = None
        for start, finish in self.periods(now.astimezone(self.zone).date(), _WEEK):
            if finish <= now:
                continue
            if end is None and start > now:
                return None
            if end is not None and start > end:
                return end
            end = finish
        return None

    def add(self, start: datetime, span: timedelta) -> datetime:
        """The moment `span` of working time has passed since `start` (aware, in UTC)."""
        left, cursor = span, start.astimezone(UTC)
        for begin, end in self.periods(cursor.astimezone(self.zone).date(), _HORIZON):
            begin = max(begin, cursor)
            if end <= begin:
                continue
            if left <= end - begin:
                return begin + left
            left, cursor = left - (end - begin), end
        raise ValueError("no working time in the next ten years: check hours and holidays")

    def periods(self, first: date, days: int) -> Iterator[tuple[datetime, datetime]]:
        """The working periods of `days` local days from `first`, in order, in UTC."""
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day in self.holidays:
                continue
            shifts = [s for s in self.shifts if s.weekday == day.weekday()]
            for shift in sorted(shifts, key=lambda s: (s.start, s.end)):
                yield self._at(day, shift.start), self._end(day, shift.end)

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, self.zone).astimezone(UTC)

    def _end(self, day: date, moment: time) -> datetime:
        if moment == time.max:  # "24:00": the next day's midnight
            return self._at(day + timedelta(days=1), time.min)
        return self._at(day, moment)
