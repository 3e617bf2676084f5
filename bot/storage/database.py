"""Connecting to the database and migrating its schema (tortoise-orm's own migrations)."""

from __future__ import annotations

import pkgutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from tortoise import Tortoise, connections
from tortoise.exceptions import ConfigurationError, DBConnectionError
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.migrations.recorder import MigrationRecorder

from bot.errors import ConfigError, StorageError
from bot.storage.database_url import SETTING, postgres_connection
from bot.storage.sqlite_file import (
    DEFAULT_URL,
    only_instance,
    single_instance,
    sqlite_file,
    sqlite_folder,
)

__all__ = [
    "DEFAULT_URL",
    "check_schema",
    "close",
    "connect",
    "migrate",
    "only_instance",
    "ping",
    "single_instance",
    "sqlite_file",
    "tortoise_config",
]

MODELS = "bot.storage.models"
MIGRATIONS = "bot.storage.migrations"
_MIGRATION_LOCK = 0x68656C706465736B  # "helpdesk": the advisory lock key migrations take


Connection = str | dict[str, Any]  # tortoise's settings of one connection


def _prepare(url: str, *, checked: bool = False) -> Connection:
    """Check the folder of a SQLite file (unless `checked` already: `only_instance` did, or
    a migration); PostgreSQL's URL (postgresql:// too) as tortoise's connection settings
    (`database_url.py`)."""
    if not checked:
        sqlite_folder(url)
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    return postgres_connection(url) if url.startswith("postgres://") else url


def tortoise_config(url: str) -> dict[str, Any]:
    """The tortoise configuration for one database URL."""
    return _config(_prepare(url))


def _config(connection: Connection) -> dict[str, Any]:
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": [MODELS],
                "migrations": MIGRATIONS,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate(url: str, *, checked: bool = False) -> None:
    """Bring the schema up to date; keeps the data of an existing database. Instances that
    start together take turns (`_one_at_a_time`): the first migrates, the others find the
    schema up to date. A SQLite file is checked (`sqlite_folder`) unless `checked` already."""
    with _naming_the_setting("migrate", url):
        connection = _prepare(url, checked=checked)
        async with _one_at_a_time(connection):
            try:
                await tortoise_migrate(config=_config(connection))
                await _missing_steps()  # refuses a schema a newer version upgraded
            finally:
                await Tortoise.close_connections()


async def check_schema() -> None:
    """The commands that read the database (`tickets`, `report`, `kb gaps`) need this
    version's schema, and must not change it: a newer helpdesk-bot's `tickets` that migrated
    upgraded the schema under the running older instances, which then refused to restart
    (`_missing_steps`). Only `db migrate` and `run` migrate."""
    with _naming_the_setting("connect to"):
        await ping()  # the steps below read as none on a database out of reach
    if missing := await _missing_steps():
        raise StorageError(
            f"the database ({SETTING}) is behind this helpdesk-bot: its schema lacks "
            f"{_steps(missing)}. Run `helpdesk-bot db migrate` (or start the bot) first; "
            "this command reads the database and does not change its schema"
        )


async def _missing_steps() -> list[str]:
    """This version's migration steps the database has not had. A step it has that this
    version does not know is refused: a database a newer version upgraded (then rolled back:
    an older image, a restarted old instance) has columns and rows this code does not
    expect, and would fail on them later, mid-message, so it stops at the start instead."""
    applied = await MigrationRecorder(connections.get("default")).applied_migrations()
    have = {key.name for key in applied if key.app_label == "models"}
    ours = {module.name for module in pkgutil.iter_modules(import_module(MIGRATIONS).__path__)}
    if newer := sorted(have - ours):
        raise StorageError(
            f"the database ({SETTING}) was upgraded by a newer helpdesk-bot: its schema has "
            f"{', '.join(newer)}, which this version does not know. Run that version (or a "
            "later one), or restore the database from before the upgrade"
        )
    return sorted(ours - have)


def _steps(names: list[str]) -> str:
    """One step by its name; several (a database never migrated: all) by the first and last."""
    if len(names) == 1:
        return names[0]
    return f"{len(names)} steps, {names[0]} to {names[-1]}"


@asynccontextmanager
async def _one_at_a_time(connection: Connection) -> AsyncIterator[None]:
    """On PostgreSQL, hold a session advisory lock while migrating: several instances started
    at once each ran every step, and all but one stopped with a traceback (tortoise creates
    its migrations table and applies each step without a lock of its own). The lock lives on
    a connection of its own, so PostgreSQL drops it should the process die."""
    if isinstance(connection, str):
        yield
        return
    credentials = connection["credentials"]
    keys = ("host", "port", "user", "password", "database", "ssl")
    locking = await asyncpg.connect(**{k: credentials[k] for k in keys if k in credentials})
    try:
        await locking.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        yield
    finally:
        await locking.close()  # ends the session, and with it the lock


async def connect(url: str, *, checked: bool = False) -> None:
    """Open the connection pool for the models (the schema must be migrated already), at
    once: opened by the first query instead, it was opened by whichever task asked first (a
    housekeeping round), and a stop cancelling that task mid-connect left aiosqlite closing
    the connection after the event loop had (a traceback at the bot's exit). A SQLite file
    is checked unless `checked` already (`migrate` did)."""
    with _naming_the_setting("connect to", url):
        await Tortoise.init(config=_config(_prepare(url, checked=checked)))
        await ping()


@contextmanager
def _naming_the_setting(doing: str, url: str | None = None) -> Iterator[None]:
    """A URL tortoise cannot read is a configuration error, a database out of reach a storage
    error; both name the setting (not the URL, which may hold a password), a server out of
    reach also its host and port ("Name or service not known" said of no name)."""
    try:
        yield
    except ConfigurationError as exc:
        raise ConfigError(f"{SETTING}: {exc}") from None
    except OSError as exc:
        at = _server(url)
        raise StorageError(f"cannot {doing} the database{at} ({SETTING}): {exc}") from exc
    except (DBConnectionError, asyncpg.PostgresError) as exc:
        raise StorageError(f"cannot {doing} the database ({SETTING}): {exc}") from exc


def _server(url: str | None) -> str:
    """ " at host:port" of a PostgreSQL `url` (no user, no password), else ""."""
    if url is None or sqlite_file(url) is not None:
        return ""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 5432
    except ValueError:
        return ""
    return f" at {host}:{port}" if host else ""


async def ping() -> None:
    """Raise unless the database answers a query (the health check's)."""
    await connections.get("default").execute_query("SELECT 1")


async def close() -> None:
    """Close every connection."""
    await Tortoise.close_connections()
