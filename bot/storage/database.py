"""Connecting to the database and migrating its schema (tortoise-orm's own migrations)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.api import migrate as tortoise_migrate

from bot.errors import StorageError

__all__ = ["close", "connect", "migrate", "tortoise_config"]

MODELS = "bot.storage.models"
MIGRATIONS = "bot.storage.migrations"


def _prepare(url: str) -> str:
    """Create the folder of a SQLite file; accept postgresql:// as an alias of postgres://."""
    if url.startswith("sqlite://") and url != "sqlite://:memory:":
        path = Path(url.removeprefix("sqlite://").split("?", 1)[0])
        path.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    return url


def tortoise_config(url: str) -> dict[str, Any]:
    """The tortoise configuration for one database URL."""
    return {
        "connections": {"default": _prepare(url)},
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


async def migrate(url: str) -> None:
    """Bring the schema up to date; keeps the data of an existing database."""
    try:
        await tortoise_migrate(config=tortoise_config(url))
    except (OSError, DBConnectionError) as exc:
        raise StorageError(f"cannot migrate the database: {exc}") from exc
    finally:
        await Tortoise.close_connections()


async def connect(url: str) -> None:
    """Open the connection pool for the models (the schema must be migrated already)."""
    try:
        await Tortoise.init(config=tortoise_config(url))
    except (OSError, DBConnectionError) as exc:
        raise StorageError(f"cannot connect to the database: {exc}") from exc


async def close() -> None:
    """Close every connection."""
    await Tortoise.close_connections()
