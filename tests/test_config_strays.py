"""A platform's variable under a name the bot does not read (TELEGRAM_TOKEN): the bot runs
without that platform, so the log says which name it did not take."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.conftest import KB_DIR


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("HELPDESK_", "TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HELPDESK_DATABASE_URL", f"sqlite://{tmp_path}/strays.sqlite3")
    monkeypatch.setenv("HELPDESK_KB_DIR", str(KB_DIR))


def test_a_misspelt_platform_variable_is_logged_by_name_not_value(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`TELEGRAM_TOKEN=…` (the README says TELEGRAM_BOT_TOKEN) left the bot running without
    Telegram, and nothing said why."""
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:s3cret-value")
    monkeypatch.setenv("SLACK_SIGNIN_SECRET", "s3cret-value")
    with caplog.at_level(logging.WARNING):
        assert main(["db", "migrate"]) == 0
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert lines == [
        "SLACK_SIGNIN_SECRET is set but is not a setting of the bot (did you mean"
        " SLACK_SIGNING_SECRET?); it is not read",
        "TELEGRAM_TOKEN is set but is not a setting of the bot (did you mean"
        " TELEGRAM_BOT_TOKEN?); it is not read",
    ]
    assert "s3cret" not in caplog.text


def test_other_programs_variables_are_left_alone(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Variables of other tools (a CI's SLACK_WEBHOOK_URL) are no near miss: no warning."""
    monkeypatch.setenv("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/x")
    with caplog.at_level(logging.WARNING):
        assert main(["db", "migrate"]) == 0
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]


def test_a_teams_hours_without_their_time_zone_are_warned_of(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """A team's `hours` with no `timezone` ran in UTC without a word (a Moscow team's
    "mon-fri 09:00-18:00" three hours off). Refusing it would stop existing set-ups, so the
    log names the setting and the fix; hours round the clock, or a zone given, say nothing."""
    config = tmp_path / "helpdesk.toml"
    config.write_text(
        '[[teams]]\nname = "it"\nagents = ["web:alice"]\nhours = "mon-fri 09:00-18:00"\n'
        '[[teams]]\nname = "net"\nagents = ["web:bob"]\nhours = "24/7"\n'
        '[[teams]]\nname = "hr"\nagents = ["web:eve"]\nhours = "mon-fri 09:00-17:00"\n'
        'timezone = "UTC"\n'
        '[[teams]]\nname = "ops"\nagents = ["web:olga"]\nholidays = [2027-01-01]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    with caplog.at_level(logging.WARNING):
        assert main(["db", "migrate"]) == 0
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert lines == [
        'teams[0].hours (team "it"): "mon-fri 09:00-18:00" has no timezone, so it is read'
        ' in UTC; add the zone the team works in (timezone = "Europe/Berlin"), or'
        ' timezone = "UTC" if that is meant',
        'teams[3].holidays (team "ops"): days off with no timezone begin and end at midnight'
        ' UTC; add the zone the team works in (timezone = "Europe/Berlin"), or'
        ' timezone = "UTC" if that is meant',
    ]
