"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), the demo KB loaded once, and an engine with an in-memory chat."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.app import build_engine
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge.base import KnowledgeBase, load_knowledge_base
from bot.storage import database

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "kb"
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgres"] if PG_URL else [])]


async def reset_postgres(url: str) -> None:
    """Drop every table so each test starts from an empty schema."""
    await database.connect(url)
    from tortoise import connections

    await connections.get("default").execute_script(
        "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
    )
    await database.close()


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, connected, empty database of each backend."""
    # tortoise caches each model's INSERT/DELETE SQL by connection name, not dialect, so a
    # process that moves from SQLite to PostgreSQL would reuse "?" placeholders on asyncpg.
    EXECUTOR_CACHE.clear()
    if request.param == "postgres":
        assert PG_URL is not None
        url = PG_URL
        await reset_postgres(url)
    else:
        url = f"sqlite://{tmp_path}/test.sqlite3"
    await database.migrate(url)
    await database.connect(url)
    yield url
    await database.close()


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    """The bundled demo KB, loaded once."""
    return load_knowledge_base(KB_DIR)


@pytest.fixture
def engine(db_url: str, knowledge: KnowledgeBase) -> Engine:
    """An engine on the demo KB over a fresh database."""
    settings = Settings(database_url=db_url, kb_dir=KB_DIR)
    return build_engine(settings, knowledge)
