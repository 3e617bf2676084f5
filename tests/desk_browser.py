"""The web desk's browser tests' set-up, written once: a `site` (a world of the web teams,
served on a free local port, with the test's Chromium) opens the user's chat and the desk.

A test that wants the desk in Russian, or other teams, overrides the fixture by name:
`@pytest.mark.parametrize("desk_language", ["ru"])`, `… ("desk_teams", [teams])`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.async_api import Browser, Page, expect

from bot.handoff import Teams, expire_overdue
from bot.knowledge.base import KnowledgeBase
from tests.handoff_support import WEB_TEAMS, World, build_world
from tests.test_browser import ask, serving
from tests.test_handoff_web import app_for

__all__ = [
    "DONE",
    "DeskSite",
    "default_desk_language",
    "default_desk_teams",
    "desk_server",
    "desk_site",
    "open_desk",
    "open_page",
    "timed_out",
]

DONE = re.compile(r"\bdone\b")  # the status line's class for an action that went through


def desk_server(world: World) -> AbstractAsyncContextManager[str]:
    """The web chat with the agents' desk of `world`, on a free local port."""
    return serving(app_for(world))


async def open_page(
    chromium: Browser, url: str, width: int | None = None, *, clock: bool = False
) -> Page:
    """`url` in a new browser context, `width` pixels wide (a phone's) if given; `clock`:
    the page's timers run on a clock the test can run ahead (`page.clock.run_for`)."""
    screen = {"viewport": {"width": width, "height": 700}} if width else {}
    context = await chromium.new_context(locale="en-US", **screen)
    page = await context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    if clock:
        await page.clock.install()
    await page.goto(url)
    return page


async def open_desk(
    chromium: Browser, url: str, name: str, width: int | None = None, *, clock: bool = False
) -> Page:
    """The web desk, logged in as the team's agent `name` (`width`, `clock` as `open_page`'s)."""
    agent = await open_page(chromium, f"{url}/agent", width, clock=clock)
    await agent.get_by_test_id("login-name").fill(name)
    await agent.get_by_test_id("login-submit").click()
    await expect(agent.get_by_test_id("desk-who")).to_have_text(name)
    return agent


async def timed_out(world: World, user: Page, question: str) -> None:
    """`question` waits in the queue and nobody takes it in time: ticket #1."""
    await ask(user, question)
    await expect(user.locator('[data-author="bot"]').last).to_contain_text("queue")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1


@dataclass(frozen=True)
class DeskSite:
    """A served world and the browser to open its pages in."""

    browser: Browser
    world: World
    url: str

    async def page(self, path: str = "", width: int | None = None) -> Page:
        """The page at `path` (the user's chat by default), not logged in."""
        return await open_page(self.browser, f"{self.url}{path}", width)

    async def desk(
        self, name: str = "alice", width: int | None = None, *, clock: bool = False
    ) -> Page:
        """The desk, logged in as `name` (`width`, `clock` as `open_page`'s)."""
        return await open_desk(self.browser, self.url, name, width, clock=clock)


@pytest.fixture(name="desk_language")
def default_desk_language() -> str:
    return "en"


@pytest.fixture(name="desk_teams")
def default_desk_teams() -> Teams:
    return WEB_TEAMS


@pytest.fixture(name="site")
async def desk_site(
    browser: Browser,
    db_url: str,
    knowledge: KnowledgeBase,
    desk_language: str,
    desk_teams: Teams,
) -> AsyncIterator[DeskSite]:
    world = build_world(db_url, knowledge, teams=desk_teams, desk_language=desk_language)
    async with serving(app_for(world, desk_language=desk_language)) as url:
        yield DeskSite(browser, world, url)
