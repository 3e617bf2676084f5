"""An agent's reply in a Telegram desk group that starts like a command the desk does not
know: real python-telegram-bot, the fake Bot API and the real engine."""

from __future__ import annotations

import pytest

from bot.storage.models import InboundEvent
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, PHRASES, arrives, claimed, texts
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness", "tests.fakes.telegram_desk_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
SYNTAX = PHRASES.get("en", "desk_telegram_commands")


@pytest.mark.usefixtures("channel")
@pytest.mark.parametrize("typed", ["/clsoe", "/done", "/var is full, I am cleaning it"])
async def test_an_unknown_command_gets_the_syntax_as_on_slack(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox, typed: str
) -> None:
    """Such a reply was dropped without a word: an agent who typed /clsoe (or /done) took
    the chat for closed, and a reply starting with a path (/var) never reached the user. On Slack
    an unknown `!` command gets the syntax; the desk group's reply chain now does too."""
    desk, bob, card = await claimed(api, updates, outbox, 761, "I want a human")
    order = updates.message(bob, typed, chat=desk, reply_to_message=card)
    api.push(order)
    syntax = await arrives(api, DESK, "/kb")
    assert syntax["reply_to_message"]["message_id"] == order["message"]["message_id"]
    assert "/transfer" in SYNTAX and "`" not in texts(api, DESK)[-1]
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=card))
    await arrives(api, 761, "Bob has closed the chat")
    assert not [text for text in texts(api, 761) if typed in text]
    # Answered with the syntax, it has nothing left for a recovery sweep to do again.
    assert not await InboundEvent.filter(platform="telegram-desk", handled_at=None).exists()


@pytest.mark.usefixtures("channel")
async def test_another_bots_command_is_left_alone(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk, bob, card = await claimed(api, updates, outbox, 762, "I want a human")
    api.push(updates.message(bob, "/poll@other_bot lunch?", chat=desk, reply_to_message=card))
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=card))
    await arrives(api, 762, "Bob has closed the chat")
    assert not [text for text in texts(api, DESK) if "/kb" in text]
