"""The web chat open in two tabs of one browser (one session): what an agent says reaches
both, in a real headless Chromium."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from bot.engine import Engine
from bot.knowledge.base import KnowledgeBase
from tests.conftest import on_sqlite
from tests.desk_browser import desk_server, open_desk
from tests.handoff_support import WEB_TEAMS, build_world
from tests.test_browser import (  # noqa: F401 - fixtures
    ask,
    bot_messages,
    browser,
    chromium_path,
    start_browser_server,
)

pytestmark = [pytest.mark.browser, on_sqlite]


async def test_an_agents_words_reach_every_tab_of_the_chat(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """The server hands each update to the first tab that polls: the tab the user writes in
    missed what another tab of theirs (left open, or opened again) happened to fetch."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with desk_server(world) as url:
        context = await browser.new_context(locale="en-US")
        talking, other = await context.new_page(), await context.new_page()
        for page in (talking, other):
            await page.goto(url)
        await ask(talking, "human please")
        # The other tab is quicker to ask for updates every time (here: the only one to).
        await talking.route("**/api/updates*", lambda route: route.abort())  # with its ?ack=
        agent = await open_desk(browser, url, "alice")
        await agent.get_by_test_id("claim").click()
        await agent.get_by_test_id("thread-input").fill("Please restart the VPN client")
        await agent.get_by_test_id("thread-send").click()
        for page in (other, talking):
            lines = page.locator('[data-author="agent"]')
            await expect(lines).to_have_count(2)
            await expect(lines.first).to_contain_text("alice from IT has joined")
            await expect(lines.last).to_contain_text("Please restart the VPN client")
        await talking.reload()  # what the tab was passed is kept like what it fetched
        await expect(talking.locator('[data-author="agent"]')).to_have_count(2)
        await context.close()


async def test_a_new_tab_shows_the_conversation_so_far(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """A second tab (sessionStorage is the tab's own) began with an empty log while the
    conversation went on: it shows its recent lines, in order, and goes on with the chat,
    each message once."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with desk_server(world) as url:
        context = await browser.new_context(locale="en-US")
        first = await context.new_page()
        await first.goto(url)
        await ask(first, "human please")
        agent = await open_desk(browser, url, "alice")
        await agent.get_by_test_id("claim").click()
        await agent.get_by_test_id("thread-input").fill("Please restart the VPN client")
        await agent.get_by_test_id("thread-send").click()
        await expect(first.locator('[data-author="agent"]')).to_have_count(2)
        shown = await first.get_by_test_id("message").all_inner_texts()

        second = await context.new_page()
        await second.goto(url)

        await expect(second.get_by_test_id("message")).to_have_count(len(shown))
        assert await second.get_by_test_id("message").all_inner_texts() == shown
        await agent.get_by_test_id("thread-input").fill("Did it help?")
        await agent.get_by_test_id("thread-send").click()
        for page in (first, second):
            await expect(page.locator('[data-author="agent"]')).to_have_count(3)
            await expect(page.locator('[data-author="agent"]').last).to_contain_text("help?")
        await context.close()


async def test_what_the_user_says_in_one_tab_shows_in_the_others(
    browser: Browser,  # noqa: F811 - the fixture imported above
    engine: Engine,
) -> None:
    """The user's lines and the bot's answers to them came back only to the tab they were
    written in: another open tab of the chat never showed them (a new one did, from the
    history). Each tab shows each line once, a press too (its buttons used up everywhere)."""
    async with start_browser_server(engine.handle) as url:
        context = await browser.new_context(locale="en-US")
        first, second = await context.new_page(), await context.new_page()
        for page in (first, second):
            await page.goto(url)
        await ask(first, "vpn keeps dropping")
        for page in (first, second):
            await expect(page.locator('[data-author="user"]')).to_have_text(["vpn keeps dropping"])
            await expect(bot_messages(page)).to_have_count(1)
        await second.get_by_role("button", name="Didn't help").click()
        said = ["vpn keeps dropping", "Didn't help"]
        for page in (second, first):
            await expect(page.locator('[data-author="user"]')).to_have_text(said)
            await expect(page.get_by_role("button", name="Didn't help")).to_be_disabled()
        await expect(bot_messages(first)).to_have_count(await bot_messages(second).count())
        await first.reload()  # what the tab was passed is kept like what it said
        await expect(first.locator('[data-author="user"]')).to_have_text(said)
        await context.close()
