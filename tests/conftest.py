"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), the demo KB loaded once, and an engine with an in-memory chat."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from tortoise import connections
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.app import build_engine
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge.base import KnowledgeBase, load_knowledge_base
from bot.knowledge.loader import load_articles
from bot.storage import database

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "kb"
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgres"] if PG_URL else [])]
_Test = TypeVar("_Test", bound=Callable[..., Any])


def postgres_only(test: _Test) -> _Test:
    """A test of several instances sharing work: on PostgreSQL only (its row locks share the
    work; SQLite mode is single-instance), skipped without TEST_DATABASE_URL."""
    test = pytest.mark.parametrize("db_url", ["postgres"], indirect=True)(test)
    test = pytest.mark.skipif(PG_URL is None, reason="needs TEST_DATABASE_URL")(test)
    return pytest.mark.postgres(test)


# The web pages' tests (headless Chromium) run on SQLite only: what they check is the page and
# the server code behind it, the same on both; the queries those pages make are tested on
# PostgreSQL over HTTP without a browser (test_handoff_web.py, test_web_adapter.py).
on_sqlite = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def kb_questions() -> list[str]:
    """Every example question of the bundled KB, in all its languages."""
    return [
        question
        for article in load_articles(KB_DIR)
        for questions in article.questions.values()
        for question in questions
    ]


async def _admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A database of this run's own on TEST_DATABASE_URL's server, migrated once, dropped at
    the end: concurrent runs on one server (developers, CI) never see each other's rows."""
    if not PG_URL:
        yield None
        return
    name = f"helpdesk_test_{os.getpid()}"
    base, _, _ = PG_URL.rpartition("/")
    url = f"{base}/{name}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    asyncio.run(_admin(PG_URL, drop, f'CREATE DATABASE "{name}"'))
    asyncio.run(database.migrate(url))
    yield url
    asyncio.run(_admin(PG_URL, drop))


async def _empty_postgres() -> None:
    """Remove every row (the schema stays migrated) so each test starts from nothing."""
    connection = connections.get("default")
    _, rows = await connection.execute_query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'tortoise_migrations'"
    )
    tables = ", ".join(f'"{row["tablename"]}"' for row in rows)
    if tables:
        await connection.execute_script(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; each test gets a copy (migrating takes a second
    or more, a copy a millisecond)."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    asyncio.run(database.migrate(f"sqlite://{path}"))
    return path


@pytest.fixture(params=BACKENDS)
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None, sqlite_template: Path
) -> AsyncIterator[str]:
    """A migrated, connected, empty database of each backend."""
    # tortoise caches each model's INSERT/DELETE SQL by connection name, not dialect, so a
    # process that moves from SQLite to PostgreSQL would reuse "?" placeholders on asyncpg.
    EXECUTOR_CACHE.clear()
    if request.param == "postgres":
        assert pg_url is not None
        url = pg_url
        await database.connect(url)
        await _empty_postgres()
    else:
        shutil.copyfile(sqlite_template, tmp_path / "test.sqlite3")
        url = f"sqlite://{tmp_path}/test.sqlite3"
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
