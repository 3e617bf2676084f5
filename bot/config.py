"""Settings: environment variables over an optional TOML file, validated once at start-up.

Read only by the composition root (`bot/app.py`, `bot/__main__.py`); every other part gets
the plain values it needs. A wrong value stops the bot with a message naming the setting,
never echoing its value (it may be a secret).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.errors import ConfigError

__all__ = ["ENV_PREFIX", "Settings", "load_settings"]

ENV_PREFIX = "HELPDESK_"


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

    database_url: str = "sqlite://data/helpdesk.sqlite3"
    kb_dir: Path = Path("kb")
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    config: Path | None = None
    default_language: Literal["ru", "en"] = "ru"
    answer_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    suggest_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    max_stored_chars: int = Field(default=8000, ge=200)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

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

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        answer, suggest = self.answer_threshold, self.suggest_threshold
        if answer is not None and suggest is not None and suggest > answer:
            raise ValueError("suggest_threshold must not be above answer_threshold")
        webhook = self.telegram_bot_token and self.telegram_mode == "webhook"
        if webhook and not (self.telegram_webhook_url and self.telegram_webhook_secret):
            raise ValueError(
                "TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET"
            )
        if self.slack_bot_token and not self.slack_app_token and not self.slack_signing_secret:
            raise ValueError("Slack over HTTP (no SLACK_APP_TOKEN) needs SLACK_SIGNING_SECRET")
        return self

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


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError as exc:
        raise ConfigError(f"HELPDESK_CONFIG: file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"HELPDESK_CONFIG: {path} is not valid TOML: {exc}") from exc


def _describe(error: Mapping[str, Any]) -> str:
    """One line per error, naming the setting; the offending value is never shown."""
    name = ".".join(str(part) for part in error.get("loc", ()))
    message = error.get("msg", "invalid")
    if not name:
        return f"settings: {message}"
    if name.isupper():  # a platform's own variable name (see _platform)
        return f"{name} (or '{name.lower()}' in the config file): {message}"
    return f"{ENV_PREFIX}{name.upper()} (or '{name}' in the config file): {message}"


def load_settings() -> Settings:
    """Settings from the environment and the TOML file named by HELPDESK_CONFIG."""
    config_path = os.environ.get(f"{ENV_PREFIX}CONFIG")
    file_values = _read_toml(Path(config_path)) if config_path else {}
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        lines = "\n".join(_describe(e) for e in exc.errors(include_input=False))
        raise ConfigError(f"invalid settings:\n{lines}") from None
