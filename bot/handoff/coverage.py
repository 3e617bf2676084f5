"""Whether anyone is at work while a ticket's SLA clocks run: checked at start-up.

An office's tickets run their clocks in the office's business hours (or their policy's own),
while the team that serves the office works its own hours, maybe in another time zone. An
office in Brisbane served by a team working Moscow's office hours shares two hours a day with
it: its tickets fall due while nobody is at work, however fast the team is. `uncovered` finds
such set-ups, so the operator hears of them when the bot starts, not from breached tickets.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.handoff.hours import Calendar
from bot.handoff.offices import Office, Offices, ticket_hours
from bot.handoff.sla import Policies
from bot.handoff.teams import Team, Teams
from bot.shares import percent

__all__ = ["covered", "uncovered"]

_DAYS = 14  # two weeks: every weekday twice, across a change of clocks or not
_ENOUGH = 0.5  # the share of the clock's time the team must work for no warning


def covered(clock: Calendar, team: Calendar, first: date, days: int = _DAYS) -> float:
    """The share of `clock`'s working time in `days` from `first` in which `team` works too
    (1 when the clock has none)."""
    works = list(team.periods(first - timedelta(days=1), days + 2))  # the zones' days differ
    total = shared = timedelta()
    for start, end in clock.periods(first, days):
        total += end - start
        for begin, finish in works:
            shared += max(timedelta(), min(end, finish) - max(start, begin))
    return shared / total if total else 1.0


def uncovered(teams: Teams, offices: Offices, policies: Policies, now: datetime) -> list[str]:
    """A warning for each office (and its on-site team) whose tickets' clocks run mostly
    while the team that serves it does not work; and for the tickets of users with no
    office, under the default policy's own hours, served by the default team."""
    warnings = _no_office(teams, policies, now)
    for office in offices.offices:
        policy = policies.of(office)
        clock = policy.hours(ticket_hours(office, None))
        if clock is None:  # the clocks run in the serving team's own hours
            continue
        hours = f"policy {policy.name}'s hours" if policy.calendar else "its business hours"
        serving = [teams.get(office.team), teams.named(office.on_site_team or "")]
        for team in {t.name: t for t in serving if t is not None}.values():
            share = covered(clock, team.calendar, now.date())
            if share < _ENOUGH:
                warnings.append(_warning(office, f"{hours} ({clock.timezone})", team, share))
    return warnings


def _no_office(teams: Teams, policies: Policies, now: datetime) -> list[str]:
    """The warning for tickets of no office, if the default policy's own hours (their clocks:
    no office calendar comes first) are mostly outside the default team's."""
    policy, team = policies.of(None), teams.get(None)
    if policy.calendar is None or team is None:
        return []  # the clocks run in the serving team's own hours
    share = covered(policy.calendar, team.calendar, now.date())
    if share >= _ENOUGH:
        return []
    hours = f"policy {policy.name}'s hours ({policy.calendar.timezone})"
    return [_warning(None, hours, team, share)]


def _warning(office: Office | None, hours: str, team: Team, share: float) -> str:
    if office is None:
        what, fix = "tickets of users with no office: their", "a default team working those hours"
    else:
        what, fix = f"office {office.name}: its tickets'", "the office a team working those hours"
    return (
        f"{what} SLA clocks run in {hours}, and team {team.name} "
        f"works only {percent(share)} of that time ({team.timezone}): its tickets will fall due "
        f"while nobody is at work; give {fix}, or an [[sla]] policy with the team's hours"
    )
