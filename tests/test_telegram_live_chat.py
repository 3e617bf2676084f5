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
from tests.fakes.telegram_desk import (
    DESK,
    PHRASES,
    arrives,
    claimed,
    desk_channel,
    desk_engine,
    texts,
)
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


@pytest.mark.usefixtures("channel")
async def test_start_while_an_agent_talks_to_the_user_says_so(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    await claimed(api, updates, outbox, 752, "I want a human")
    ann = updates.user(752, "Ann", "en")
    api.push(updates.message(ann, "/start"))  # the menu's first command, or a restart
    told = PHRASES.get("en", "handoff_with_agent", agent="42")
    await arrives(api, 752, told.split(":")[0])
    assert not any(PHRASES.get("en", "welcome")[:20] in t for t in texts(api, 752))
    api.push(updates.message(ann, "still there?"))  # and the chat goes on
    await arrives(api, DESK, "Ann: still there?")
    assert not any("/start" in t for t in texts(api, DESK))  # not relayed


@pytest.mark.usefixtures("channel")
async def test_start_while_waiting_in_the_queue_gives_the_place_in_the_users_language(
    api: FakeBotAPI, updates: Updates
) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    anna = updates.user(753, "Анна", "ru")
    api.push(updates.message(anna, "позовите человека"))
    await arrives(api, DESK, "Анна")
    api.push(updates.message(anna, "/start"))
    await arrives(api, 753, PHRASES.get("ru", "handoff_still_waiting", place=1).replace("**", ""))
    assert not any(PHRASES.get("ru", "welcome")[:20] in t for t in texts(api, 753))
