"""A warning at start-up when an office's tickets run their SLA clocks while the team that
serves it is not at work (a Brisbane office served in Moscow's office hours): before, the
operator learnt of it from breached tickets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.handoff import Office, Offices, Policies, Policy, Team, Teams, parse_hours
from bot.handoff.coverage import covered, uncovered
from bot.handoff.hours import Calendar
from tests.test_cli import environment, free_port, run_until_healthy

WEEKDAYS = parse_hours("mon-fri 09:00-18:00")
BRISBANE = Calendar("Australia/Brisbane", WEEKDAYS)
MOSCOW = Calendar("Europe/Moscow", WEEKDAYS)
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("clock", "team", "share"),
    [
        (BRISBANE, MOSCOW, 2 / 9),  # 09-18 at UTC+10 and at UTC+3 share 06:00-08:00 UTC
        (MOSCOW, MOSCOW, 1.0),
        (BRISBANE, Calendar("Europe/Moscow"), 1.0),  # a team working 24/7
        (MOSCOW, Calendar("Europe/Moscow", parse_hours("sat-sun 09:00-18:00")), 0.0),
    ],
)
def test_the_share_of_the_clock_the_team_works(
    clock: Calendar, team: Calendar, share: float
) -> None:
    assert covered(clock, team, MONDAY) == pytest.approx(share)


def _team(name: str, zone: str) -> Team:
    return Team(name, "web", frozenset({f"web:{name}"}), timezone=zone, shifts=WEEKDAYS)


TEAMS = Teams((_team("it", "Europe/Moscow"), _team("bris-admin", "Australia/Brisbane")), "it")


def test_an_office_served_out_of_its_hours_is_named() -> None:
    office = Office("Brisbane", "Australia/Brisbane", on_site_team="bris-admin", calendar=BRISBANE)
    moscow = Office("Moscow", "Europe/Moscow", calendar=MOSCOW)
    [warning] = uncovered(TEAMS, Offices((office, moscow)), Policies(), NOW)
    assert warning.startswith("office Brisbane: its tickets' SLA clocks run in its business")
    assert "team it works only 22% of that time (Europe/Moscow)" in warning


def test_a_policy_in_the_team_s_hours_is_fine() -> None:
    contract = Policy("contract", calendar=MOSCOW)
    office = Office("Brisbane", "Australia/Brisbane", sla="contract", calendar=BRISBANE)
    policies = Policies((contract,), "contract")
    assert uncovered(TEAMS, Offices((office,)), policies, NOW) == []


CONFIG = """
default_team = "it"

[[teams]]
name = "it"
agents = ["web:demo"]
timezone = "Europe/Moscow"
hours = "mon-fri 09:00-18:00"

[[offices]]
name = "Brisbane"
timezone = "Australia/Brisbane"
hours = "mon-fri 09:00-18:00"
"""


def test_helpdesk_bot_run_warns_of_it(tmp_path: Path) -> None:
    (tmp_path / "helpdesk.toml").write_text(CONFIG, "utf-8")
    env = environment(tmp_path) | {"HELPDESK_HTTP_PORT": str(free_port())}
    env["HELPDESK_CONFIG"] = str(tmp_path / "helpdesk.toml")
    _, err = run_until_healthy(env, tmp_path)
    assert "WARNING bot.serving: office Brisbane: its tickets' SLA clocks" in err, err
    assert "team it works only 22%" in err


def test_tickets_of_no_office_under_a_policy_with_its_own_hours_are_checked_too() -> None:
    """The default policy promised round-the-clock hours ("24/7": a contract) while the
    default team works Moscow's office hours: tickets of users with no office (all of them,
    with no offices configured) fell due at night, and the bot started without a word."""
    contract = Policy("contract", calendar=Calendar("Europe/Moscow"))
    policies = Policies((contract,), "contract")
    [warning] = uncovered(TEAMS, Offices(()), policies, NOW)
    assert warning.startswith(
        "tickets of users with no office: their SLA clocks run in policy contract's hours"
    )
    assert "team it works only 27% of that time (Europe/Moscow)" in warning  # 45 h of 168
    assert uncovered(TEAMS, Offices(()), Policies((Policy("x", calendar=MOSCOW),), "x"), NOW) == []


def test_a_sliver_of_shared_hours_is_not_read_as_none() -> None:
    # Brisbane's 09:00-18:00 is 23:00-08:00 UTC; a team working 07:59-08:00 UTC shares one
    # minute of it a day: "works only 0%" would say it never works then
    minute = parse_hours("mon-fri 07:59-08:00")
    night = Teams((Team("it", "web", frozenset({"web:it"}), timezone="UTC", shifts=minute),), "it")
    office = Office("Brisbane", "Australia/Brisbane", calendar=BRISBANE)
    [warning] = uncovered(night, Offices((office,)), Policies(), NOW)
    assert "team it works only <1% of that time (UTC)" in warning
