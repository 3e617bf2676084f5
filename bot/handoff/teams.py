"""Teams of agents: who serves which desk, and when they work.

Plain frozen values, built by the composition root from the validated configuration.
`hours` is "24/7" or comma-separated ranges such as "mon-fri 09:00-18:00, sat 10:00-14:00",
in the team's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["Shift", "Team", "Teams", "parse_hours"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"(\w{3})(?:-(\w{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


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


@dataclass(frozen=True, slots=True)
class Team:
    """One team: its desk ("web", "slack:C01", "telegram:-100…"), agents, hours, time-out."""

    name: str
    desk: str
    agents: frozenset[str]
    timezone: str = "UTC"
    shifts: tuple[Shift, ...] = parse_hours("24/7")
    claim_timeout: timedelta = timedelta(minutes=10)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: datetime) -> bool:
        """Whether `now` (aware) is inside the team's working hours."""
        local = now.astimezone(self.zone)
        moment = local.time()
        return any(
            s.weekday == local.weekday()
            and s.start <= moment
            and (moment < s.end or s.end == time.max)
            for s in self.shifts
        )

    def opens_at(self, now: datetime) -> datetime:
        """When work starts next (`now` itself when open), in the team's time zone."""
        local = now.astimezone(self.zone)
        if self.is_open(now):
            return local
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            starts = sorted(s.start for s in self.shifts if s.weekday == day.weekday())
            for start in starts:
                candidate = datetime.combine(day, start, self.zone)
                if candidate > local:
                    return candidate
        return local  # no shifts at all: validation forbids it

    def serves(self, agent: str) -> bool:
        """Whether `agent` ("platform:user id") is one of the team's agents."""
        return agent in self.agents


@dataclass(frozen=True, slots=True)
class Teams:
    """Every configured team and the one a handoff goes to by default."""

    teams: tuple[Team, ...]
    default: str

    def get(self, name: str | None) -> Team | None:
        """The team called `name`, else the default team."""
        return self.named(name or "") or self.named(self.default)

    def named(self, name: str) -> Team | None:
        """The team called exactly `name`."""
        return next((t for t in self.teams if t.name == name), None)

    def of_agent(self, agent: str) -> tuple[Team, ...]:
        """The teams `agent` belongs to."""
        return tuple(t for t in self.teams if t.serves(agent))
