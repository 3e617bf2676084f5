"""An agent's text with a lone surrogate ("\\ud800", which a JSON body may carry but UTF-8
cannot) is stored and relayed from every desk, with U+FFFD in its place, on both databases:
the Slack desk channel, the Telegram desk group and the web desk's POST, each through its
real adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.handoff.inbox import DbDeskInbox
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import InboundEvent, TranscriptMessage
from tests.fakes.outbox import SpyOutbox
from tests.fakes.slack_desk import BOB, USER, DeskSide, claimed_thread, running_desk, team_settings
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import arrives, claimed, desk_channel, desk_engine
from tests.fakes.telegram_spy import running_channel
from tests.fakes.telegram_updates import Updates
from tests.handoff_support import WEB_TEAMS, build_world
from tests.test_handoff_web import act, app_for, call, say

pytest_plugins = ["tests.fakes.telegram_harness"]

LONE = "restart \ud800 the router"
STORED = "restart \ufffd the router"


async def agent_lines() -> list[str]:
    """The directions of the transcript's lines with the agent's text, each with U+FFFD."""
    lines = await TranscriptMessage.filter(text__contains="the router").order_by("id")
    assert all(STORED in line.text for line in lines), [line.text for line in lines]
    return [line.direction for line in lines]


@pytest.fixture
async def slack_desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


async def test_the_slack_desk_relays_and_notes_it(slack_desk: DeskSide) -> None:
    thread = await claimed_thread(slack_desk)
    await slack_desk.in_thread(thread, f"!note {LONE}")
    await slack_desk.told(BOB, "Note saved")
    await slack_desk.in_thread(thread, LONE)
    await slack_desk.dm_saying(STORED, user=USER)
    await slack_desk.channel.join()
    assert await agent_lines() == ["note", "agent"]


@pytest.mark.usefixtures("ptb_timedelta")
async def test_the_telegram_desk_records_and_relays_it(
    api: FakeBotAPI, updates: Updates, db_url: str, knowledge: KnowledgeBase
) -> None:
    core, outbox = desk_engine(db_url, knowledge), SpyOutbox()
    config, channel = desk_channel(api, core, outbox, inbox=DbDeskInbox())
    async with running_channel(core, config, channel=channel):
        desk, bob, card = await claimed(api, updates, outbox, 603, "I want a human")
        api.push(updates.message(bob, LONE, chat=desk, reply_to_message=card))
        await arrives(api, 603, STORED)
    assert await agent_lines() == ["agent"]
    orders = await InboundEvent.filter(platform="telegram-desk").order_by("id")
    assert all(order.handled_at is not None for order in orders)  # the Claim, then the reply
    assert orders[-1].payload["update"]["message"]["text"] == STORED


async def test_the_web_desk_relays_it(db_url: str, knowledge: KnowledgeBase) -> None:
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with TestClient(TestServer(app_for(world))) as client:
        assert (await call(client, "POST", "/api/agent/login", {"name": "alice"}))[0] == 200
        await say(client, "I need a human", "1")
        _, board = await call(client, "GET", "/api/agent/board")
        handoff = board["cards"][0]["id"]
        assert (await act(client, "claim", handoff))["ok"]
        assert (await act(client, "note", handoff, text=LONE))["ok"]
        assert (await act(client, "reply", handoff, text=LONE))["ok"]
    assert await agent_lines() == ["note", "agent"]
