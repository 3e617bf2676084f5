"""The settings' fields and their validation: each setting's type, default and limits, and
the checks across them (`config_checks.py`), run once the fields are valid. Read from the
environment and the config file by `config.py`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.config_checks import (
    check_channels,
    check_desks,
    check_offices,
    check_sla,
    check_token,
    check_webhook,
    of,
)
from bot.config_errors import ENV_PREFIX
from bot.config_tables import NOT_BOOL, OfficeSettings, SlaSettings, TeamSettings
from bot.handoff.port import REOPEN_DAYS
from bot.storage.database import DEFAULT_URL

__all__ = ["Settings", "environment_names"]


_DATABASES = ("sqlite", "postgres", "postgresql")  # the schemes tortoise-orm is set up for
# An env file's `HELPDESK_HTTP_HOST=` would listen on every address, an empty path be the
# working folder, an empty password none: a line left empty is a mistake, not a value.
_NOT_EMPTY = ["kb_dir", "http_host", "intents_file", "agent_password", "telegram_webhook_url"]
_NOT_EMPTY += ["telegram_api_base_url", "slack_api_url"]


def _platform(name: str, default: Any = None) -> Any:
    """A setting read from the platform's own variable name (and its lower case in TOML)."""
    return Field(default=default, validation_alias=AliasChoices(name, name.lower()))


class Settings(BaseSettings):
    """Every setting of the bot; the environment name is HELPDESK_ + the upper-case name."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        frozen=True,
        case_sensitive=False,
        populate_by_name=True,
    )

    database_url: str = DEFAULT_URL
    kb_dir: Path = Path("kb")
    # How often to look for KB edits; 0: never.
    kb_reload_seconds: Annotated[int, NOT_BOOL] = Field(default=10, ge=0)
    http_host: str = "127.0.0.1"
    http_port: Annotated[int, NOT_BOOL] = Field(default=8080, ge=0, le=65535)
    config: Path | None = None
    default_language: Literal["ru", "en"] = "ru"
    answer_threshold: Annotated[float | None, NOT_BOOL] = Field(default=None, ge=0.0, le=1.0)
    suggest_threshold: Annotated[float | None, NOT_BOOL] = Field(default=None, ge=0.0, le=1.0)
    max_stored_chars: Annotated[int, NOT_BOOL] = Field(default=8000, ge=200)
    intents_file: Path | None = None  # more phrases for bot/locales/intents.yaml's lists
    # After how many days what users wrote is deleted; None: kept.
    retention_days: Annotated[int | None, NOT_BOOL] = Field(default=None, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics: bool = False  # GET /metrics in Prometheus' format (bot/metrics.py)

    # Live-agent handoff: with no teams, a handoff opens a ticket at once.
    default_team: str | None = None
    teams: tuple[TeamSettings, ...] = ()
    agent_password: SecretStr | None = None  # the web agent page's login secret
    agent_trust_localhost: bool = True  # without a password: agents log in from 127.0.0.1 only
    offices: tuple[OfficeSettings, ...] = ()
    # Service levels of tickets: with no [[sla]], the built-in targets on the teams' hours.
    sla: tuple[SlaSettings, ...] = ()
    default_sla: str | None = None  # the policy of tickets whose office names none
    # How many days after its resolution a user may reopen a ticket ("Still not solved"); 0: never.
    ticket_reopen_days: Annotated[int, NOT_BOOL] = Field(default=REOPEN_DAYS, ge=0)

    # Channels: these keep the platforms' usual names, without the HELPDESK_ prefix.
    telegram_bot_token: SecretStr | None = _platform("TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str = _platform("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot")
    telegram_mode: Literal["polling", "webhook"] = _platform("TELEGRAM_MODE", "polling")
    telegram_webhook_url: str | None = _platform("TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = _platform("TELEGRAM_WEBHOOK_SECRET")
    slack_bot_token: SecretStr | None = _platform("SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = _platform("SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = _platform("SLACK_APP_TOKEN")
    slack_api_url: str = _platform("SLACK_API_URL", "https://slack.com/api/")

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        # Admins write "debug" as often as "DEBUG"; logging's own names are upper case.
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(*_NOT_EMPTY, mode="before")
    @classmethod
    def _given(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty: give a value, or leave the setting out")
        return value

    @field_validator("telegram_api_base_url", "slack_api_url")
    @classmethod
    def _address(cls, value: str) -> str:
        # Else the bot migrated and listened, then stopped naming no setting ("cannot reach
        # the Web API: slack.com/auth.test").
        if not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http://)")
        return value

    @field_validator(
        "telegram_bot_token",
        "telegram_webhook_secret",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
    )
    @classmethod
    def _token(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None:
            check_token(str(info.field_name), value.get_secret_value())
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if value.partition("://")[0] not in _DATABASES or "://" not in value:
            raise ValueError('must be "sqlite://PATH" or "postgres://user:password@host/database"')
        if value.startswith("sqlite://~"):  # no shell expands a TOML value or a unit's Environment=
            return "sqlite://" + os.path.expanduser(value.removeprefix("sqlite://"))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        answer, suggest = self.answer_threshold, self.suggest_threshold
        if answer is not None and suggest is not None and suggest > answer:
            raise ValueError(
                "HELPDESK_SUGGEST_THRESHOLD must not be above HELPDESK_ANSWER_THRESHOLD"
                " ('suggest_threshold', 'answer_threshold' in the config file)"
            )
        check_webhook(self)
        if self.slack_bot_token and not self.slack_app_token and not self.slack_signing_secret:
            raise ValueError("Slack over HTTP (no SLACK_APP_TOKEN) needs SLACK_SIGNING_SECRET")
        names = [team.name for team in self.teams]
        if len(set(names)) != len(names):
            raise ValueError("teams: two teams have the same name")
        if self.default_team is not None and self.default_team not in names:
            raise ValueError(f"default_team must be the name of one of the [[teams]]{of(names)}")
        check_desks(self)  # first: a desk's missing token is the more telling error
        check_channels(self)
        check_sla(self, names)
        check_offices(self, names)
        return self

    def secrets(self) -> list[tuple[str, str]]:
        """Each secret that is set, with its setting's name, for the log to hide (bot/logs.py)."""
        names = environment_names()
        found = [
            (names[name], value.get_secret_value())
            for name, value in self
            if isinstance(value, SecretStr)
        ]
        password = urlsplit(self.database_url).password or ""  # as written, maybe %-encoded
        url = f"{ENV_PREFIX}DATABASE_URL's password"
        return found + [(url, form) for form in {password, unquote(password)} if form]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file comes in through init_settings (see load_settings); env wins over it.
        return env_settings, init_settings


def environment_names() -> dict[str, str]:
    """Each setting's environment variable: HELPDESK_ + its name, or a platform's own."""
    return {
        name: name.upper() if field.validation_alias is not None else f"{ENV_PREFIX}{name.upper()}"
        for name, field in Settings.model_fields.items()
    }
