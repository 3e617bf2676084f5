"""The web desk says why an action did not go through in the desk's language, in a real
headless Chromium: the server's own errors are in English, for whoever calls its API."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, Route, expect

from tests.conftest import on_sqlite
from tests.desk_browser import (  # noqa: F401 - fixtures
    DeskSite,
    default_desk_language,
    default_desk_teams,
    desk_site,
)
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, on_sqlite]


async def send(agent: Page, text: str) -> None:
    await agent.get_by_test_id("thread-input").fill(text)
    await agent.get_by_test_id("thread-send").click()


async def forget_the_login(route: Route) -> None:
    """As after a restart (sessions are forgotten) just before this action arrived."""
    await route.request.frame.page.context.clear_cookies()
    headers = await route.request.all_headers()
    await route.continue_(headers={k: v for k, v in headers.items() if k.lower() != "cookie"})


@pytest.mark.parametrize("desk_language", ["ru"])
async def test_a_russian_desk_says_why_in_russian(site: DeskSite) -> None:
    """Before: a reply over 8000 characters got '"text" and "team" must be strings (text up
    to 8000 characters)', an action after the server forgot the login "log in first", and a
    server failure nothing at all."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
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
