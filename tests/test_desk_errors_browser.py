"""The web desk says why an action did not go through in the desk's language, in a real
headless Chromium: the server's own errors are in English, for whoever calls its API."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, Route, expect

from bot.knowledge.base import KnowledgeBase
from tests.handoff_support import WEB_TEAMS, build_world
from tests.test_browser import ask, browser, chromium_path, serving  # noqa: F401 - fixtures
from tests.test_handoff_browser import open_desk, open_page
from tests.test_handoff_web import app_for

pytestmark = pytest.mark.browser


async def send(agent: Page, text: str) -> None:
    await agent.get_by_test_id("thread-input").fill(text)
    await agent.get_by_test_id("thread-send").click()


async def forget_the_login(route: Route) -> None:
    """As after a restart (sessions are forgotten) just before this action arrived."""
    await route.request.frame.page.context.clear_cookies()
    headers = await route.request.all_headers()
    await route.continue_(headers={k: v for k, v in headers.items() if k.lower() != "cookie"})


async def test_a_russian_desk_says_why_in_russian(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """Before: a reply over 8000 characters got '"text" and "team" must be strings (text up
    to 8000 characters)', an action after the server forgot the login "log in first", and a
    server failure nothing at all."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS, desk_language="ru")
    async with serving(app_for(world, desk_language="ru")) as url:
        user = await open_page(browser, url)
        await ask(user, "human please")
        agent = await open_desk(browser, url, "alice")
        await agent.get_by_test_id("claim").click()
        status = agent.get_by_test_id("status")

        await send(agent, "x" * 8001)
        await expect(status).to_have_text("Сообщение слишком длинное (не больше 8000 символов).")
        await expect(agent.get_by_test_id("thread-input")).to_have_value("x" * 8001)

        await agent.route("**/api/agent/act", lambda route: route.fulfill(status=500, body="500"))
        await send(agent, "hello")
        await expect(status).to_have_text("Сервер не смог это сделать. Попробуйте снова.")
        await agent.unroute("**/api/agent/act")

        await agent.route("**/api/agent/act", forget_the_login)
        await send(agent, "hello")
        await expect(status).to_contain_text("Это не сделано, вы были не в системе")
        await agent.unroute("**/api/agent/act")
        await expect(agent.get_by_test_id("desk-who")).to_have_text("alice")  # in again
        await send(agent, "hello")
        await expect(user.locator('[data-author="agent"]').last).to_contain_text("hello")
