"""Fixtures for the Telegram tests: the fake Bot API, update builders, the spied-on engine.

The test_telegram*.py modules load this file with `pytest_plugins` (and import nothing from
it, so pytest can still rewrite its asserts).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.engine import Engine
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates

__all__ = ["api", "core", "polling", "ptb_timedelta", "updates"]


@pytest.fixture
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on every 429 it parses unless time periods are timedeltas (its opt-in to
    the coming behaviour); the adapter reads both forms, and warnings are errors in tests."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API, listening on an ephemeral port."""
    async with FakeBotAPI() as api:
        yield api


@pytest.fixture
def updates(api: FakeBotAPI) -> Updates:
    return Updates(api)


@pytest.fixture
def core(engine: Engine) -> SpyCore:
    """The real engine (on SQLite, and PostgreSQL when TEST_DATABASE_URL is set), spied on."""
    return SpyCore(engine)


@pytest.fixture
async def polling(api: FakeBotAPI, core: SpyCore) -> AsyncIterator[None]:
    """The Telegram channel polling the fake Bot API for the spied-on engine (a module that
    needs other settings defines its own `polling`, which wins)."""
    async with running_channel(core, config_for(api)):
        yield
