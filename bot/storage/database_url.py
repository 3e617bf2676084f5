"""Reading HELPDESK_DATABASE_URL: PostgreSQL's into tortoise's connection settings, and a
SQLite file checked to be one.

tortoise hands the URL's query parameters to asyncpg as they are: libpq's `?sslmode=require`
(what managed PostgreSQL services give out) or a misspelt parameter ended in asyncpg's
TypeError traceback, and its `?ssl=` was read as a yes/no, so `?ssl=disable` asked for TLS.
Errors name the setting and the parameter, never the URL (it may hold a password).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import ConfigurationError

from bot.errors import ConfigError

__all__ = ["SETTING", "check_sqlite_file", "postgres_connection"]

SETTING = "HELPDESK_DATABASE_URL"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_SSL = ("ssl", "sslmode")  # asyncpg's name, libpq's: both take SSL_MODES
# What else a URL may set: tortoise's own, and asyncpg's plain connection options.
_OPTIONS = frozenset(
    {"application_name", "schema", "minsize", "maxsize", "host", "passfile", "timeout"}
    | {"command_timeout", "statement_cache_size", "max_cached_statement_lifetime"}
    | {"max_cacheable_statement_size", "max_queries", "max_inactive_connection_lifetime"}
    | {"direct_tls", "target_session_attrs", "krbsrvname", "gsslib"}
)

# A "/" in a password (`openssl rand -base64` makes them) ends the URL's host there, so its
# port reads as what follows the ":" of the password.
_ENCODE = " (a password with '/', '#' or '?' in it must be written %-encoded there: %2F, %23, %3F)"


def postgres_connection(url: str) -> dict[str, Any]:
    """tortoise's connection (engine and credentials) for a postgres:// URL."""
    # The query starts after the password (which may hold a "?"): never shown in an error.
    host = url.rfind("@") + 1
    base, _, query = url[host:].partition("?")
    base = url[:host] + base
    pairs = parse_qsl(query, keep_blank_values=True)
    unknown = sorted({key for key, _ in pairs} - _OPTIONS - set(_SSL))
    if unknown:
        raise ConfigError(
            f"{SETTING}: {', '.join(map(_named, unknown))} is no parameter the bot "
            f"takes; for TLS write ?sslmode= one of {', '.join(SSL_MODES)}"
        )
    kept = "&".join(part for part in query.split("&") if part.partition("=")[0] not in _SSL)
    try:
        connection = expand_db_url(f"{base}?{kept}" if kept else base)
    except ConfigurationError as exc:
        raise ConfigError(f"{SETTING}: {exc}{_ENCODE if 'Port' in str(exc) else ''}") from None
    credentials = connection["credentials"]
    if not credentials.get("database"):  # PostgreSQL would take the user's name for it
        raise ConfigError(
            f"{SETTING}: no database named: write postgres://user:password@host:5432/DATABASE"
        )
    for key, mode in pairs:
        if key in _SSL:
            credentials["ssl"] = _ssl_mode(key, mode)
    return connection


def _ssl_mode(key: str, mode: str) -> str | bool:
    if mode in ("true", "false"):  # as tortoise took it: true asks for TLS, checking the host
        return mode == "true"
    if mode not in SSL_MODES:
        raise ConfigError(f"{SETTING}: {key} must be one of {', '.join(SSL_MODES)}")
    return mode


def check_sqlite_file(path: Path) -> None:
    """Refuse a path that is there but no SQLite database (a folder, a backup's archive): on
    it the first query waited for ever, as tortoise keeps its connection's lock when opening
    the connection fails. A file not there yet is made by the first connection."""
    if not path.exists():
        return
    try:
        # Read-only: nothing is made or changed here, whatever the path is.
        with sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True) as connection:
            connection.execute("PRAGMA schema_version")
        connection.close()
    except sqlite3.Error:
        raise ConfigError(f"{SETTING}: {path} is not a SQLite database") from None


def _named(key: str) -> str:
    """A parameter's name for an error; what is no name (maybe part of a password) is not shown."""
    return repr(key) if key.isidentifier() else "a parameter"
