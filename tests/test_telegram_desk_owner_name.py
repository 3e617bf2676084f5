"""A second agent of the team is told who has a request by that agent's Telegram name:
real python-telegram-bot, the fake Bot API, the real engine."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.handoff import Queue, Team, Teams
from bot.knowledge.base import KnowledgeBase
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, PHRASES, arrives, serving_desks
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
TWO = Team(name="it", desk=f"telegram:{DESK}", agents=frozenset({"telegram:42", "telegram:44"}))
QUEUE = Queue(Teams((TWO,), default="it"), PHRASES, desk_language="en")


@pytest.fixture
async def channel(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI
) -> AsyncIterator[TelegramChannel]:
    async with serving_desks(db_url, knowledge, api, QUEUE) as channel:
        yield channel


@pytest.mark.usefixtures("channel")
async def test_a_second_agent_reads_the_owners_name(api: FakeBotAPI, updates: Updates) -> None:
    """Carol pressing Claim on the card Bob took read "already taken by 42" before agents
    were named: his id, which tells her nothing."""
    updates.group(DESK, "IT desk", kind="supergroup")
    ann = updates.user(761, "Ann", "en")
    bob, carol = updates.user(42, "Bob", "en"), updates.user(44, "Carol", "en")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Request #")
    api.push(updates.press(bob, card, "Claim"))
    await arrives(api, DESK, "is taken by Bob")
    api.push(updates.press(carol, card, "Claim"))
    answers = await api.wait_for("answerCallbackQuery", count=2)
    handoff = int(card["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[2])
    expected = PHRASES.get("en", "desk_already_taken", id=handoff, agent="Bob")
    assert answers[-1].params["text"] == expected
