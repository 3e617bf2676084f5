"""The configuration's tables: `[[teams]]`, `[[offices]]` and `[[sla]]` policies.

Part of the settings (`bot/config_settings.py`), read only by the composition root. Each
table turns into the plain frozen value the handoff queue works with.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from bot.handoff.hours import Calendar, parse_hours
from bot.handoff.offices import Office
from bot.handoff.sla import DEFAULT_TARGETS, Policy, Target, parse_span
from bot.handoff.teams import Team
from bot.priorities import PRIORITIES, Priority
from bot.zones import valid_zone

__all__ = ["NOT_BOOL", "OfficeSettings", "SlaSettings", "TeamSettings"]


def _not_bool(value: object) -> object:
    # pydantic reads a bool as a number (True is 1), so a TOML `http_port = true` would
    # quietly be port 1; the environment's "true" is already refused as no number.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


# On every number among the settings (`Annotated[int, NOT_BOOL]`): true/false is refused.
NOT_BOOL = BeforeValidator(_not_bool)


def _zone(value: str) -> str:
    if valid_zone(value) is None:
        raise ValueError(f'"{value}" is not a time zone such as "Europe/Moscow"')
    return value


def _hours(value: str) -> str:
    parse_hours(value)  # its ValueError names the wrong part
    return value


def _span(value: str) -> str:
    parse_span(value)
    return value


Zone = Annotated[str, AfterValidator(_zone)]  # an IANA time zone name the system knows
Hours = Annotated[str, AfterValidator(_hours)]  # "24/7", "mon-fri 09:00-18:00", …
Span = Annotated[str, AfterValidator(_span)]  # working time: "30m", "4h", "1h30m"

_DESK_PLATFORMS = ("slack:", "telegram:")
_AGENT_PLATFORMS = ("slack:", "telegram:", "web:")


class TeamSettings(BaseModel):
    """One `[[teams]]` table: a desk, its agents, working hours and claim time-out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64)
    desk: str = "web"
    agents: tuple[str, ...] = Field(min_length=1)
    timezone: Zone = "UTC"
    hours: Hours = "24/7"
    holidays: tuple[date, ...] = ()  # days off, such as 2027-01-01, in the team's time zone
    claim_timeout_minutes: Annotated[int, NOT_BOOL] = Field(default=10, ge=1, le=7 * 24 * 60)

    def to_team(self) -> Team:
        """The plain value the handoff queue works with."""
        return Team(
            name=self.name,
            desk=self.desk,
            agents=frozenset(self.agents),
            timezone=self.timezone,
            shifts=parse_hours(self.hours),
            claim_timeout=timedelta(minutes=self.claim_timeout_minutes),
            holidays=frozenset(self.holidays),
        )

    @field_validator("desk")
    @classmethod
    def _desk(cls, value: str) -> str:
        platform, _, chat = value.partition(":")
        if value != "web" and not (value.startswith(_DESK_PLATFORMS) and chat.strip()):
            raise ValueError('must be "web", "slack:<channel id>" or "telegram:<chat id>"')
        return value if value == "web" else f"{platform}:{chat.strip()}"

    @field_validator("agents")
    @classmethod
    def _agents(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for agent in value:
            if not agent.startswith(_AGENT_PLATFORMS) or not agent.partition(":")[2]:
                raise ValueError(
                    f'"{agent}" must be "slack:<user id>", "telegram:<user id>" or "web:<name>"'
                )
        return value


class _WorkingTime(BaseModel):
    """Optional own working time, `hours` minus `holidays` in the table's time zone (an
    office's business calendar, an SLA policy's contract hours)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: Hours | None = None
    holidays: tuple[date, ...] = ()  # days off, such as 2027-01-01, in the table's zone

    @model_validator(mode="after")
    def _holidays_need_hours(self) -> _WorkingTime:
        if self.holidays and self.hours is None:
            raise ValueError("holidays need hours: without them the teams' own calendars count")
        return self

    def _calendar(self, timezone: str) -> Calendar | None:
        """The working time, if `hours` are given."""
        if self.hours is None:
            return None
        return Calendar(timezone, parse_hours(self.hours), frozenset(self.holidays))


class OfficeSettings(_WorkingTime):
    """One `[[offices]]` table: users pick it with /office; times are told in its zone; its
    `hours` and `holidays` (business calendar) are its tickets' SLA clocks."""

    name: str = Field(min_length=1, max_length=64, pattern=r"\S")
    timezone: Zone
    team: str | None = None  # the team that takes this office's handoffs
    on_site_team: str | None = None  # its local admins: jobs marked on_site in the KB
    sla: str | None = None  # the [[sla]] policy of its tickets (else the default one)
    # Other names users type for it, matched as its name is ("Москва", "Мск" for Moscow)
    aliases: tuple[Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")], ...] = ()

    def to_office(self) -> Office:
        return Office(
            name=self.name.strip(),
            timezone=self.timezone,
            team=self.team,
            on_site_team=self.on_site_team,
            sla=self.sla,
            calendar=self._calendar(self.timezone),
            aliases=tuple(alias.strip() for alias in self.aliases),
        )


class SlaSettings(_WorkingTime):
    """One `[[sla]]` table: working time allowed per priority until the first response and
    until resolution, counted in its own hours (if given) or the ticket's team's."""

    name: str = Field(min_length=1, max_length=64)
    timezone: Zone = "UTC"
    response: dict[Priority, Span] = {}
    resolve: dict[Priority, Span] = {}
    # The share of the time used at which the desk is warned.
    warn_at: Annotated[float, NOT_BOOL] = Field(default=0.8, gt=0.0, lt=1.0)
    escalate_to: str | None = None  # a team whose desk also hears of every breach

    @model_validator(mode="after")
    def _hours_in_a_zone(self) -> SlaSettings:
        # Contract hours are somebody's local hours: read in UTC they would be hours off.
        if self.hours and "timezone" not in self.model_fields_set:
            raise ValueError(
                f'hours ("{self.hours}") need the timezone they are in: add timezone = '
                '"Europe/Berlin" (the contract\'s zone), or timezone = "UTC" if so meant'
            )
        return self

    @model_validator(mode="after")
    def _resolved_after_answered(self) -> SlaSettings:
        # A resolution due before the first response would breach one clock to meet the other.
        for priority, target in self.to_policy().targets.items():
            if target.resolve < target.response:
                resolve, response = (
                    f'"{written[priority]}"' if priority in written else "built in"
                    for written in (self.resolve, self.response)
                )
                raise ValueError(
                    f"resolve.{priority} ({resolve}) is shorter than response.{priority} "
                    f"({response}): a ticket cannot be resolved before its first response"
                )
        return self

    def to_policy(self) -> Policy:
        """The plain value; a priority left out keeps the built-in targets."""
        targets: dict[str, Target] = {}
        for priority in PRIORITIES:
            base = DEFAULT_TARGETS[priority]
            response, resolve = self.response.get(priority), self.resolve.get(priority)
            targets[priority] = Target(
                parse_span(response) if response else base.response,
                parse_span(resolve) if resolve else base.resolve,
            )
        calendar = self._calendar(self.timezone)
        return Policy(self.name, targets, calendar, self.warn_at, self.escalate_to)
