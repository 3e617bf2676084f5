"""Working time and SLA due times: pure arithmetic, and the `[[sla]]` settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_offices, build_policies
from bot.errors import ConfigError
from bot.handoff.hours import Calendar, parse_hours
from bot.handoff.sla import Policy, Target, parse_span
from tests.test_handoff_config import GOOD, load

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
OFFICE_HOURS = Calendar("Europe/Moscow", parse_hours("mon-fri 09:00-18:00"))


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Moscow (the 27th is a Friday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW)


def test_working_time_skips_nights_and_weekends() -> None:
    assert OFFICE_HOURS.add(moscow(25, 12), timedelta(hours=2)) == moscow(25, 14)
    # Friday 17:00 + 2 h: one hour on Friday, one on Monday.
    assert OFFICE_HOURS.add(moscow(27, 17), timedelta(hours=2)) == moscow(30, 10)
    # Asked on Saturday: the clock starts on Monday at 9.
    assert OFFICE_HOURS.add(moscow(28, 11), timedelta(minutes=30)) == moscow(30, 9, 30)
    # 24 working hours from Wednesday noon: 6 + 9 + 9, so Friday 18:00.
    assert OFFICE_HOURS.add(moscow(25, 12), timedelta(hours=24)) == moscow(27, 18)
    assert OFFICE_HOURS.add(moscow(25, 12), timedelta(0)) == moscow(25, 12)


def test_holidays_stop_the_clock_and_close_the_desk() -> None:
    monday = frozenset({date(2026, 11, 30)})
    hours = Calendar("Europe/Moscow", OFFICE_HOURS.shifts, monday)
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=MOSCOW)
    assert hours.add(moscow(27, 17), timedelta(hours=2)) == tuesday + timedelta(hours=1)
    assert not hours.is_open(moscow(30, 12))
    assert hours.opens_at(moscow(27, 19)) == tuesday


def test_daylight_saving_change_counts_real_time() -> None:
    """Berlin leaves summer time on 2026-10-25: the clocks go from 03:00 back to 02:00."""
    always = Calendar("Europe/Berlin")
    start = datetime(2026, 10, 24, 12, 0, tzinfo=BERLIN)
    due = always.add(start, timedelta(hours=24))
    assert due - start == timedelta(hours=24)  # aware subtraction across zones: real time
    assert due.astimezone(BERLIN).hour == 11  # the day had 25 hours
    weekdays = Calendar("Europe/Berlin", parse_hours("mon-fri 09:00-18:00"))
    friday = datetime(2026, 10, 23, 17, 0, tzinfo=BERLIN)
    monday = weekdays.add(friday, timedelta(hours=2)).astimezone(BERLIN)
    assert (monday.day, monday.hour, monday.utcoffset()) == (26, 10, timedelta(hours=1))


def test_a_calendar_with_no_working_time_ahead_says_so() -> None:
    weekend = Calendar("UTC", parse_hours("sat 10:00-11:00"))
    every_saturday = frozenset(date(2026, 11, 28) + timedelta(weeks=w) for w in range(600))
    closed = Calendar("UTC", weekend.shifts, every_saturday)
    with pytest.raises(ValueError, match="no working time"):
        closed.add(datetime(2026, 11, 25, tzinfo=UTC), timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "span"),
    [("30m", timedelta(minutes=30)), ("4h", timedelta(hours=4)), ("1h30m", timedelta(minutes=90))],
)
def test_spans(text: str, span: timedelta) -> None:
    assert parse_span(text) == span


@pytest.mark.parametrize("text", ["", "4", "2d", "0h", "h", "-1h"])
def test_wrong_spans_say_what_a_span_is(text: str) -> None:
    with pytest.raises(ValueError, match=r'"30m", "4h"|no time'):
        parse_span(text)


def test_clocks_warn_at_a_share_of_the_time() -> None:
    policy = Policy("gold", {"normal": Target(timedelta(hours=4), timedelta(hours=24))})
    clocks = policy.clocks("normal", moscow(25, 12), hours=OFFICE_HOURS)
    assert clocks.response_due == moscow(25, 16)
    assert clocks.response_warn == moscow(25, 15, 12)  # 80% of 4 h
    assert clocks.resolve_due == moscow(27, 18)
    # Its own hours win over the team's; an unknown priority counts as "normal".
    own = Policy("24/7", policy.targets, calendar=Calendar("Europe/Moscow"))
    assert own.clocks("whatever", moscow(27, 17), hours=OFFICE_HOURS).response_due == moscow(27, 21)
    # A priority the policy leaves out keeps the built-in targets.
    assert policy.target("urgent").response == timedelta(minutes=30)


SLA = """
[[sla]]
name = "standard"
response = { urgent = "15m", normal = "2h" }
resolve = { urgent = "2h" }
[[sla]]
name = "gold"
hours = "24/7"
timezone = "Europe/Berlin"
holidays = [2026-12-25]
warn_at = 0.5
escalate_to = "web"
[[offices]]
name = "Berlin"
timezone = "Europe/Berlin"
sla = "gold"
"""
CONFIG = 'default_sla = "standard"\n' + GOOD + SLA


def test_sla_settings_become_policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(tmp_path, monkeypatch, CONFIG)
    policies = build_policies(settings)  # type: ignore[arg-type]
    standard = policies.named(None)
    assert standard.name == "standard" and standard.calendar is None
    assert standard.target("urgent") == Target(timedelta(minutes=15), timedelta(hours=2))
    assert standard.target("normal").response == timedelta(hours=2)
    assert standard.target("normal").resolve == timedelta(hours=24)  # built in
    gold = policies.of(build_offices(settings).named("berlin"))  # type: ignore[arg-type]
    assert gold.name == "gold" and gold.warn_at == 0.5 and gold.escalate_to == "web"
    assert gold.calendar is not None and date(2026, 12, 25) in gold.calendar.holidays
    assert policies.of(None) is standard


def test_no_sla_settings_mean_the_built_in_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policies = build_policies(load(tmp_path, monkeypatch, GOOD))  # type: ignore[arg-type]
    assert policies.named(None).target("urgent").response == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (('urgent = "15m"', 'urgent = "soon"'), "sla[0].response.urgent"),
        (('urgent = "15m"', 'asap = "15m"'), "sla[0].response.asap"),
        (('escalate_to = "web"', 'escalate_to = "leads"'), "sla[1].escalate_to"),
        (('sla = "gold"', 'sla = "silver"'), "offices[0].sla"),
        (('default_sla = "standard"', 'default_sla = "silver"'), "default_sla"),
        (('hours = "24/7"\n', ""), "sla[1]"),  # holidays without hours
        (("warn_at = 0.5", "warn_at = 1.5"), "sla[1].warn_at"),
        (('name = "gold"', 'name = "standard"'), "two policies"),
    ],
)
def test_wrong_sla_settings_name_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], key: str
) -> None:
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load(tmp_path, monkeypatch, (CONFIG).replace(*change))


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            ('resolve = { urgent = "2h" }', 'resolve = { urgent = "10m" }'),
            'sla[0] (in the config file): resolve.urgent ("10m") is shorter than '
            'response.urgent ("15m")',
        ),
        (  # its resolution left out: the built-in 24h
            ('normal = "2h" }', 'normal = "30h" }'),
            "sla[0] (in the config file): resolve.normal (built in) is shorter than "
            'response.normal ("30h")',
        ),
    ],
)
def test_a_resolution_due_before_the_first_response_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], line: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load(tmp_path, monkeypatch, CONFIG.replace(*change))
    assert f"{line}: a ticket cannot be resolved before its first response" in str(refused.value)
    equal = CONFIG.replace('resolve = { urgent = "2h" }', 'resolve = { urgent = "15m" }')
    load(tmp_path, monkeypatch, equal)  # as long as the first response is fine


def test_an_office_has_its_own_hours_and_holidays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = 'sla = "gold"\nhours = "mon-fri 09:00-18:00"\nholidays = [2026-10-05]\n'
    text = CONFIG.replace('sla = "gold"\n', own)
    office = build_offices(load(tmp_path, monkeypatch, text)).named("Berlin")  # type: ignore[arg-type]
    assert office is not None and office.calendar is not None
    assert office.calendar.timezone == "Europe/Berlin"
    assert office.calendar.holidays == frozenset({date(2026, 10, 5)})
    monday, tuesday = (datetime(2026, 10, day, 10, tzinfo=BERLIN) for day in (5, 6))
    assert office.calendar.add(monday, timedelta(hours=1)) == tuesday
    with pytest.raises(ConfigError, match=r"offices\[0\]"):  # holidays without hours
        load(tmp_path, monkeypatch, text.replace('hours = "mon-fri 09:00-18:00"\n', ""))
    with pytest.raises(ConfigError, match=r"offices\[0\]\.hours"):
        load(tmp_path, monkeypatch, text.replace("mon-fri 09:00-18:00", "weekdays"))


def test_team_holidays_close_its_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = GOOD.replace(
        "claim_timeout_minutes = 10", 'claim_timeout_minutes = 10\nholidays = ["2026-11-25"]'
    )
    settings = load(tmp_path, monkeypatch, text)
    [it, _] = settings.teams  # type: ignore[attr-defined]
    assert not it.to_team().is_open(moscow(25, 12))
    assert it.to_team().is_open(moscow(26, 12))


def test_the_readmes_sla_example_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Service levels (SLA)", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    leads = '[[teams]]\nname = "leads"\nagents = ["web:lead"]\n'
    top, _, tables = example.partition("\n\n")  # default_sla comes before any table
    settings = load(tmp_path, monkeypatch, f"{top}\n{GOOD}{leads}{tables}")
    policies = build_policies(settings)  # type: ignore[arg-type]
    gold = policies.of(build_offices(settings).named("Berlin"))  # type: ignore[arg-type]
    assert gold.target("normal").response == timedelta(hours=2)
    assert gold.target("urgent").response == timedelta(minutes=30)
    assert policies.named(None).escalate_to == "leads"


def test_contract_hours_without_their_time_zone_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A policy's hours with no `timezone` ran in UTC without a word: "mon-fri 09:00-18:00"
    of a Moscow contract was three hours off."""
    unzoned = CONFIG.replace('timezone = "Europe/Berlin"\nholidays', "holidays", 1)
    with pytest.raises(ConfigError) as refused:
        load(tmp_path, monkeypatch, unzoned)
    assert 'sla[1] (in the config file): hours ("24/7") need the timezone' in str(refused.value)
    utc = CONFIG.replace('timezone = "Europe/Berlin"\nholidays', 'timezone = "UTC"\nholidays', 1)
    load(tmp_path, monkeypatch, utc)  # said so: taken
