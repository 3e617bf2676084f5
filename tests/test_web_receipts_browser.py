"""Messages from an agent to the web chat arrive when a poll is cut off on its way, and are
shown once when they come again, in a real headless Chromium."""

from __future__ import annotations

import asyncio
import re

import pytest
from playwright.async_api import Browser, Page, Route, expect
from tortoise.queryset import QuerySet

from bot.adapters.web.updates import RECEIPT, UNFETCHED
from bot.knowledge.base import KnowledgeBase
from bot.serving import housekeeping
from bot.storage.models import OutboxMessage
from tests.conftest import on_sqlite
from tests.desk_browser import desk_server, open_desk, open_page
from tests.handoff_support import WEB_TEAMS, build_world
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, on_sqlite]


async def claim_and_greet(url: str, browser: Browser) -> Page:  # noqa: F811
    """alice claims the user's request: the user's chat gets "alice has joined". Her desk."""
    agent = await open_desk(browser, url, "alice")
    await agent.get_by_test_id("claim").click()
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    return agent


def to_users() -> QuerySet[OutboxMessage]:
    """The messages to users' web chats (not to the web desk) still to be delivered."""
    return OutboxMessage.filter(platform="web", status="pending").exclude(
        chat_id__startswith="desk:"
    )


async def delivered(user: Page) -> None:
    """Wait until the page's receipts for what it was sent have reached the server."""
    while await to_users().exists():
        async with user.expect_response("**/api/updates*"):
            pass


async def test_a_message_cut_off_on_its_way_to_the_page_comes_again(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """The server took the agent's words for a poll that never reached the page (the tab's
    connection dropped, a proxy timed out): they were marked delivered and lost."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with desk_server(world) as url:
        user = await open_page(browser, url)
        await ask(user, "human please")
        cut = asyncio.Event()

        async def cut_once(route: Route) -> None:
            response = await route.fetch()  # the server hands the messages out
            if not cut.is_set() and (await response.json())["replies"]:
                cut.set()
                await route.abort()  # and the page never gets them
            else:
                await route.fulfill(response=response)

        await user.route("**/api/updates*", cut_once)
        await claim_and_greet(url, browser)
        await asyncio.wait_for(cut.wait(), timeout=10)
        lines = user.locator('[data-author="agent"]')
        await expect(lines).to_have_count(0)
        world.clock.now += RECEIPT  # the lost poll's lease runs out
        await expect(lines).to_have_count(1)
        await expect(lines.first).to_contain_text("alice from IT has joined")
        await delivered(user)


async def test_a_message_that_comes_again_is_shown_once(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """The server did not hear the page's receipt (here: taken off its poll), so it hands
    the message out again after the lease: the page must not show it a second time."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with desk_server(world) as url:
        user = await open_page(browser, url)
        await ask(user, "human please")
        forgot, again = asyncio.Event(), asyncio.Event()

        async def forget_receipts(route: Route) -> None:
            receipts = re.search(r"ack=[^&]+", route.request.url)
            if receipts and not again.is_set():
                forgot.set()
                await route.continue_(url=route.request.url.replace(receipts[0], "ack="))
            elif forgot.is_set() and not again.is_set():
                response = await route.fetch()
                if (await response.json())["replies"]:
                    again.set()
                await route.fulfill(response=response)
            else:
                await route.continue_()

        await user.route("**/api/updates*", forget_receipts)
        await claim_and_greet(url, browser)
        await asyncio.wait_for(forgot.wait(), timeout=10)
        lines = user.locator('[data-author="agent"]')
        await expect(lines).to_have_count(1)
        world.clock.now += RECEIPT
        await asyncio.wait_for(again.wait(), timeout=10)  # the server sent it again
        await delivered(user)
        await expect(lines).to_have_count(1)
        await expect(lines.first).to_contain_text("alice from IT has joined")
        await user.reload()
        await expect(lines).to_have_count(1)


async def test_a_tab_asleep_for_over_a_week_shows_the_reply_given_up_meanwhile(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """Its poll took only the messages still waiting: the agent's reply, given up as
    unfetched a week on, never showed in the tab left open (here: its polls cut off)."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with desk_server(world) as url:
        user = await open_page(browser, url)
        await ask(user, "human please")
        agent = await claim_and_greet(url, browser)
        lines = user.locator('[data-author="agent"]')
        await expect(lines).to_have_count(1)
        await delivered(user)
        await user.route("**/api/updates*", lambda route: route.abort())  # asleep
        await agent.get_by_test_id("thread-input").fill("Please restart the VPN client")
        await agent.get_by_test_id("thread-send").click()
        await expect(agent.get_by_test_id("thread")).to_contain_text("restart the VPN")
        reply = await to_users().get(text__contains="restart the VPN")
        world.clock.now = reply.created_at + UNFETCHED + RECEIPT  # written on the wall clock
        await housekeeping(world.clock.now)
        assert await OutboxMessage.filter(platform="web", status="failed").count() == 1

        await user.unroute("**/api/updates*")

        await expect(lines).to_have_count(2)
        await expect(lines.last).to_contain_text("Please restart the VPN client")
        for _ in range(2):  # the polls after it bring it no more
            async with user.expect_response("**/api/updates*"):
                pass
        await expect(lines).to_have_count(2)
        await user.reload()
        await expect(lines).to_have_count(2)
