"""Offices: where users work, in which time zone, which team takes their handoffs, and which
team of local admins takes the jobs that need hands on site.

Plain frozen values built by the composition root from the `[[offices]]` configuration. A
user picks their office with /office; the platform's own idea of the user's time zone (Slack
profile, browser) wins over the office's, which wins over the team's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.handoff.hours import Calendar
from bot.zones import Days, told_time, valid_zone

__all__ = ["Office", "Offices", "ticket_hours", "user_zone"]


@dataclass(frozen=True, slots=True)
class Office:
    """One office: its name (as users pick it), IANA time zone and, optionally, its team, the
    team of its local admins (who take the jobs that need hands on site), its service-level
    policy and its business calendar."""

    name: str
    timezone: str
    team: str | None = None
    on_site_team: str | None = None
    sla: str | None = None  # the service-level policy of its tickets (None: the default)
    calendar: Calendar | None = None  # its business hours and holidays: its tickets' SLA clocks
    aliases: tuple[str, ...] = ()  # other names users type for it ("Москва", "Мск")


@dataclass(frozen=True, slots=True)
class Offices:
    """Every configured office (none is fine: /office then says so)."""

    offices: tuple[Office, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(office.name for office in self.offices)

    @property
    def aliases(self) -> dict[str, str]:
        """Each office's aliases, to its name."""
        return {alias: office.name for office in self.offices for alias in office.aliases}

    def named(self, name: str | None) -> Office | None:
        """The office called `name` (any letter case)."""
        wanted = (name or "").strip().casefold()
        return next((o for o in self.offices if o.name.casefold() == wanted), None)

    def team_of(self, name: str | None, *, on_site: bool = False) -> str | None:
        """The team that takes the handoffs of office `name`, if it has one; for a job that
        needs hands on site, its local admins' team first."""
        office = self.named(name)
        if office is None:
            return None
        return (office.on_site_team if on_site else None) or office.team

    def time_for(
        self,
        moment: datetime | None,
        *,
        own: str | None,
        office: str | None,
        default: str,
        days: Days,
    ) -> str:
        """`moment` as a user is told it ("-" for none): in their own time zone `own`, else
        their office's, else `default` (see `user_zone`), in their words for `days` (see
        `told_time`): "09:00 tomorrow (Europe/Berlin)", "2026-11-30 09:00 (Europe/Berlin)"."""
        if moment is None:
            return "-"
        return told_time(moment, user_zone(own, self.named(office), default), days)


def ticket_hours(office: Office | None, team: Calendar | None) -> Calendar | None:
    """The working time a ticket's SLA clocks run in, unless its policy has its own: the
    office's business calendar if it has one, else its team's (None: around the clock)."""
    return office.calendar if office is not None and office.calendar is not None else team


def user_zone(own: str | None, office: Office | None, default: str) -> str:
    """The time zone a user is told times in: their own, their office's, else `default`
    (the team's)."""
    if valid_zone(own):
        return str(own)
    return office.timezone if office is not None else default
