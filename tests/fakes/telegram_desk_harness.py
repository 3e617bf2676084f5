"""Fixtures for the Telegram tests of a desk group: the real engine with a desk
(`telegram_desk.desk_engine`), the spied-on outbox, and the channel running against the fake
Bot API with the database's desk inbox. Loaded with `pytest_plugins`, after
`telegram_harness`; a module may still define a fixture of the same name of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.handoff.inbox import DbDeskInbox
from bot.knowledge.base import KnowledgeBase
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import desk_channel, desk_engine
from tests.fakes.telegram_spy import SpyCore, running_channel

__all__ = ["channel", "desk_core", "outbox"]


@pytest.fixture
def desk_core(db_url: str, knowledge: KnowledgeBase) -> SpyCore:
    return desk_engine(db_url, knowledge)


@pytest.fixture
def outbox() -> SpyOutbox:
    return SpyOutbox()


@pytest.fixture
async def channel(
    api: FakeBotAPI, desk_core: SpyCore, outbox: SpyOutbox
) -> AsyncIterator[TelegramChannel]:
    config, channel = desk_channel(api, desk_core, outbox, inbox=DbDeskInbox())
    async with running_channel(desk_core, config, channel=channel):
        yield channel
