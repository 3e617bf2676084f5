"""GET /healthz tells a load balancer whether this instance can serve: 503 while its
database does not answer (before, it said "ok" whatever happened)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.web import create_web_app
from bot.adapters.web import health as health_module
from bot.channels import build_web_app
from bot.config import Settings
from bot.engine import Engine
from bot.messages import IncomingMessage, Reply
from bot.storage import database
from tests.conftest import KB_DIR


async def _nothing(message: IncomingMessage) -> list[Reply]:
    return []


async def _status(app_check: object) -> tuple[int, dict[str, str]]:
    app = create_web_app(_nothing, health=app_check)  # type: ignore[arg-type]
    async with TestClient(TestServer(app)) as client, client.get("/healthz") as response:
        return response.status, await response.json()


async def test_a_failing_check_answers_503_and_logs_why_without_showing_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken() -> None:
        raise ConnectionRefusedError("connect to 10.0.0.5:5432 refused")

    assert await _status(broken) == (503, {"status": "unavailable"})
    assert "ConnectionRefusedError: connect to 10.0.0.5:5432 refused" in caplog.text
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


async def test_a_check_that_hangs_answers_503_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health_module, "TIMEOUT", 0.05)

    async def hangs() -> None:
        await asyncio.sleep(10)

    assert await _status(hangs) == (503, {"status": "unavailable"})


async def test_the_bot_s_health_follows_its_database(db_url: str, engine: Engine) -> None:
    app = build_web_app(Settings(database_url=db_url, kb_dir=KB_DIR), engine, None)
    async with TestClient(TestServer(app)) as client:
        async with client.get("/healthz") as response:
            assert (response.status, await response.json()) == (200, {"status": "ok"})
        await database.close()  # the database is gone for this process
        async with client.get("/healthz") as response:
            assert response.status == 503
        await database.connect(db_url)
        async with client.get("/healthz") as response:
            assert response.status == 200


async def test_not_healthy_until_the_channels_have_started(db_url: str, engine: Engine) -> None:
    """/healthz said ok as soon as the web server listened, before Telegram's webhook or
    Slack's events could be taken: a balancer sent them to an instance still starting."""
    started = asyncio.Event()
    settings = Settings(database_url=db_url, kb_dir=KB_DIR)
    app = build_web_app(settings, engine, None, started=started)
    async with TestClient(TestServer(app)) as client:
        async with client.get("/healthz") as response:
            assert response.status == 503
        started.set()
        async with client.get("/healthz") as response:
            assert response.status == 200
