"""The values the Telegram channel is built from, given by the composition root."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Final, Literal
from urllib.parse import urlsplit

from bot.errors import ConfigError
from bot.messages import locale_language

__all__ = ["ALLOWED_UPDATES", "HideToken", "TelegramConfig"]

ALLOWED_UPDATES: Final = ("message", "edited_message", "callback_query", "my_chat_member")

Commands = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """Everything the channel needs; the token and the secret never appear in `repr`.

    `commands` maps a language code ("" for everyone else) to (command, description) pairs
    for setMyCommands; `apology` maps a language code to the polite "something went wrong",
    `not_yours` to what someone who pressed another user's button in a group is told.
    """

    token: str = field(repr=False)
    base_url: str = "https://api.telegram.org/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    commands: Mapping[str, Commands] = field(default_factory=dict)
    apology: Mapping[str, str] = field(default_factory=dict)
    not_yours: Mapping[str, str] = field(default_factory=dict)
    default_language: str = "ru"
    poll_timeout: timedelta = timedelta(seconds=30)
    recover_after: timedelta = timedelta(minutes=1)
    recover_every: timedelta = timedelta(minutes=1)
    desk_chats: frozenset[str] = frozenset()  # groups that are a team's agents' desk
    desk_usage: str = ""  # the desk's commands, for an agent's reply that names none of them
    outbox_every: timedelta = timedelta(seconds=1)  # how often other instances' items are due

    def __post_init__(self) -> None:
        # The webhook's address and secret are checked with the settings (`check_webhook`
        # in bot/config_checks.py), before anything starts.
        if not self.token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is empty")

    @property
    def file_url(self) -> str:
        """Where files are downloaded: the Bot API's "/file/bot" next to its "/bot"."""
        return f"{self.base_url.rstrip('/').removesuffix('/bot')}/file/bot"

    @property
    def webhook_path(self) -> str:
        """The path our server answers the webhook on: the one of TELEGRAM_WEBHOOK_URL."""
        return urlsplit(self.webhook_url or "").path or "/"

    def apology_for(self, locale: str | None) -> str:
        """The polite error text in the user's language, if we have it."""
        return self._in_language(self.apology, locale)

    def not_yours_for(self, locale: str | None) -> str:
        """ "These buttons are someone else's" in the user's language, if we have it."""
        return self._in_language(self.not_yours, locale)

    def _in_language(self, texts: Mapping[str, str], locale: str | None) -> str:
        return texts.get(locale_language(locale)) or texts.get(self.default_language) or "…"


class HideToken(logging.Filter):
    """Replaces the bot token in log records (httpx logs request URLs, which contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, "<token>"), None
        return True
