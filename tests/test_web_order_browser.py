"""The web chat shows its lines in the order they were written, when an agent's message and
the bot's answer to the user reach the page by different ways (a poll, the answer to a
message), in a real headless Chromium."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Route, expect

from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from tests.conftest import on_sqlite
from tests.desk_browser import desk_server, open_page
from tests.handoff_support import WEB_TEAMS, build_world
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures
from tests.test_web_receipts_browser import claim_and_greet, delivered

pytestmark = [pytest.mark.browser, on_sqlite]
PHRASES = load_phrases()


async def test_a_cancel_within_one_poll_of_the_claim_shows_joined_before_ended(
    browser: Browser,  # noqa: F811 - the fixture imported above
    db_url: str,
    knowledge: KnowledgeBase,
) -> None:
    """alice claims, and the user ends the chat before their page polls again: "alice has
    joined" came first, then "you've ended the chat", and the page shows them so (it used to
    show the answer to /cancel at once and the claim's line at the next poll, after it)."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with desk_server(world) as url:
        user = await open_page(browser, url)
        await ask(user, "human please")
        await expect(user.locator('[data-author="bot"]').last).to_contain_text("queue")

        async def lost(route: Route) -> None:
            await route.abort()  # no poll reaches the server meanwhile

        await user.route("**/api/updates*", lost)
        await claim_and_greet(url, browser)
        await ask(user, "/cancel")
        ended = PHRASES.get("en", "handoff_chat_ended")
        lines = user.locator('[data-author="bot"], [data-author="agent"]')
        await expect(lines.last).to_contain_text(ended.split(".")[0])
        await user.unroute("**/api/updates*", lost)
        await delivered(user)

        joined = PHRASES.get("en", "handoff_claimed", agent="alice")
        texts = [" ".join(text.split()) for text in await lines.all_inner_texts()]
        assert texts[-2:] == [joined, ended]
        await user.reload()  # as the chat's history has them
        await expect(lines).to_have_count(len(texts))
        assert [" ".join(t.split()) for t in await lines.all_inner_texts()] == texts
