"""The web chat when the connection drops and comes back, in a real headless Chromium: what
the user wrote meanwhile reaches the agent, in order, and none of it is lost."""

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


async def chat_with_alice(site: DeskSite) -> tuple[Page, Page]:
    """A user whose chat alice has taken: (the user's page, alice's desk)."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    await expect(user.locator('[data-author="agent"]')).to_contain_text("alice from IT has joined")
    return user, agent


async def test_a_message_that_failed_goes_before_the_next_one(site: DeskSite) -> None:
    """The first message failed (no connection); the user wrote the next when it was back:
    the first went with it, first. It used to stay behind, unsent, its Retry gone with the
    next message, and a reload dropped it from the log."""
    user, agent = await chat_with_alice(site)
    await user.context.set_offline(True)
    await ask(user, "the printer on floor 2 jams")
    await expect(user.get_by_test_id("status")).to_contain_text("Could not reach the server")
    await user.route("**/api/updates*", lambda route: route.abort())  # no poll sees it back
    await user.context.set_offline(False)
    await ask(user, "are you there?")

    thread = agent.get_by_test_id("thread-log").locator('[data-author="user"]')
    await expect(thread.nth(-2)).to_have_text("the printer on floor 2 jams")
    await expect(thread.last).to_have_text("are you there?")
    await expect(user.locator(".msg-failed")).to_have_count(0)
    await expect(user.get_by_test_id("status")).to_be_hidden()
    await user.reload()
    said = user.locator('[data-author="user"]')
    written = ["human please", "the printer on floor 2 jams", "are you there?"]
    await expect(said).to_have_text(written)


async def test_a_message_written_offline_goes_when_the_connection_is_back(
    site: DeskSite,
) -> None:
    """Nothing else to press: the page's next poll finds the server again and sends it."""
    user, agent = await chat_with_alice(site)
    await user.context.set_offline(True)
    await ask(user, "printer still jams")
    await expect(user.get_by_test_id("status")).to_contain_text("Could not reach the server")
    await user.context.set_offline(False)

    thread = agent.get_by_test_id("thread-log").locator('[data-author="user"]')
    await expect(thread.last).to_have_text("printer still jams")
    await expect(user.locator(".msg-failed")).to_have_count(0)
    await expect(user.get_by_test_id("status")).to_be_hidden()


async def test_a_message_still_unsent_at_a_reload_is_kept_and_goes(site: DeskSite) -> None:
    """The tab was reloaded (the server reachable again) before the message could go: it was
    dropped from the log, and never sent. It is shown again, and goes."""
    user, agent = await chat_with_alice(site)
    await user.route("**/api/messages", lambda route: route.abort())
    await ask(user, "the scanner is offline too")
    await expect(user.get_by_test_id("status")).to_contain_text("Could not reach the server")
    await user.unroute("**/api/messages")
    await user.reload()

    said = user.locator('[data-author="user"]')
    await expect(said).to_have_text(["human please", "the scanner is offline too"])
    thread = agent.get_by_test_id("thread-log").locator('[data-author="user"]')
    await expect(thread.last).to_have_text("the scanner is offline too")
    await expect(user.locator(".msg-failed")).to_have_count(0)


async def test_the_page_says_when_the_connection_is_lost_and_when_it_is_back(
    site: DeskSite,
) -> None:
    """A user waiting for the agent's answer saw nothing when the connection dropped: no
    answer came, with no sign why. The page says so, and the answer comes when it is back."""
    user, agent = await chat_with_alice(site)
    await user.context.set_offline(True)
    status = user.get_by_test_id("status")
    await expect(status).to_contain_text("No connection")
    await expect(user.get_by_test_id("retry")).to_be_hidden()
    await agent.get_by_test_id("thread-input").fill("Please restart the laptop")
    await agent.get_by_test_id("thread-input").press("Enter")
    await expect(agent.get_by_test_id("thread-input")).to_have_value("")
    await user.context.set_offline(False)

    await expect(user.locator('[data-author="agent"]').last).to_contain_text("restart the laptop")
    await expect(status).to_be_hidden()


@pytest.mark.parametrize(
    ("status", "headers", "said"),
    [
        (503, {}, "could not answer right now. Your message goes again"),
        (429, {"Retry-After": "1"}, "This one goes in a moment"),
    ],
)
async def test_a_message_the_server_could_not_take_goes_again_by_itself(
    site: DeskSite, status: int, headers: dict[str, str], said: str
) -> None:
    """A server error or "too many requests" left the message unsent until the user pressed
    Retry (polls got through, so nothing else sent it): it goes again after a pause."""
    user, agent = await chat_with_alice(site)
    refused: list[int] = []

    async def once(route: Route) -> None:
        if refused:
            await route.continue_()
            return
        refused.append(status)
        await route.fulfill(status=status, headers=headers, body="{}")

    await user.route("**/api/messages", once)
    await ask(user, "the scanner is offline too")
    await expect(user.get_by_test_id("status")).to_contain_text(said)

    thread = agent.get_by_test_id("thread-log").locator('[data-author="user"]')
    await expect(thread.last).to_have_text("the scanner is offline too")
    await expect(user.locator(".msg-failed")).to_have_count(0)
    await expect(user.get_by_test_id("status")).to_be_hidden()
