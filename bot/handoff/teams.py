"""Teams of agents: who serves which desk, and when they work.

Plain frozen values, built by the composition root from the validated configuration. A
team's working time is its hours (see `bot/handoff/hours.py`) in its time zone, minus its
holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.handoff.hours import ALWAYS, Calendar, Shift, parse_hours

__all__ = ["Shift", "Team", "Teams", "parse_hours"]


@dataclass(frozen=True, slots=True)
class Team:
    """One team: its desk ("web", "slack:C01", "telegram:-100…"), agents, hours, time-out."""

    name: str
    desk: str
    agents: frozenset[str]
    timezone: str = "UTC"
    shifts: tuple[Shift, ...] = ALWAYS
    claim_timeout: timedelta = timedelta(minutes=10)
    holidays: frozenset[date] = frozenset()  # local dates nobody works

    @property
    def calendar(self) -> Calendar:
        """The team's working time: its hours in its time zone, minus its holidays."""
        return Calendar(self.timezone, self.shifts, self.holidays)

    def is_open(self, now: datetime) -> bool:
        """Whether `now` (aware) is inside the team's working time."""
        return self.calendar.is_open(now)

    def closes_at(self, now: datetime) -> datetime | None:
        """When the team's working time `now` is in ends (None: not on duty, or round the
        clock)."""
        return self.calendar.closes_at(now)

    def opens_at(self, now: datetime) -> datetime:
        """When work starts next (`now` itself when open), in the team's time zone."""
        return self.calendar.opens_at(now)

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

    @property
    def zones(self) -> dict[str, str]:
        """Each team's time zone, by name."""
        return {team.name: team.timezone for team in self.teams}

    def of_agent(self, agent: str) -> tuple[Team, ...]:
        """The teams `agent` belongs to."""
        return tuple(t for t in self.teams if t.serves(agent))
