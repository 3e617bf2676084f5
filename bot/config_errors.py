"""What is wrong in the settings, as lines that name each setting the way the operator wrote
it (an environment variable, or a key of the config file), never its value.

Part of the settings (`bot/config_settings.py`, read by `bot/config.py`); `names` maps each
setting to its environment name: HELPDESK_ + the upper-case name, or a platform's own name
(TELEGRAM_BOT_TOKEN).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

__all__ = [
    "carriage_returns",
    "describe",
    "near_misses",
    "tables_not_json",
    "unknown_variables",
]

ENV_PREFIX = "HELPDESK_"
# HELPDESK_ variables that are not the bot's settings: bench/run.py's data folder.
_NOT_SETTINGS = frozenset({f"{ENV_PREFIX}BENCH_DATA"})
_TABLES = ("teams", "offices", "sla")  # named as TOML counts them: teams[0].hours
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def carriage_returns(environ: Mapping[str, str], names: Mapping[str, str]) -> list[str]:
    """Settings whose value ends with "\\r": an env file saved with Windows line ends (for
    systemd's EnvironmentFile= or docker's --env-file), which otherwise read as a port that
    is "not a valid integer" or a token the platform refuses, with no word why."""
    return [
        f"{env}: ends with a carriage return (the env file has Windows line ends: save it "
        "with Unix ones, e.g. dos2unix)"
        for env in sorted(set(names.values()))
        if environ.get(env, "").endswith("\r")
    ]


def unknown_variables(environ: Mapping[str, str], names: Mapping[str, str]) -> list[str]:
    """HELPDESK_ variables that name no setting: a misspelt HELPDESK_DATABSE_URL would
    otherwise leave the bot on its default database without a word."""
    known = {env for env in names.values() if env.startswith(ENV_PREFIX)} | _NOT_SETTINGS
    lines = []
    for name in sorted(n for n in environ if n.upper().startswith(ENV_PREFIX)):
        if name.upper() not in known:
            close = get_close_matches(name.upper(), sorted(names.values()), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            lines.append(f"{name}: not a setting of the bot{hint}")
    return lines


def near_misses(environ: Mapping[str, str], names: Mapping[str, str]) -> list[str]:
    """TELEGRAM_ and SLACK_ variables close to a setting's name but not it (TELEGRAM_TOKEN):
    the bot runs without that platform. Only near misses: other programs have variables of
    these prefixes (a CI's SLACK_WEBHOOK_URL), so these are warned of, not refused."""
    ours = sorted(env for env in names.values() if not env.startswith(ENV_PREFIX))
    lines = []
    for name in sorted(n for n in environ if n.upper().startswith(("TELEGRAM_", "SLACK_"))):
        close = get_close_matches(name.upper(), ours, n=1, cutoff=0.8)
        if name.upper() not in ours and close:
            lines.append(
                f"{name} is set but is not a setting of the bot (did you mean {close[0]}?);"
                " it is not read"
            )
    return lines


def tables_not_json(environ: Mapping[str, str]) -> list[str]:
    """HELPDESK_TEAMS, _OFFICES or _SLA set to what is not JSON (pydantic-settings reads
    them so, and its error was a traceback): the tables belong in the TOML file."""
    lines = []
    for name in sorted(environ):
        table = name.upper().removeprefix(ENV_PREFIX).lower()
        if name.upper().startswith(ENV_PREFIX) and table in _TABLES:
            try:
                json.loads(environ[name])
            except ValueError:
                lines.append(
                    f"{name}: not JSON; declare [[{table}]] tables in the TOML file named by "
                    f"{ENV_PREFIX}CONFIG"
                )
    return lines


def describe(error: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One line per pydantic error, naming the setting; the offending value is never shown."""
    loc = tuple(error.get("loc", ()))
    message = str(error.get("msg", "invalid"))
    for prefix in _PYDANTIC_PREFIXES:
        message = message.removeprefix(prefix)
    if not loc:  # a check across settings: its message names them
        return message
    if loc[0] in _TABLES and len(loc) > 1:
        rest = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[2:] if p != "[key]")
        if error.get("type") == "extra_forbidden":
            message = "not a key of this table"
        return f"{loc[0]}[{loc[1]}]{rest} (in the config file): {message}"
    key = str(loc[0])
    if error.get("type") == "extra_forbidden":  # only the config file can have these
        plain = key.lower().removeprefix(ENV_PREFIX.lower())
        close = [plain] if plain in names else get_close_matches(plain, sorted(names), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"'{key}' in the config file: not a setting of the bot{hint}"
    if loc[0] in _TABLES and error.get("type") == "tuple_type":
        message = f"write each as a [[{key}]] table"
    env = names.get(key.lower(), key.upper())
    return (
        f"{env} (or '{env.lower().removeprefix(ENV_PREFIX.lower())}' in the config file): {message}"
    )
