"""A Telegram user talking to an agent in a desk group, as the user and the agent see it:
corrections and commands during the chat, the agent's words as they arrive, and a user who
blocked the bot and came back.
Real python-telegram-bot, the fake Bot API and the real engine (the desk group's own orders
are in test_telegram_desk.py)."""

from __future__ import annotations

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.handoff.ticketed import to_ticket
from bot.storage.models import Handoff, Ticket, User
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import (
    DESK,
    PHRASES,
    QUEUE,
    arrives,
    claimed,
    texts,
)
from tests.fakes.telegram_spy import SpyCore
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness", "tests.fakes.telegram_desk_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


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
    told = PHRASES.get("en", "handoff_with_agent", agent="Bob")
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
    await arrives(
        api, 753, PHRASES.get("ru", "handoff_still_waiting", place=1, minutes=5).replace("**", "")
    )
    assert not any(PHRASES.get("ru", "welcome")[:20] in t for t in texts(api, 753))


async def test_a_user_who_blocked_the_bot_is_reachable_again_once_they_write(
    api: FakeBotAPI, updates: Updates, channel: TelegramChannel
) -> None:
    assert isinstance(channel.core, SpyCore)
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    zed, bob = updates.user(754, "Zed", "en"), updates.user(42, "Bob")
    api.push(updates.message(zed, "I want a human"))
    await arrives(api, DESK, "Zed")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")  # nobody claimed in time
    api.blocked.add(754)
    api.push(updates.blocked(zed))
    await channel.core.wait_for("mark_unreachable")

    api.push(updates.message(bob, f"/take {ticket.id}", chat=desk))  # a chat nobody reads
    told = PHRASES.get("en", "desk_ticket_user_unreachable", number=ticket.id)
    await arrives(api, DESK, told)
    assert (await Ticket.get(id=ticket.id)).status == "open"

    api.blocked.discard(754)
    api.push(updates.message(zed, "/start"))  # Telegram's "Restart" after unblocking
    await arrives(api, 754, PHRASES.get("en", "welcome")[:20])
    assert not (await User.get(external_id="754")).unreachable
    api.push(updates.message(bob, f"/take {ticket.id}", chat=desk))
    await arrives(api, 754, f"Bob from IT picked up your ticket #{ticket.id}")


@pytest.mark.usefixtures("channel")
async def test_cancel_in_a_chat_with_an_agent_ends_the_chat_not_a_queue(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    await claimed(api, updates, outbox, 755, "I want a human")
    api.push(updates.message(updates.user(755, "Ann", "en"), "/cancel"))
    await arrives(api, 755, PHRASES.get("en", "handoff_chat_ended"))
    number = (await Handoff.get()).id
    await arrives(api, DESK, PHRASES.get("en", "desk_user_ended_chat", id=number))
    assert not any("left the queue" in t for t in texts(api, 755) + texts(api, DESK))


@pytest.mark.usefixtures("channel")
async def test_an_agents_words_reach_the_user_as_a_message_not_a_reply_to_the_card(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk, bob, card = await claimed(api, updates, outbox, 756, "I want a human")
    # Telegram numbers the messages of each private chat on its own: Ann's chat has a message
    # of the card's id too (the fake numbers all chats as one, so it is put there by hand).
    ann = updates.message(updates.user(756, "Ann", "en"), "my old message")["message"]
    api.messages[756, card["message_id"]] = ann | {"message_id": card["message_id"]}
    api.push(updates.message(bob, "Try restarting it", chat=desk, reply_to_message=card))
    said = await arrives(api, 756, "Try restarting it")
    assert "reply_to_message" not in said  # not shown as an answer to something of Ann's
    to_ann = [c for c in api.called("sendMessage") if c.params["chat_id"] == 756]
    assert to_ann and not any(c.params.get("reply_parameters") for c in to_ann)
