"""Offices: where users work, in which time zone, and which team takes their handoffs.

Plain frozen values built by the composition root from the `[[offices]]` configuration. A
user picks their office with /office; the platform's own idea of the user's time zone (Slack
profile, browser) wins over the office's, which wins over the team's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.handoff.teams import Team
from bot.zones import valid_zone

__all__ = ["Office", "Offices", "user_zone"]


@dataclass(frozen=True, slots=True)
class Office:
    """One office: its name (as users pick it), IANA time zone and, optionally, its team."""

    name: str
    timezone: str
    team: str | None = None


@dataclass(frozen=True, slots=True)
class Offices:
    """Every configured office (none is fine: /office then says so)."""

    offices: tuple[Office, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(office.name for office in self.offices)

    def named(self, name: str | None) -> Office | None:
        """The office called `name` (any letter case)."""
        wanted = (name or "").strip().casefold()
        return next((o for o in self.offices if o.name.casefold() == wanted), None)

    def team_of(self, name: str | None) -> str | None:
        """The team that takes the handoffs of office `name`, if it has one."""
        office = self.named(name)
        return office.team if office is not None else None


def user_zone(own: str | None, office: Office | None, team: Team) -> str:
    """The time zone a user is told times in: their own, their office's, else the team's."""
    if valid_zone(own):
        return str(own)
    return office.timezone if office is not None else team.timezone
