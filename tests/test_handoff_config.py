"""Teams in the TOML file: validation that names the key, and working hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import build_engine, build_offices, build_teams
from bot.config import load_settings
from bot.errors import ConfigError
from bot.handoff import LiveHandoff, TicketDesk, parse_hours
from bot.handoff.hours import Calendar
from bot.knowledge.base import KnowledgeBase
from tests.handoff_support import IT

GOOD = """
default_team = "it"
slack_bot_token = "xoxb-s3cr3t"
slack_app_token = "xapp-s3cr3t"
[[teams]]
name = "it"
desk = "slack:C01GEN"
agents = ["slack:U02BOB", "telegram:42"]
timezone = "Europe/Moscow"
hours = "mon-fri 09:00-18:00"
claim_timeout_minutes = 10
[[teams]]
name = "web"
desk = "web"
agents = ["web:alice"]
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("HELPDESK_", "TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> object:
    config = tmp_path / "helpdesk.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    return load_settings()


def test_teams_become_plain_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knowledge: KnowledgeBase
) -> None:
    settings = load(tmp_path, monkeypatch, GOOD)
    teams = build_teams(settings)  # type: ignore[arg-type]
    assert teams is not None and teams.default == "it"
    it = teams.named("it")
    assert it is not None and it.serves("telegram:42") and not it.serves("telegram:43")
    assert it.claim_timeout == timedelta(minutes=10)
    engine = build_engine(settings, knowledge)  # type: ignore[arg-type]
    assert isinstance(engine.effects.handoff, LiveHandoff)


def test_no_teams_keeps_tickets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knowledge: KnowledgeBase
) -> None:
    settings = load(tmp_path, monkeypatch, "http_port = 9000\n")
    assert build_teams(settings) is None  # type: ignore[arg-type]
    engine = build_engine(settings, knowledge)  # type: ignore[arg-type]
    assert isinstance(engine.effects.handoff, TicketDesk)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (('hours = "mon-fri 09:00-18:00"', 'hours = "weekdays"'), "teams[0].hours"),
        (('hours = "mon-fri 09:00-18:00"', 'hours = "mon-fri 18:00-09:00"'), "teams[0].hours"),
        (('timezone = "Europe/Moscow"', 'timezone = "Europe/Nowhere"'), "teams[0].timezone"),
        (('desk = "web"', 'desk = "discord:1"'), "teams[1].desk"),
        (('agents = ["web:alice"]', 'agents = ["alice"]'), "teams[1].agents"),
        (('agents = ["web:alice"]', "agents = []"), "teams[1].agents"),
        (("claim_timeout_minutes = 10", "claim_timeout_minutes = 0"), "teams[0].claim_timeout"),
        (('default_team = "it"', 'default_team = "ops"'), "default_team"),
        (('name = "web"', 'name = "it"'), "same name"),
    ],
)
def test_wrong_team_settings_name_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], key: str
) -> None:
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load(tmp_path, monkeypatch, GOOD.replace(*change))


@pytest.mark.parametrize(
    ("change", "key", "token"),
    [
        (('slack_bot_token = "xoxb-s3cr3t"\n', ""), "teams[0].desk", "SLACK_BOT_TOKEN"),
        (('desk = "web"', 'desk = "telegram:-100123"'), "teams[1].desk", "TELEGRAM_BOT_TOKEN"),
    ],
)
def test_a_chat_desk_needs_its_platforms_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], key: str, token: str
) -> None:
    """Without it nothing would post the desk's cards, and users would be told a person is
    coming until the time-out."""
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, monkeypatch, GOOD.replace(*change))
    assert key in str(caught.value) and token in str(caught.value)
    assert "s3cr3t" not in str(caught.value)


def test_agents_of_a_platform_without_a_token_are_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agents act only through their team's desk and nothing is sent to them directly, so
    the README's web desk with Slack and Telegram agents runs with no tokens."""
    text = '[[teams]]\nname = "it"\nagents = ["web:alice", "slack:U02BOB", "telegram:42"]\n'
    teams = build_teams(load(tmp_path, monkeypatch, text))  # type: ignore[arg-type]
    assert teams is not None and teams.teams[0].serves("slack:U02BOB")


def test_hours() -> None:
    assert len(parse_hours("24/7")) == 7
    assert len(parse_hours("mon-fri 09:00-18:00, sat 10:00-14:00")) == 6
    assert [s.weekday for s in parse_hours("fri-mon 10:00-12:00")] == [4, 5, 6, 0]
    wednesday_noon_moscow = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert IT.is_open(wednesday_noon_moscow)
    friday_night = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 19:00 in Moscow
    assert not IT.is_open(friday_night)
    monday = IT.opens_at(friday_night)
    assert (monday.weekday(), monday.hour, monday.minute) == (0, 9, 0)


def test_the_end_of_working_time() -> None:
    """When the working time a moment is in ends: shifts that meet run on as one (a night
    shift over midnight), none off duty or round the clock."""
    wednesday_noon_moscow = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert IT.closes_at(wednesday_noon_moscow) == datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    assert IT.closes_at(datetime(2026, 11, 27, 16, 0, tzinfo=UTC)) is None  # off duty
    assert Calendar(shifts=parse_hours("24/7")).closes_at(wednesday_noon_moscow) is None
    night = Calendar(shifts=parse_hours("mon-fri 22:00-24:00, tue-sat 00:00-06:00"))
    monday_late = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert night.closes_at(monday_late) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def test_the_demo_set_up_of_make_run_queues_for_the_web_desk(
    monkeypatch: pytest.MonkeyPatch, knowledge: KnowledgeBase
) -> None:
    """`make run` without HELPDESK_CONFIG uses demo/helpdesk.toml: it must stay valid and give
    a handoff to a person on the web agents' page."""
    demo = Path(__file__).resolve().parents[1] / "demo/helpdesk.toml"
    assert f"HELPDESK_CONFIG:-{demo.relative_to(demo.parents[1])}" in (
        demo.parents[1] / "Makefile"
    ).read_text(encoding="utf-8")
    monkeypatch.setenv("HELPDESK_CONFIG", str(demo))
    settings = load_settings()
    teams = build_teams(settings)
    assert teams is not None
    it = teams.named(teams.default)
    assert it is not None and it.desk == "web" and it.serves("web:demo")
    assert isinstance(build_engine(settings, knowledge).effects.handoff, LiveHandoff)
    # Offices, and a local admin team for jobs on site, on the same page.
    offices = build_offices(settings)
    assert offices.team_of("Berlin", on_site=True) == "berlin-admin"
    local = teams.named("berlin-admin")
    assert local is not None and local.desk == "web" and local.serves("web:demo")
