"""An upgrade adds columns to tables that already have rows: it must not fail on them."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate

from bot.storage import database
from bot.storage.database import tortoise_config
from bot.storage.models import InboundEvent, Ticket
from tests.conftest import BACKENDS, PG_URL, _admin

# The schema before the columns that came with a default (InboundEvent.failures in 0005,
# Ticket.sla_alerts in 0007), and rows of that time, in SQL both databases take.
BEFORE = "models.0004_outbox_attachment"
ROWS = (
    "INSERT INTO users (platform, workspace, external_id, name, unreachable, created_at) "
    "VALUES ('web', 'local', 'u1', 'Ann', false, CURRENT_TIMESTAMP)",
    "INSERT INTO tickets (user_id, subject, description, status, priority, language, reason, "
    "created_at, updated_at) VALUES (1, 'VPN', 'vpn down', 'open', 'normal', 'en', '', "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO inbound_events (platform, key, payload, received_at) "
    "VALUES ('web', 'k1', '{}', CURRENT_TIMESTAMP)",
)


@pytest.fixture(params=BACKENDS)
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no schema at all."""
    EXECUTOR_CACHE.clear()
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path}/old.sqlite3"
        return
    assert PG_URL is not None
    name = f"helpdesk_upgrade_{os.getpid()}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    await _admin(PG_URL, drop, f'CREATE DATABASE "{name}"')
    yield f"{PG_URL.rpartition('/')[0]}/{name}"
    await _admin(PG_URL, drop)


async def test_an_upgrade_keeps_rows_and_fills_new_columns(empty_url: str) -> None:
    await migrate(config=tortoise_config(empty_url), target=BEFORE)
    await Tortoise.init(config=tortoise_config(empty_url))
    for statement in ROWS:
        await connections.get("default").execute_query(statement)
    await Tortoise.close_connections()

    await database.migrate(empty_url)  # failed on the rows above before `db_default`

    await database.connect(empty_url)
    try:
        ticket, event = await Ticket.get(), await InboundEvent.get()
        assert (ticket.description, ticket.sla_alerts, ticket.response_due) == ("vpn down", 0, None)
        assert (event.key, event.failures) == ("k1", 0)
        sqlite = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets'"
        postgres = "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tickets'"
        query = sqlite if empty_url.startswith("sqlite") else postgres
        _, rows = await connections.get("default").execute_query(query)
        assert any("next_al" in row["name"] for row in rows)  # the SLA rounds' index
    finally:
        await database.close()
