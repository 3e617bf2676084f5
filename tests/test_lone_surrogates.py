"""Text with a lone surrogate ("\\ud800", which a JSON body may carry but UTF-8 cannot) is
stored and answered on every channel, with U+FFFD in its place, on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.web import create_web_app
from bot.engine import Engine
from bot.storage.models import InboundEvent, TranscriptMessage, User
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates
from tests.test_slack import Slack, running_slack

pytest_plugins = ["tests.fakes.telegram_harness"]

LONE = "vpn \ud800 does not connect"
STORED = "vpn \ufffd does not connect"


@pytest.fixture
async def slack(engine: Engine, db_url: str) -> AsyncIterator[Slack]:
    async with running_slack(engine, db_url) as running:
        yield running


async def stored_lines() -> list[str]:
    return [line.text for line in await TranscriptMessage.filter(direction="in")]


async def test_the_web_chat_stores_and_answers_it(engine: Engine) -> None:
    async with TestClient(TestServer(create_web_app(engine.handle))) as client:
        body = {"id": "m1", "text": LONE}
        async with client.post("/api/messages", json=body) as response:
            assert response.status == 200
            replies = (await response.json())["replies"]
    assert replies and "Sorry" not in replies[0]["html"]
    assert await stored_lines() == [STORED]


async def test_a_slack_event_is_stored_answered_and_not_redelivered(slack: Slack) -> None:
    status, _ = await slack.dm(LONE, event_id="EvLone")
    assert status == 200
    assert (await slack.dm(LONE, event_id="EvLone", retry=1))[0] == 200
    [post] = await slack.settle()
    assert post.args["channel"] == "DU1"
    assert await stored_lines() == [STORED]
    [event] = await InboundEvent.all()
    assert event.handled_at is not None and event.payload["text"] == STORED


@pytest.mark.usefixtures("ptb_timedelta")
async def test_a_telegram_update_is_stored_and_answered(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    async with running_channel(core, config_for(api)):
        anna = updates.user(701, name="An\udc00na")
        api.push(updates.message(anna, LONE))
        await api.wait_for("sendMessage")
    assert await stored_lines() == [STORED]
    assert (await User.get(external_id="701")).name == "An\ufffdna"
