"""Emoji in what people type in Slack, end to end (signed requests into the real slack-bolt
code, the Web API faked). Slack's clients send an emoji in a message's `text` as its
shortcode (":+1:", ":slightly_smiling_face:"), and in the message's rich_text `blocks` as
an element with its code points; the bot reads them as the emoji they are."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import UnansweredQuestion
from tests.fakes.slack_desk import DeskSide, claimed_thread, running_desk, team_settings
from tests.fakes.slack_payloads import rich_text

PHRASES = load_phrases()
THUMBS_UP = {"+1": "1f44d"}


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


@pytest.mark.parametrize("typed", [":+1:", ":+1::skin-tone-4:"])
async def test_a_thumbs_up_alone_is_an_acknowledgement_as_on_telegram(
    desk: DeskSide, typed: str
) -> None:
    """It was read as the question ":+1:", which the KB does not know: "Could you put it
    differently…", where a Telegram user's 👍 gets "Okay!" (README: "a 👍 alone")."""
    await desk.dm(typed, blocks=rich_text(typed, THUMBS_UP))
    await desk.dm_saying(PHRASES.get("en", "ok"))
    assert not await UnansweredQuestion.exists()  # no gap of the KB either


async def test_a_users_emoji_reach_the_desk_as_emoji(desk: DeskSide) -> None:
    thread = await claimed_thread(desk)
    typed = "it works now :tada: thanks :+1::skin-tone-2:"
    await desk.dm(typed, blocks=rich_text(typed, {"tada": "1f389"} | THUMBS_UP))
    relayed = await desk.in_thread_saying(thread, "it works now")
    assert "it works now 🎉 thanks 👍🏻" in relayed.text
