"""The web desk in a real headless Chromium: what an agent types stays with its request."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.conftest import on_sqlite
from tests.desk_browser import (  # noqa: F401 - fixtures
    DeskSite,
    default_desk_language,
    default_desk_teams,
    desk_site,
)
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, on_sqlite]


async def test_a_draft_stays_with_the_request_it_was_typed_for(site: DeskSite) -> None:
    """An agent half-way through a reply who claims (or opens) another request: the thread
    changed under the message box, the text stayed in it, and Send gave one user's words
    (a code, a name) to the other."""
    ann, bob = await site.page(), await site.page()
    await ask(ann, "human please, the printer")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    title, box = agent.get_by_test_id("thread-title"), agent.get_by_test_id("thread-input")
    await expect(title).to_contain_text("#1")
    await box.fill("Ann, your printer's PIN is 4711")
    await ask(bob, "human please, the scanner")
    await agent.locator('[data-status="waiting"]').get_by_test_id("claim").click()
    await expect(title).to_contain_text("#2")
    await expect(box).to_have_value("")  # Bob's thread: nothing typed for him yet
    await box.fill("Is the scanner on?")
    await agent.get_by_test_id("thread-send").click()
    await expect(bob.locator('[data-author="agent"]').last).to_contain_text("scanner on?")

    await agent.locator('[data-id="1"]').get_by_test_id("open").click()
    await expect(title).to_contain_text("#1")
    await expect(box).to_have_value("Ann, your printer's PIN is 4711")
    await agent.get_by_test_id("thread-send").click()
    await expect(ann.locator('[data-author="agent"]').last).to_contain_text("PIN is 4711")
    said_to_bob = bob.locator('[data-author="agent"]')
    await expect(said_to_bob).to_have_count(2)  # "alice has joined", the scanner question
    await expect(said_to_bob.filter(has_text="PIN")).to_have_count(0)
