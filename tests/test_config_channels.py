"""A platform's settings given without its token, or a token in the wrong setting: the admin
is told which, before the bot starts without the platform or refuses its every request."""

from __future__ import annotations

import os

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("HELPDESK_", "TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)


def _refused(monkeypatch: pytest.MonkeyPatch, **environment: str) -> str:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    return str(caught.value)


def test_telegram_s_webhook_without_its_token_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token under another name (TELEGRAM_TOKEN) left the bot running without Telegram,
    saying nothing, while Telegram's webhook went unanswered."""
    error = _refused(
        monkeypatch,
        TELEGRAM_TOKEN="123456:ABC-def",
        TELEGRAM_MODE="webhook",
        TELEGRAM_WEBHOOK_URL="https://helpdesk.example.com/telegram",
        TELEGRAM_WEBHOOK_SECRET="s3cret-value",
    )
    assert error == (
        "invalid settings:\nTELEGRAM_MODE, TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET are set"
        " but TELEGRAM_BOT_TOKEN is not: the channel starts only with its token (set it, or"
        " leave the others out)"
    )


def test_slack_s_signing_secret_without_its_token_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    error = _refused(monkeypatch, SLACK_SIGNING_SECRET="0123abcd", SLACK_TOKEN="xoxb-1-2")
    assert error == (
        "invalid settings:\nSLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: the channel"
        " starts only with its token (set it, or leave the others out)"
    )


@pytest.mark.parametrize("token", ["xoxb-1-2-abc", "xapp-1-A1-2-abc"])
def test_a_token_in_the_signing_secret_s_place_is_named(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    """Every Slack request was answered 401 (its signature checked with a token)."""
    error = _refused(monkeypatch, SLACK_BOT_TOKEN="xoxb-9-8-xyz", SLACK_SIGNING_SECRET=token)
    assert error.startswith("invalid settings:\nSLACK_SIGNING_SECRET (or 'slack_signing_secret'")
    assert error.endswith(
        ": must be the Signing Secret (Basic Information → App Credentials), not a token"
    )
    assert token not in error


@pytest.mark.parametrize(
    ("name", "value", "token"),
    [
        ("TELEGRAM_API_BASE_URL", "api.telegram.org/bot", ("TELEGRAM_BOT_TOKEN", "123:abc")),
        ("SLACK_API_URL", "slack.com/api/", ("SLACK_BOT_TOKEN", "xoxb-1-2")),
    ],
)
def test_an_api_address_without_its_scheme_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, token: tuple[str, str]
) -> None:
    """The bot migrated, listened, then stopped with "cannot reach the Web API:
    slack.com/auth.test" or httpx's "missing an 'http://' or 'https://' protocol", naming no
    setting."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "0123abcd")
    error = _refused(monkeypatch, **{name: value, token[0]: token[1]})
    assert error == (
        f"invalid settings:\n{name} (or '{name.lower()}' in the config file): must start with"
        " https:// (or http://)"
    )


def test_a_webhook_address_that_is_not_https_is_named_before_anything_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It was refused only once the database was migrated and the web chat listening (its
    address logged), when the Telegram channel was built."""
    error = _refused(
        monkeypatch,
        TELEGRAM_BOT_TOKEN="123456:ABC-def",
        TELEGRAM_MODE="webhook",
        TELEGRAM_WEBHOOK_URL="http://helpdesk.example.com/telegram",
        TELEGRAM_WEBHOOK_SECRET="s3cret-value",
    )
    assert error == (
        "invalid settings:\nTELEGRAM_WEBHOOK_URL must be the public https:// address Telegram"
        " posts to"
    )
