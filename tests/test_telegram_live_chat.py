"""A Telegram user talking to an agent in a desk group, as the user and the agent see it:
corrections and commands during the chat. Real python-telegram-bot, the fake Bot API and
the real engine (the desk group's own orders are in test_telegram_desk.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.handoff.inbox import DbDeskInbox
from bot.knowledge.base import KnowledgeBase
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, PHRASES, arrives, claimed, desk_channel, desk_engine
from tests.fakes.telegram_spy import running_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@pytest.fixture
def outbox() -> SpyOutbox:
    return SpyOutbox()


@pytest.fixture
async def channel(
    api: FakeBotAPI, db_url: str, knowledge: KnowledgeBase, outbox: SpyOutbox
) -> AsyncIterator[TelegramChannel]:
    core = desk_engine(db_url, knowledge)
    config, channel = desk_channel(api, core, outbox, inbox=DbDeskInbox())
    async with running_channel(core, config, channel=channel):
        yield channel


@pytest.mark.usefixtures("channel")
async def test_a_users_corrected_message_reaches_the_agent_marked_as_a_correction(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    await claimed(api, updates, outbox, 751, "I want a human")
    ann = updates.user(751, "Ann", "en")
    typo = updates.message(ann, "The printer on floor 2 jams")
    api.push(typo)
    said = PHRASES.get("en", "desk_user_says", user="Ann", text="The printer on floor 2 jams")
    await arrives(api, DESK, said.replace("**", ""))
    api.push(updates.edited(typo, "The printer on floor 3 jams"))  # Ann fixes the floor
    relayed = visible_text((await arrives(api, DESK, "floor 3"))["text"])
    edit = PHRASES.get("en", "desk_user_edits", user="Ann", text="The printer on floor 3 jams")
    assert relayed == edit.replace("**", "")  # Bob sees it corrects what Ann said
