"""The web chat in a real headless Chromium, driven by Playwright.

`start_browser_server(handler)` serves the chat page around any core handler, so the same
tests can later run against the real engine instead of the fake `vpn_bot` below.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Browser, Locator, Page, Route, async_playwright, expect

from bot.adapters.web import Handler, bound_port, create_web_app, serve
from bot.engine import Engine
from bot.messages import Button, IncomingMessage, Reply
from bot.storage.models import Feedback, User

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A fixed, well-known place so a person can look at the page after a run.
SCREENSHOT = Path("/tmp/webchat.png")  # noqa: S108
VPN_ANSWER = (
    "## VPN does not connect\n\n"
    "1. Check that you are **online**.\n"
    "2. Open `FortiClient` and press **Connect**.\n"
    "3. Still failing? See [the VPN guide](https://intranet.example/vpn)."
)


async def vpn_bot(message: IncomingMessage) -> list[Reply]:
    """A fake core: a Markdown answer with feedback buttons for VPN questions, else an echo."""
    if message.button == "vpn:helped":
        return [Reply(text="Glad it helped! 🎉")]
    if message.button == "vpn:failed":
        return [Reply(text="Sorry. An agent will take over.")]
    if "vpn" in message.text.lower() or "впн" in message.text.lower():
        buttons = (Button("Helped", "vpn:helped"), Button("Didn't help", "vpn:failed"))
        return [Reply(text=VPN_ANSWER, buttons=buttons)]
    return [Reply(text=f"I did not understand: {message.text}")]


def _install_chromium() -> str | None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        # A fixed command line with no user input: the S603/S607 checks do not apply.
        done = subprocess.run(command, env=env, check=False, timeout=900)
        if done.returncode != 0:
            return None
    return CHROMIUM if Path(CHROMIUM).exists() else None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; installed with apt-get on a fresh (root) CI machine."""
    path = CHROMIUM if Path(CHROMIUM).exists() else _install_chromium()
    if path is None:
        pytest.skip(
            f"!!! BROWSER TESTS SKIPPED: {CHROMIUM} is missing and could not be installed "
            "(needs root and apt-get: `apt-get install -y chromium`) !!!"
        )
    return path


@pytest.fixture
async def browser(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on a free local port; yields its base URL."""
    runner = await serve(app, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{bound_port(runner)}"
    finally:
        await runner.cleanup()


def start_browser_server(handler: Handler) -> AbstractAsyncContextManager[str]:
    """Serve the web chat around `handler` on a free local port; yields its base URL."""
    return serving(create_web_app(handler))


@pytest.fixture
def chat_handler() -> Handler:
    """The core under test; switch to the real engine here."""
    return vpn_bot


@pytest.fixture
async def page(browser: Browser, chat_handler: Handler) -> AsyncIterator[Page]:
    async with start_browser_server(chat_handler) as url:
        context = await browser.new_context(locale="en-US", viewport={"width": 420, "height": 760})
        page = await context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(url)
        yield page
        await context.close()
        assert dialogs == [], "a script from a message ran in the page"


async def ask(page: Page, text: str) -> None:
    await page.get_by_test_id("chat-input").fill(text)
    await page.get_by_test_id("chat-input").press("Enter")


def bot_messages(page: Page) -> Locator:
    return page.locator('[data-testid="message"][data-author="bot"]')


async def test_question_answer_and_feedback(page: Page) -> None:
    await expect(page.get_by_test_id("chat-title")).to_have_text("IT helpdesk")
    await ask(page, "My VPN does not connect")

    await expect(page.locator('[data-author="user"]')).to_have_text("My VPN does not connect")
    answer = bot_messages(page).first
    await expect(answer.locator("h2")).to_have_text("VPN does not connect")
    await expect(answer.locator("strong").first).to_have_text("online")
    link = answer.get_by_role("link", name="the VPN guide")
    await expect(link).to_have_attribute("href", "https://intranet.example/vpn")
    await expect(page.get_by_test_id("chat-input")).to_have_value("")
    await page.screenshot(path=str(SCREENSHOT), full_page=True)

    await answer.get_by_role("button", name="Helped").click()

    await expect(bot_messages(page).nth(1)).to_have_text("Glad it helped! 🎉")
    buttons = answer.get_by_test_id("reply-button")
    await expect(buttons).to_have_count(2)
    await expect(buttons.nth(0)).to_be_disabled()
    await expect(buttons.nth(1)).to_be_disabled()
    await expect(page.locator('[data-author="user"]').nth(1)).to_have_text("Helped")


async def test_a_button_pressed_while_a_message_is_on_its_way_goes_after_it(page: Page) -> None:
    """The press did nothing (no mark, nothing sent) while the bot was still answering the
    message before: the user thought it broken. It goes after that message, as typed ones do."""
    await ask(page, "My VPN does not connect")
    answer = bot_messages(page).first
    await expect(answer.locator("h2")).to_have_text("VPN does not connect")
    answering = asyncio.Event()

    async def slow(route: Route) -> None:
        await answering.wait()
        await route.continue_()

    await page.route("**/api/messages", slow)
    await ask(page, "one more thing")
    await answer.get_by_role("button", name="Helped").click()
    await expect(answer.get_by_role("button", name="Helped")).to_have_attribute(
        "aria-pressed", "true"
    )
    answering.set()

    said = ["My VPN does not connect", "one more thing", "Helped"]
    await expect(page.locator('[data-author="user"]')).to_have_text(said)
    await expect(bot_messages(page).last).to_have_text("Glad it helped! 🎉")


async def test_script_in_a_question_is_shown_as_text(page: Page) -> None:
    await ask(page, "<script>alert(1)</script>")

    await expect(page.locator('[data-author="user"]')).to_have_text("<script>alert(1)</script>")
    await expect(bot_messages(page)).to_have_text("I did not understand: <script>alert(1)</script>")
    assert await page.locator(".chat-log script").count() == 0


async def test_russian_browser_gets_russian_page_strings(browser: Browser) -> None:
    async with start_browser_server(vpn_bot) as url:
        context = await browser.new_context(locale="ru-RU")
        page = await context.new_page()
        await page.goto(url)
        await expect(page.get_by_test_id("chat-title")).to_have_text("IT-поддержка")
        placeholder = page.get_by_test_id("chat-input")
        await expect(placeholder).to_have_attribute("placeholder", "Опишите проблему…")
        await ask(page, "не работает впн")
        await expect(bot_messages(page).locator("h2")).to_have_text("VPN does not connect")
        await context.close()


async def test_network_error_shows_a_status_line_with_retry(page: Page) -> None:
    await page.route("**/api/messages", lambda route: route.abort())
    await ask(page, "VPN is down")

    status = page.get_by_test_id("status")
    await expect(status).to_be_visible()
    await expect(status).to_contain_text("Could not reach the server")
    await page.unroute("**/api/messages")
    await page.get_by_test_id("retry").click()

    await expect(bot_messages(page).locator("h2")).to_have_text("VPN does not connect")
    await expect(status).to_be_hidden()
    await expect(page.locator('[data-author="user"]')).to_have_count(1)


async def test_too_many_messages_shows_a_status_line_with_retry(page: Page) -> None:
    """The server's 429 (a browser sending faster than a person writes) is told as such."""
    headers = {"Retry-After": "60"}
    await page.route("**/api/messages", lambda route: route.fulfill(status=429, headers=headers))
    await ask(page, "VPN is down")

    status = page.get_by_test_id("status")
    await expect(status).to_contain_text("Too many messages in a row")
    await page.unroute("**/api/messages")
    await page.get_by_test_id("retry").click()
    await expect(bot_messages(page).locator("h2")).to_have_text("VPN does not connect")


async def test_real_engine_answers_and_takes_feedback(browser: Browser, engine: Engine) -> None:
    """The whole product in the browser: demo KB, dialog, database, web adapter."""
    async with start_browser_server(engine.handle) as url:
        context = await browser.new_context(locale="ru-RU")
        page = await context.new_page()
        await page.goto(url)
        await ask(page, "впн не пашет")
        answer = bot_messages(page).first
        await expect(answer.locator("strong").first).to_have_text("Не подключается VPN")
        await answer.get_by_role("button", name="Помогло", exact=True).click()
        await expect(bot_messages(page).nth(1)).to_contain_text("рад, что помогло")
        await expect(answer.get_by_test_id("reply-button").first).to_be_disabled()
        await page.screenshot(path=str(SCREENSHOT.with_name("webchat-real.png")), full_page=True)
        await context.close()
    feedback = await Feedback.get()
    assert (feedback.article_id, feedback.helpful) == ("vpn-connect", True)


async def test_the_browsers_time_zone_reaches_the_user(browser: Browser, engine: Engine) -> None:
    """The page sends Intl's time zone with each message; the engine keeps it on the user."""
    async with start_browser_server(engine.handle) as url:
        context = await browser.new_context(locale="en-US", timezone_id="Asia/Tokyo")
        page = await context.new_page()
        await page.goto(url)
        await ask(page, "hello")
        await expect(bot_messages(page)).to_have_count(1)
        await context.close()
    assert (await User.get(platform="web")).timezone == "Asia/Tokyo"


async def test_a_reload_shows_the_conversation_and_its_buttons(page: Page) -> None:
    """A reload (or a tab the browser brought back) shows what was said, and buttons still to
    press can be pressed; the page used to come back empty, rating buttons and all."""
    await ask(page, "My VPN does not connect")
    await expect(bot_messages(page).locator("h2")).to_have_text("VPN does not connect")
    await page.reload()
    await expect(page.locator('[data-author="user"]')).to_have_text("My VPN does not connect")
    answer = bot_messages(page).first
    await expect(answer.locator("h2")).to_have_text("VPN does not connect")
    await answer.get_by_role("button", name="Helped").click()
    await expect(bot_messages(page).nth(1)).to_have_text("Glad it helped! 🎉")
    await page.reload()
    await expect(bot_messages(page)).to_have_count(2)
    helped = bot_messages(page).first.get_by_role("button", name="Helped")
    await expect(helped).to_be_disabled()
    await expect(helped).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_test_id("chat-empty")).to_have_count(0)


async def test_a_long_answer_is_shown_from_its_start(browser: Browser) -> None:
    """On a small screen the log stops at the title of a long answer (it went to its last line)."""
    long_answer = "## Long steps\n\n" + "\n".join(f"{n}. Step number {n}." for n in range(1, 40))

    async def long_bot(message: IncomingMessage) -> list[Reply]:
        return [Reply(text=long_answer, buttons=(Button("Helped", "x:helped"),))]

    async with start_browser_server(long_bot) as url:
        context = await browser.new_context(locale="en-US", viewport={"width": 320, "height": 560})
        page = await context.new_page()
        await page.goto(url)
        await ask(page, "everything is broken")
        title = bot_messages(page).locator("h2")
        await expect(title).to_have_text("Long steps")
        await expect(title).to_be_in_viewport()
        await context.close()


async def test_a_button_pressed_from_the_keyboard_leaves_the_focus_in_the_box(page: Page) -> None:
    """The pressed button is disabled; the focus went with it to the page's body."""
    await ask(page, "My VPN does not connect")
    await bot_messages(page).get_by_role("button", name="Helped").focus()
    await page.keyboard.press("Enter")
    await expect(bot_messages(page).nth(1)).to_have_text("Glad it helped! 🎉")
    await expect(page.get_by_test_id("chat-input")).to_be_focused()


@pytest.mark.parametrize("how", ["keyboard", "pointer"])
async def test_send_pressed_leaves_the_focus_in_the_box(page: Page, how: str) -> None:
    """Send is disabled while the message is on its way: the focus went with it to the
    page's body, and the next message needed a click (or Tab after Tab) into the box."""
    await page.get_by_test_id("chat-input").fill("My VPN does not connect")
    if how == "keyboard":
        await page.keyboard.press("Tab")
        await expect(page.get_by_test_id("chat-send")).to_be_focused()
        await page.keyboard.press("Enter")
    else:
        await page.get_by_test_id("chat-send").click()
    await expect(bot_messages(page).locator("h2")).to_have_text("VPN does not connect")
    await expect(page.get_by_test_id("chat-input")).to_be_focused()


async def test_a_message_sent_while_the_answer_is_on_its_way_goes_after_it(page: Page) -> None:
    """Enter did nothing while the bot was answering the message before: the text stayed in
    the box, with no sign it was not sent, until the user pressed Enter again."""
    held: list[Route] = []
    arrived = asyncio.Event()

    async def hold(route: Route) -> None:  # the first answer is slow to come
        if held:
            return await route.continue_()
        held.append(route)
        arrived.set()
        return None

    await page.route("**/api/messages", hold)
    await ask(page, "My VPN does not connect")
    await arrived.wait()
    await ask(page, "and the printer jams")
    await expect(page.get_by_test_id("chat-input")).to_have_value("")
    await held[0].continue_()

    said = ["My VPN does not connect", "and the printer jams"]
    await expect(page.locator('[data-author="user"]')).to_have_text(said)
    echo = "I did not understand: and the printer jams"
    await expect(bot_messages(page).nth(1)).to_have_text(echo)
    await expect(bot_messages(page).first.locator("h2")).to_have_text("VPN does not connect")


async def test_addresses_in_an_answer_are_links(browser: Browser, engine: Engine) -> None:
    """The demo KB's "not for IT" answer (no buttons) names the HR portal and mailbox bare:
    the page showed them as plain words, which Telegram and Slack would have linked."""
    async with start_browser_server(engine.handle) as url:
        context = await browser.new_context(locale="ru-RU")
        page = await context.new_page()
        await page.goto(url)
        await ask(page, "как оформить больничный")
        answer = bot_messages(page).first
        await expect(answer.locator("strong").first).to_contain_text("Не к IT")
        portal = answer.get_by_role("link", name="https://portal.example.com")
        await expect(portal).to_have_attribute("href", "https://portal.example.com")
        mail = answer.get_by_role("link", name="hr@example.com")
        await expect(mail).to_have_attribute("href", "mailto:hr@example.com")
        await expect(answer.get_by_test_id("reply-button")).to_have_count(0)
        await context.close()


async def test_a_pasted_link_or_error_code_does_not_change_the_reply_language(
    browser: Browser, engine: Engine
) -> None:
    """A Russian question with an address or an error code in it is answered in Russian: the
    Latin letters of the paste outnumbered the question's and the bot answered in English."""
    async with start_browser_server(engine.handle) as url:
        context = await browser.new_context(locale="ru-RU")
        page = await context.new_page()
        await page.goto(url)
        await ask(page, "не открывается https://intranet.example.com/sites/finance/Shared/Forms")
        await expect(bot_messages(page)).to_have_count(1)
        await ask(page, "ошибка 0x80070005_ACCESS_DENIED_SHAREPOINT_FINANCE")
        await expect(bot_messages(page)).to_have_count(2)
        for reply in await bot_messages(page).all_inner_texts():
            assert re.search("[а-яё]", reply, re.IGNORECASE), reply
            assert not re.search(r"\b(the|you|your|to)\b", reply), reply
        await context.close()


async def test_an_english_browsers_mashing_is_answered_in_english(
    browser: Browser, engine: Engine
) -> None:
    """ "asdfgh" reads as Russian in the other keyboard layout ("фывапр") and matches nothing:
    it was answered in Russian. Now the browser's language decides; Russian typed in the
    wrong layout ("привет", "не работает впн") is still answered in Russian."""
    async with start_browser_server(engine.handle) as url:
        context = await browser.new_context(locale="en-US")
        page = await context.new_page()
        await page.goto(url)
        for count, (text, russian) in enumerate(
            [("asdfgh", False), ("ghbdtn", True), ("yt hf,jnftn dgy", True)], start=1
        ):
            await ask(page, text)
            await expect(bot_messages(page)).to_have_count(count)
            reply = await bot_messages(page).last.inner_text()
            assert bool(re.search("[а-яё]", reply, re.IGNORECASE)) == russian, (text, reply)
        await context.close()
