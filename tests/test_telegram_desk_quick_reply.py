"""An agent who replies to a card the moment it appears in the Telegram desk group, before the
bot has recorded the card's message id: real python-telegram-bot, fake Bot API, real engine."""

from __future__ import annotations

import asyncio

import pytest

from bot.handoff import OutboxItem
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, PHRASES, arrives, texts
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness", "tests.fakes.telegram_desk_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


class SlowRecords(SpyOutbox):
    """The outbox, recording a card sent only once `go` is set: the moment between Telegram's
    answer and the bot's record of it, held open."""

    def __init__(self) -> None:
        super().__init__()
        self.go = asyncio.Event()

    async def sent(self, item: OutboxItem, *, message_id: str | None = None) -> bool:
        if item.kind == "card":
            await self.go.wait()
        return await super().sent(item, message_id=message_id)


@pytest.fixture
def outbox() -> SlowRecords:
    return SlowRecords()


@pytest.mark.usefixtures("channel")
async def test_a_reply_to_a_card_not_recorded_yet_reaches_the_user(
    api: FakeBotAPI, updates: Updates, outbox: SlowRecords
) -> None:
    """It was refused ("There is no such request open here") and lost; it waits for the
    card's record and goes to the user."""
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(601, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "my vpn is broken, I want a human"))
    card = await arrives(api, DESK, "Ann")
    api.push(updates.press(bob, card, "Claim"))  # the button names its request
    [claimed] = await api.wait_for("answerCallbackQuery")
    assert "Bob" in claimed.params["text"]

    api.push(updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card))
    refused = PHRASES.get("en", "desk_not_found")
    answered = asyncio.create_task(arrives(api, DESK, refused))
    try:
        done, _ = await asyncio.wait({answered}, timeout=1)
        answered.cancel()
        assert not done  # the reply waits for the card's id
    finally:
        outbox.go.set()  # the sender records it (and can stop, should the test fail)

    await arrives(api, 601, "Restart FortiClient")
    assert not any(refused in text for text in texts(api, DESK))
