"""A chat tab whose session is gone (its cookie cleared or expired) starts afresh instead
of going on showing a chat the server no longer has, in a real headless Chromium."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.test_browser import ask, browser, chromium_path, start_browser_server, vpn_bot  # noqa: F401

pytestmark = pytest.mark.browser
ENDED = "Your earlier chat has ended"


async def chatting(context: BrowserContext, url: str) -> Page:
    """A tab with a question asked and answered."""
    page = await context.new_page()
    await page.goto(url)
    await ask(page, "My VPN does not connect")
    await expect(page.locator('[data-author="bot"] h2')).to_have_text("VPN does not connect")
    return page


async def test_a_tab_whose_cookie_is_gone_shows_no_old_chat(
    browser: Browser,  # noqa: F811 - the fixture imported above
) -> None:
    """The tab restored its old chat from sessionStorage (or just kept it), while the
    server, without the cookie, had started a new session: the user wrote on in a chat that
    no longer existed, its buttons pressed into nothing."""
    async with start_browser_server(vpn_bot) as url:
        context = await browser.new_context(locale="en-US")
        page = await chatting(context, url)
        await context.clear_cookies()
        await page.reload()  # a browser brought the tab back, its cookie expired
        messages = page.get_by_test_id("message")
        await expect(page.get_by_test_id("status")).to_contain_text(ENDED)
        await expect(messages).to_have_count(0)
        await expect(page.get_by_test_id("chat-empty")).to_be_visible()

        await page.close()
        page = await chatting(context, url)
        await context.clear_cookies()  # while the tab is open: its next poll sees it
        await expect(page.get_by_test_id("status")).to_contain_text(ENDED)
        await expect(page.get_by_test_id("message")).to_have_count(0)
        await ask(page, "hello")
        await expect(page.get_by_test_id("message")).to_have_count(2)
        await page.reload()
        await expect(page.locator('[data-author="user"]')).to_have_text("hello")
        await context.close()


async def test_a_message_into_a_chat_that_ended_starts_the_new_one(
    browser: Browser,  # noqa: F811 - the fixture imported above
) -> None:
    """The cookie went between two messages (no poll has seen it yet): the answer is of a
    new chat, and the page shows that chat, not the answer under the old one."""
    async with start_browser_server(vpn_bot) as url:
        context = await browser.new_context(locale="en-US")
        page = await chatting(context, url)
        await page.route("**/api/updates*", lambda route: route.abort())
        await context.clear_cookies()
        await ask(page, "hello")
        await expect(page.get_by_test_id("status")).to_contain_text(ENDED)
        await expect(page.locator('[data-author="user"]')).to_have_text(["hello"])
        await expect(page.locator('[data-author="bot"]')).to_have_text(
            ["I did not understand: hello"]
        )
        await context.close()
