"""Settings: environment variables over an optional TOML file, validated once at start-up.

Read only by the composition root (`bot/app.py`, `bot/__main__.py`); every other part gets
the plain values it needs. A wrong value stops the bot with a message naming the setting,
never echoing its value (it may be a secret). The settings' fields and their checks are in
`config_settings.py`; here they are read.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config_errors import (
    ENV_PREFIX,
    carriage_returns,
    describe,
    near_misses,
    tables_not_json,
    unknown_variables,
)
from bot.config_settings import Settings, environment_names
from bot.config_tables import OfficeSettings, SlaSettings, TeamSettings
from bot.errors import ConfigError

__all__ = [
    "ENV_PREFIX",
    "OfficeSettings",
    "Settings",
    "SlaSettings",
    "TeamSettings",
    "load_settings",
    "stray_variables",
]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        # utf-8-sig: a byte order mark (Windows' Notepad writes one) read as TOML's first
        # character was refused as "Invalid statement (at line 1, column 1)".
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError as exc:
        raise ConfigError(f"HELPDESK_CONFIG: file {path} does not exist") from exc
    except OSError as exc:
        raise ConfigError(f"HELPDESK_CONFIG: cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"HELPDESK_CONFIG: {path} is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"HELPDESK_CONFIG: {path} is not valid TOML: {exc}") from exc


def load_settings() -> Settings:
    """Settings from the environment and the TOML file named by HELPDESK_CONFIG."""
    names = environment_names()
    unknown = unknown_variables(os.environ, names) + tables_not_json(os.environ)
    unknown += carriage_returns(os.environ, names)
    if unknown:
        raise ConfigError("invalid settings:\n" + "\n".join(unknown))
    config_path = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if config_path is not None and not config_path.strip():  # not the teams' file: no teams
        raise ConfigError(f"{ENV_PREFIX}CONFIG: is empty: give a value, or leave the setting out")
    file_values = _read_toml(Path(config_path)) if config_path else {}
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        lines = "\n".join(describe(e, names) for e in exc.errors(include_input=False))
        raise ConfigError(f"invalid settings:\n{lines}") from None


def stray_variables() -> list[str]:
    """What the log warns of at the start: platform variables named nearly as a setting."""
    return near_misses(os.environ, environment_names())
