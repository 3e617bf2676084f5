"""Where a user's time zone comes from, per platform, end to end: Slack's users.info `tz`
(the real slack-bolt against the fake Web API), the browser's zone in the web chat's JSON,
and for Telegram (which tells none) the office the user picked; the off-hours ticket then
says when work starts in that zone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.slack.delivery import web_client
from bot.adapters.slack.profiles import Profiles
from bot.adapters.web import create_web_app
from bot.adapters.web.convert import to_incoming
from bot.engine import Engine
from bot.knowledge.base import KnowledgeBase
from bot.messages import IncomingMessage, UserRef, message_from_payload, message_to_payload
from bot.storage.models import Ticket, User
from tests.fakes.slack_api import TOKEN, FakeSlackApi
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates
from tests.test_offices import OFF_HOURS, OFFICES, build
from tests.test_slack import POSTS, running_slack, texts

pytest_plugins = ["tests.fakes.telegram_harness"]
# Wednesday 22:00 in Moscow: the "it" team starts again Thursday 09:00 MSK = 06:00 UTC.
NEW_YORK = "01:00 tomorrow (America/New_York)"
BERLIN = "07:00 tomorrow (Europe/Berlin)"
MOSCOW = "09:00 tomorrow (Europe/Moscow)"


@pytest.fixture
def engine(db_url: str, knowledge: KnowledgeBase) -> Engine:
    """The engine with teams and offices, after hours (the Telegram harness's `core` too)."""
    desk = build(db_url, knowledge, offices=OFFICES)
    desk.clock.now += OFF_HOURS
    return desk.engine


def test_the_zone_survives_the_stored_payload() -> None:
    message = IncomingMessage(UserRef("web", "local", "u1"), "u1", "hi", timezone="Asia/Tokyo")
    assert message_from_payload(message_to_payload(message)) == message
    old = message_to_payload(message)
    del old["timezone"]  # a delivery stored before the field existed
    assert message_from_payload(old).timezone is None


# Slack ---------------------------------------------------------------------------------------


async def test_slack_user_is_told_the_start_in_their_profiles_zone(
    engine: Engine, db_url: str
) -> None:
    async with running_slack(engine, db_url) as slack:
        slack.api.timezones["U1"] = "America/New_York"
        await slack.dm("I need a human")
        [reply] = await slack.posts()
        assert NEW_YORK in " ".join(texts(reply))
        await slack.dm("thanks")
        await slack.posts(2)
        await slack.settle()
        assert len(slack.api.calls_to("users.info")) == 1  # asked once, then cached
    user = await User.get(platform="slack", external_id="U1")
    assert user.timezone == "America/New_York"
    assert (await Ticket.get()).reason == "off_hours"


async def test_slack_user_without_a_zone_gets_the_teams(engine: Engine, db_url: str) -> None:
    async with running_slack(engine, db_url) as slack:
        slack.api.script("users.info", (200, {"ok": False, "error": "missing_scope"}, {}))
        await slack.dm("I need a human")
        [reply] = await slack.posts()
        assert MOSCOW in " ".join(texts(reply))
        assert [c.method for c in slack.api.calls_to("users.info", *POSTS)] == [
            "users.info",
            "chat.postMessage",
        ]


async def test_profiles_cache_failures_and_ask_again_later() -> None:
    api = FakeSlackApi()
    await api.start()
    try:
        now = [0.0]
        profiles = Profiles(web_client(TOKEN, base_url=api.api_url), ttl=60, clock=lambda: now[0])
        api.timezones["U7"] = "Europe/Berlin"
        api.script("users.info", (500, {"ok": False}, {}))
        assert await profiles.timezone("U7") is None
        assert await profiles.timezone("U7") is None  # the failure is kept, not retried
        now[0] = 61.0
        assert await profiles.timezone("U7") == "Europe/Berlin"
        assert await profiles.timezone("B1") is None  # user_not_found
        assert len(api.calls_to("users.info")) == 3
    finally:
        await api.close()


# The web chat --------------------------------------------------------------------------------


@pytest.fixture
async def web_chat(engine: Engine) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async with TestClient(TestServer(create_web_app(engine.handle))) as client:
        yield client


async def ask(client: TestClient[web.Request, web.Application], **payload: Any) -> str:
    body = {"id": "m1", "text": "I need a human"} | payload
    async with client.post("/api/messages", json=body) as response:
        assert response.status == 200
        replies = (await response.json())["replies"]
    return " ".join(reply["html"] for reply in replies)


async def test_web_user_is_told_the_start_in_the_browsers_zone(
    web_chat: TestClient[web.Request, web.Application],
) -> None:
    assert NEW_YORK in await ask(web_chat, timezone="America/New_York")
    assert (await User.get(platform="web")).timezone == "America/New_York"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", 42, "x" * 500, None])
async def test_web_zone_that_is_not_one_is_ignored(
    web_chat: TestClient[web.Request, web.Application], zone: object
) -> None:
    assert MOSCOW in await ask(web_chat, timezone=zone)
    assert (await User.get(platform="web")).timezone is None


def test_web_convert_passes_only_short_strings_on() -> None:
    base = {"id": "1", "text": "hi"}
    assert to_incoming(base | {"timezone": "Asia/Tokyo"}, user_id="u").timezone == "Asia/Tokyo"
    assert to_incoming(base | {"timezone": ["Asia/Tokyo"]}, user_id="u").timezone is None
    assert to_incoming(base | {"timezone": "x" * 65}, user_id="u").timezone is None
    assert to_incoming(base, user_id="u").timezone is None


# Telegram ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("ptb_timedelta")
async def test_telegram_user_is_told_the_start_in_their_offices_zone(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    anna = updates.user(501, language="en")
    async with running_channel(core, config_for(api)):
        api.push(updates.message(anna, "/office Berlin"))
        await api.wait_for("sendMessage")
        api.push(updates.message(anna, "I need a human"))
        await api.wait_for("sendMessage", 2)
    picked, ticket = api.sent(501)
    assert "Berlin" in picked["text"]
    assert BERLIN in ticket["text"]
    user = await User.get(platform="telegram", external_id="501")
    assert (user.office, user.timezone) == ("Berlin", None)


@pytest.mark.usefixtures("ptb_timedelta")
async def test_telegram_user_without_an_office_gets_the_teams_zone(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    async with running_channel(core, config_for(api)):
        api.push(updates.message(updates.user(502, language="en"), "I need a human"))
        await api.wait_for("sendMessage")
    [ticket] = api.sent(502)
    assert MOSCOW in ticket["text"]
