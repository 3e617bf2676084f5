"""Service-level policies: when a ticket's first response and its resolution are due.

A policy gives, per priority, how much working time may pass before the first response and
before the ticket is resolved. Its clocks run by its own calendar when it has one (the hours
a contract promises), else by the ticket's team's working time, else around the clock. An
office names its policy (an outsourcer's clients have different contracts); other tickets
get the default one. A warning goes to the desk when `warn_at` of the time is used, and
another when it is over (`sla_alerts.py` says which are due, `escalation.py` sends them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.handoff.hours import Calendar
from bot.handoff.offices import Office, Offices, ticket_hours
from bot.handoff.teams import Teams
from bot.priorities import DEFAULT, rank
from bot.zones import local_time

if TYPE_CHECKING:
    from bot.storage.models import Ticket

__all__ = [
    "DEFAULT_TARGETS",
    "Clocked",
    "Clocks",
    "Policies",
    "Policy",
    "Target",
    "due_first",
    "due_label",
    "due_now",
    "parse_span",
    "ticket_terms",
]

_NEVER = datetime.max.replace(tzinfo=UTC)  # no due time: after every due time
_SPAN = re.compile(r"(?:(\d+)h)?\s*(?:(\d+)m)?")


def parse_span(text: str) -> timedelta:
    """A span of working time such as "30m", "4h" or "1h30m"; ValueError says what is wrong."""
    found = _SPAN.fullmatch(text.strip().casefold())
    if found is None or not any(found.groups()):
        raise ValueError(f'"{text}" is not like "30m", "4h" or "1h30m"')
    hours, minutes = (int(part or 0) for part in found.groups())
    span = timedelta(hours=hours, minutes=minutes)
    if not span:
        raise ValueError(f'"{text}" is no time at all')
    return span


@dataclass(frozen=True, slots=True)
class Target:
    """Working time allowed until the first response and until resolution."""

    response: timedelta
    resolve: timedelta


def _target(response: str, resolve: str) -> Target:
    return Target(parse_span(response), parse_span(resolve))


# Used for every priority a policy leaves out, and when no policy is configured at all.
DEFAULT_TARGETS: Mapping[str, Target] = {
    "urgent": _target("30m", "4h"),
    "high": _target("1h", "8h"),
    "normal": _target("4h", "24h"),
    "low": _target("8h", "40h"),
}


@dataclass(frozen=True, slots=True)
class Clocks:
    """A ticket's due times (UTC), and when each warning goes out."""

    response_due: datetime
    resolve_due: datetime
    response_warn: datetime
    resolve_warn: datetime


@dataclass(frozen=True, slots=True)
class Policy:
    """One service-level policy; `escalate_to` is a team whose desk also hears of a breach."""

    name: str
    targets: Mapping[str, Target] = field(default_factory=lambda: DEFAULT_TARGETS)
    calendar: Calendar | None = None
    warn_at: float = 0.8
    escalate_to: str | None = None

    def target(self, priority: str) -> Target:
        found = self.targets.get(priority) or DEFAULT_TARGETS.get(priority)
        return found or DEFAULT_TARGETS[DEFAULT]

    def hours(self, fallback: Calendar | None) -> Calendar | None:
        """The hours a ticket's clocks run in: the policy's own, else `fallback` (its office's
        or its team's; None: around the clock)."""
        return self.calendar or fallback

    def clocks(self, priority: str, start: datetime, *, hours: Calendar | None) -> Clocks:
        """The due times of a ticket of `priority` asked for at `start`, in the policy's own
        hours, else `hours` (its office's or its team's, see `offices.ticket_hours`; None:
        around the clock)."""
        calendar = self.hours(hours) or Calendar()
        target = self.target(priority)
        return Clocks(
            response_due=calendar.add(start, target.response),
            resolve_due=calendar.add(start, target.resolve),
            response_warn=calendar.add(start, target.response * self.warn_at),
            resolve_warn=calendar.add(start, target.resolve * self.warn_at),
        )


STANDARD = Policy("standard")


@dataclass(frozen=True, slots=True)
class Policies:
    """Every configured policy; `default` is the one for tickets whose office names none."""

    policies: tuple[Policy, ...] = (STANDARD,)
    default: str = STANDARD.name

    def named(self, name: str | None) -> Policy:
        """The policy called `name`, else the default one."""
        found = next((p for p in self.policies if p.name == name), None)
        return found or next(p for p in self.policies if p.name == self.default)

    def of(self, office: Office | None) -> Policy:
        """The policy of `office`'s tickets: the one it names, else the default one."""
        return self.named(office.sla if office is not None else None)


def ticket_terms(
    ticket: Ticket, sla: Policies, offices: Offices, teams: Teams | None = None
) -> tuple[Policy, Calendar | None]:
    """What a ticket's due times are counted by: its policy, and its office's hours, else
    its team's working time (`offices.ticket_hours`; with no `teams`, around the clock)."""
    team = teams.named(ticket.team) if teams is not None and ticket.team else None
    hours = ticket_hours(offices.named(ticket.office), None if team is None else team.calendar)
    return sla.named(ticket.sla_policy), hours


class Clocked(Protocol):
    """A ticket's due times and when they were met (a model row or a report's row)."""

    @property
    def response_due(self) -> datetime | None: ...
    @property
    def first_response_at(self) -> datetime | None: ...
    @property
    def resolve_due(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...


def due_now(ticket: Clocked) -> datetime | None:
    """The due time the ticket waits for: its first response, else its resolution (None when
    resolved, or for a ticket from before due times were kept)."""
    if ticket.first_response_at is None:
        return ticket.response_due
    return ticket.resolve_due if ticket.resolved_at is None else None


def due_label(ticket: Clocked | None, zone: str, now: datetime) -> tuple[str | None, bool]:
    """The due time the ticket waits for as a desk reads it in `zone` (None: none), and
    whether it has passed."""
    due = None if ticket is None else due_now(ticket)
    return (None, False) if due is None else (local_time(due, zone), due < now)


def due_first(ticket: Clocked, priority: str, number: int) -> tuple[datetime, int, int]:
    """Where a ticket goes in a list of tickets (the desks' and `helpdesk-bot tickets`): the
    one due first first, as agents work (a breach is what the lead sees), one with no due
    time last; then the more urgent, then the older (by its number)."""
    return due_now(ticket) or _NEVER, -rank(priority), number
