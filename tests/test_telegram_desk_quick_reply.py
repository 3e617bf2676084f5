"""An agent who replies to a card the moment it appears in the Telegram desk group, before the
bot has recorded its message id (Telegram shows the card but is slow to answer the
sendMessage): real python-telegram-bot, fake Bot API, real engine. The fake holds back the
card's answer, and the desk's lookup is stepped (`Steps`), so the reply surely comes inside
that moment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.channels import build_desk
from bot.handoff.inbox import DbDeskInbox
from tests.fakes.lookup_steps import Steps
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, PHRASES, QUEUE, arrives, desk_channel, texts
from tests.fakes.telegram_spy import SpyCore, running_channel
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness", "tests.fakes.telegram_desk_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")

REFUSED = PHRASES.get("en", "desk_not_found")


@pytest.fixture
def steps() -> Steps:
    return Steps()


@pytest.fixture
async def channel(
    api: FakeBotAPI, desk_core: SpyCore, outbox: SpyOutbox, steps: Steps
) -> AsyncIterator[TelegramChannel]:
    desk = replace(build_desk(QUEUE, desk_core.engine), pause=steps.pause)
    config, channel = desk_channel(api, desk_core, outbox, desk=desk, inbox=DbDeskInbox())
    async with running_channel(desk_core, config, channel=channel):
        yield channel


@pytest.mark.usefixtures("channel")
async def test_a_reply_to_a_card_not_recorded_yet_reaches_the_user(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox, steps: Steps
) -> None:
    """It was refused ("There is no such request open here") and lost; it waits for the
    card's id and goes to the user."""
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(601, "Ann", "en"), updates.user(42, "Bob")
    answer = api.hold("sendMessage", chat=DESK, shown=True)  # the desk sees it; the bot not yet
    api.push(updates.message(ann, "my vpn is broken, I want a human"))
    card = await arrives(api, DESK, "Ann")
    api.push(updates.press(bob, card, "Claim"))  # the button names its request
    [claimed] = await api.wait_for("answerCallbackQuery")
    assert "Bob" in claimed.params["text"]

    api.push(updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card))
    refused = asyncio.ensure_future(arrives(api, DESK, REFUSED))
    try:
        assert await steps.first(refused)  # the lookup waits for the card's id
    finally:
        refused.cancel()
        answer.set()  # Telegram answers: the sender records the card's id
    await outbox.until_sent(card)
    steps.go_on.set()

    await arrives(api, 601, "Restart FortiClient")
    assert not any(REFUSED in text for text in texts(api, DESK))
    assert steps.looked == 1
