"""A Russian agents' desk in a Telegram group: the real python-telegram-bot against the fake
Bot API, the real engine with `default_language = "ru"` (the desk's language). What the
agents read there is Russian, down to the card's transcript."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.handoff import Queue, Teams
from bot.handoff.ticketed import to_ticket
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket
from bot.zones import local_time
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, IT, PHRASES, arrives, serving_desks
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
QUEUE = Queue(Teams((IT,), default="it"), PHRASES, desk_language="ru")


@pytest.fixture
async def channel(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI
) -> AsyncIterator[TelegramChannel]:
    async with serving_desks(db_url, knowledge, api, QUEUE, language="ru") as channel:
        yield channel


@pytest.mark.usefixtures("channel")
async def test_the_cards_transcript_says_who_wrote_each_line_in_the_desks_language(
    api: FakeBotAPI, updates: Updates
) -> None:
    """The lines were labelled with the stored directions, "in:" and "out:", in English
    words of the code on a Russian card."""
    updates.group(DESK, "Пульт IT", kind="supergroup")
    anna = updates.user(741, "Анна", "ru")
    api.push(updates.message(anna, "экран мигает полосами"))
    await arrives(api, 741, "иначе")  # not in the KB: asked to put it differently
    api.push(updates.message(anna, "нужен оператор"))
    card = visible_text((await arrives(api, DESK, "Запрос #"))["text"])
    assert "\nпользователь: экран мигает полосами\nбот: Не нашёл ответа" in card
    assert "\nпользователь: нужен оператор" in card
    assert "in:" not in card and "out:" not in card


@pytest.mark.usefixtures("channel")
async def test_a_picked_up_tickets_card_says_when_it_is_due(
    api: FakeBotAPI, updates: Updates
) -> None:
    """The agent who took a ticket read its number and request, but not the SLA time it
    must be resolved by: that took a `/tickets` of its own (where it is no longer listed)."""
    desk = updates.group(DESK, "Пульт IT", kind="supergroup")
    anna, bob = updates.user(742, "Анна", "ru"), updates.user(42, "Боб", "ru")
    api.push(updates.message(anna, "нужен оператор"))
    await arrives(api, DESK, "Запрос #")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    api.push(updates.message(bob, f"/take {ticket.id}", chat=desk))
    card = visible_text((await arrives(api, DESK, f"Заявку #{ticket.id} взял Боб"))["text"])
    ticket = await Ticket.get(id=ticket.id)
    assert ticket.resolve_due is not None
    due = local_time(ticket.resolve_due, IT.timezone)
    assert card.endswith(f"пишите пользователю в его ветке; срок решения {due}.")


@pytest.mark.usefixtures("channel")
async def test_the_user_and_the_desk_read_the_agents_name_not_their_id(
    api: FakeBotAPI, updates: Updates
) -> None:
    """The user read "42 из IT подключился к чату" (the agent's Telegram id), the desk
    "Запрос #1 взял 42": the press carries the agent's first and last name."""
    updates.group(DESK, "Пульт IT", kind="supergroup")
    anna, bob = updates.user(743, "Анна", "ru"), updates.user(42, "Борис", "ru")
    bob["last_name"] = "Петров"
    api.push(updates.message(anna, "нужен оператор"))
    card = await arrives(api, DESK, "Запрос #")
    api.push(updates.press(bob, card, "Взять"))
    await arrives(api, 743, "Борис Петров из IT подключился к чату.")
    await arrives(api, DESK, "взял Борис Петров.")
    await api.until(lambda: "Взял Борис Петров" in api.messages[DESK, card["message_id"]]["text"])
