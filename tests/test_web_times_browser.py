"""Each line of the web chat shows when it was written: the server's time of it, in the
browser's own zone, for new lines and those a tab shows from the history; in a real headless
Chromium."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, BrowserContext, expect

from bot.adapters.web import create_web_app
from bot.engine import Engine
from bot.storage.history import recent_lines
from bot.storage.models import TranscriptMessage
from tests.conftest import on_sqlite
from tests.test_browser import ask, browser, chromium_path, serving  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, on_sqlite]

TOKYO = "Asia/Tokyo"


async def lines_of_2020_in_a_new_tab(context: BrowserContext, url: str, shown: str) -> None:
    """The chat's two lines, dated 2020-01-05 23:30 UTC, show `shown` in a new tab (whose
    history comes from the server)."""
    await TranscriptMessage.all().update(created_at=datetime(2020, 1, 5, 23, 30, tzinfo=UTC))
    tab = await context.new_page()
    await tab.goto(url)
    await expect(tab.get_by_test_id("message")).to_have_count(2)
    for line in await tab.get_by_test_id("message").all():
        await expect(line).to_have_attribute("data-time", shown)


async def test_each_line_shows_its_time_in_the_browsers_zone(
    browser: Browser,  # noqa: F811 - the fixture imported above
    engine: Engine,
) -> None:
    """Lines had no times. Today's show the hour and minute; earlier ones the day too."""
    async with serving(create_web_app(engine.handle, history=recent_lines)) as url:
        context = await browser.new_context(locale="en-US", timezone_id=TOKYO)
        first = await context.new_page()
        await first.goto(url)
        async with first.expect_response("**/api/messages") as answer:
            await ask(first, "vpn keeps dropping")
        at = datetime.fromisoformat((await (await answer.value).json())["at"])
        lines = first.get_by_test_id("message")
        await expect(lines).to_have_count(2)  # the question and its answer
        for line in await lines.all():
            await expect(line).to_have_attribute(
                "data-time", f"{at.astimezone(ZoneInfo(TOKYO)):%H:%M}"
            )
        await expect(lines.first).to_have_text("vpn keeps dropping")  # its text as typed
        await expect(lines.first).to_have_attribute(
            "aria-label", f"You, {at.astimezone(ZoneInfo(TOKYO)):%H:%M}"
        )

        await lines_of_2020_in_a_new_tab(context, url, "Jan 6, 2020, 08:30")
        await first.reload()  # the tab's own log keeps its times
        await expect(lines.first).to_have_attribute(
            "data-time", f"{at.astimezone(ZoneInfo(TOKYO)):%H:%M}"
        )
        await context.close()


async def test_a_line_of_another_day_is_dated_as_the_browsers_locale_writes_dates(
    browser: Browser,  # noqa: F811 - the fixture imported above
    engine: Engine,
) -> None:
    """A British browser read "Jan 6, 2020": the page's language ("en") wrote the day the
    American way. Now each browser's own variant of it does: "6 Jan 2020" in en-GB."""
    async with serving(create_web_app(engine.handle, history=recent_lines)) as url:
        context = await browser.new_context(locale="en-GB", timezone_id=TOKYO)
        page = await context.new_page()
        await page.goto(url)
        await ask(page, "vpn keeps dropping")
        await expect(page.get_by_test_id("message")).to_have_count(2)
        await lines_of_2020_in_a_new_tab(context, url, "6 Jan 2020, 08:30")
        await context.close()
