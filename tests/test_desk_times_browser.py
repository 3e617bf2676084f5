"""The web desk in a real headless Chromium: when each line of a thread was written, and how
long a waiting request's user has waited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from bot.storage.models import TranscriptMessage
from tests.conftest import on_sqlite
from tests.desk_browser import (  # noqa: F401 - fixtures
    DeskSite,
    default_desk_language,
    default_desk_teams,
    desk_site,
)
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures
from tests.test_handoff_browser import polled

pytestmark = [pytest.mark.browser, on_sqlite]

TOKYO = "Asia/Tokyo"


async def test_each_thread_line_shows_its_time_on_the_agents_clock(site: DeskSite) -> None:
    """The thread showed no times: the agent could not tell when the user wrote. Each line
    shows it as the user's chat does, on the agent's own clock: "14:05" today, with the day
    before it on another day."""
    await ask(await site.page(), "human please")
    context = await site.browser.new_context(locale="en-GB", timezone_id=TOKYO)
    agent = await context.new_page()
    await agent.goto(f"{site.url}/agent")
    await agent.get_by_test_id("login-name").fill("alice")
    await agent.get_by_test_id("login-submit").click()
    await agent.get_by_test_id("claim").click()
    lines = agent.get_by_test_id("thread-log").get_by_test_id("line")
    await expect(lines.first).to_have_text("human please")
    written = [m.created_at for m in await TranscriptMessage.all().order_by("id")]
    assert len(written) >= 2  # the question and the bot's answer
    for line, at in zip(await lines.all(), written, strict=True):
        await expect(line).to_have_attribute("data-time", f"{at.astimezone(ZoneInfo(TOKYO)):%H:%M}")

    old = datetime(2020, 1, 5, 23, 30, tzinfo=UTC)  # 6 Jan, 08:30 in Tokyo
    await TranscriptMessage.all().update(created_at=old)
    # The board's next poll brings the thread with its new times and draws it again. (A
    # second request claimed here raced: the claim opens the new request's thread.)
    await expect(lines.first).to_have_attribute("data-time", "6 Jan 2020, 08:30")
    await expect(lines.first).to_have_text("human please")


@pytest.mark.parametrize(
    ("desk_language", "first", "later", "minutes"),
    [("en", "waiting <1 min", "waiting 12 min", 12), ("ru", "ждёт <1 мин", "ждёт 1 ч 5 мин", 65)],
)
async def test_a_waiting_card_says_how_long_its_user_has_waited(
    site: DeskSite,
    desk_language: str,
    first: str,
    later: str,
    minutes: int,
) -> None:
    """A waiting card said only "waiting": which user had waited longest was not to be seen.
    It says for how long, on the server's clock, kept up to date as the board is polled, and
    the agent's focus on its Claim button stays where it was."""
    await ask(await site.page(), "human please")
    agent = await site.desk("alice")
    waited = agent.get_by_test_id("card").get_by_test_id("card-waiting")
    await expect(waited).to_have_text(first)
    await agent.get_by_test_id("claim").focus()
    site.world.clock.now += timedelta(minutes=minutes)
    await expect(waited).to_have_text(later)
    await polled(agent)
    assert await agent.evaluate("document.activeElement.dataset.testid") == "claim"
