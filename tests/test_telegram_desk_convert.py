"""What agents do in a Telegram desk group, as desk orders (pure, no network)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram.convert import BotIdentity
from bot.adapters.telegram.desk_convert import USAGE, DeskOrder, desk_order
from bot.messages import UserRef
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_updates import Updates

ME = BotIdentity(123456, "helpdesk_bot")
BOB = UserRef("telegram", "123456", "42")


@pytest.fixture
def updates() -> Updates:
    return Updates(FakeBotAPI())


def order(update: dict[str, Any]) -> DeskOrder | None:
    return desk_order(Update.de_json(update, None), ME)


def card(updates: Updates, *, key: str = "handoff:claim:7") -> dict[str, Any]:
    chat = updates.group(-1001500, "IT desk", kind="supergroup")
    markup = {"inline_keyboard": [[{"text": "Claim", "callback_data": key}]]}
    bot = updates.api.me
    return {"message_id": 90, "from": bot, "chat": chat, "date": 1, "text": "Request #7"} | {
        "reply_markup": markup
    }


def test_the_claim_button_names_the_handoff(updates: Updates) -> None:
    found = order(updates.press(updates.user(42, "Bob"), card(updates), "Claim"))
    assert found is not None
    assert (found.agent, found.kind, found.handoff_id, found.message_id) == (BOB, "claim", 7, 90)


def test_a_forged_key_is_passed_on_for_the_core_to_refuse(updates: Updates) -> None:
    found = order(updates.press(updates.user(42), card(updates, key="rm -rf"), "Claim"))
    assert found is not None and (found.kind, found.handoff_id) == ("", 0)


@pytest.mark.parametrize(
    ("text", "kind", "argument", "team"),
    [
        ("Restart FortiClient", "reply", "Restart FortiClient", ""),
        ("/close", "close", "", ""),
        ("/close@helpdesk_bot", "close", "", ""),
        ("/note printer on floor 3", "note", "printer on floor 3", ""),
        ("/transfer net", "transfer", "", "net"),
        ("/ticket", "ticket", "", ""),
        ("/priority high", "priority", "high", ""),
        ("/priority", "priority", "", ""),  # the core says which levels there are
    ],
)
def test_replies_in_the_chain(
    updates: Updates, text: str, kind: str, argument: str, team: str
) -> None:
    message = card(updates)
    update = updates.message(updates.user(42), text, chat=message["chat"], reply_to_message=message)
    found = order(update)
    assert found is not None
    assert (found.kind, found.text, found.team, found.ref) == (kind, argument, team, "90")


def test_chatter_and_other_bots_commands_are_not_read(updates: Updates) -> None:
    message = card(updates)
    chat, bob = message["chat"], updates.user(42)
    assert order(updates.message(bob, "good morning", chat=chat)) is None
    assert order(updates.message(bob, "/priority high", chat=chat)) is None  # on no request
    asked = order(updates.message(bob, "/help", chat=chat, reply_to_message=message))
    assert asked is not None and asked.kind == USAGE  # a command not the desk's: the syntax
    other = updates.message(bob, "/close@other_bot", chat=chat, reply_to_message=message)
    assert order(other) is None
    not_ours = message | {"from": updates.user(43)}
    assert order(updates.message(bob, "hi", chat=chat, reply_to_message=not_ours)) is None


@pytest.mark.parametrize(
    ("text", "kind", "number", "note"),
    [
        ("/take 12", "take", 12, ""),
        ("/take@helpdesk_bot #12", "take", 12, ""),
        ("/resolve 12 Toner replaced", "resolve", 12, "Toner replaced"),
        ("/resolve #7 two\nlines", "resolve", 7, "two\nlines"),
        ("/resolve 7", "resolve", 7, ""),  # the core asks for a note
        ("/resolve toner", "resolve", 0, ""),  # no number: the core finds no ticket 0
        ("/tickets", "tickets", 0, ""),
        ("/priority 12 urgent", "priority", 12, "urgent"),
        ("/priority #12 срочный ", "priority", 12, "срочный"),
        ("/priority 12", "priority", 12, ""),  # the core says which levels there are
    ],
)
def test_ticket_commands_anywhere_in_the_group(
    updates: Updates, text: str, kind: str, number: int, note: str
) -> None:
    chat = card(updates)["chat"]
    found = order(updates.message(updates.user(42), text, chat=chat))
    assert found is not None
    assert (found.agent, found.kind, found.ticket_id, found.text) == (BOB, kind, number, note)


@pytest.mark.parametrize(
    ("first", "last", "username", "name"),
    [
        ("Bob", "Smith", "bobs", "Bob Smith"),
        ("Bob", None, None, "Bob"),
        ("  ", None, "bobs", "@bobs"),  # a blank first name: the handle is all there is
    ],
)
def test_an_order_carries_the_agents_name_for_the_texts(
    updates: Updates, first: str, last: str | None, username: str | None, name: str
) -> None:
    bob = updates.user(42, first) | {"last_name": last, "username": username}
    chat = updates.group(-1001500, "IT desk", kind="supergroup")
    pressed = order(updates.press(bob, card(updates), "Claim"))
    typed = order(updates.message(bob, "/take 5", chat=chat))
    assert pressed is not None and typed is not None
    assert (pressed.name, typed.name, pressed.agent, typed.agent) == (name, name, BOB, BOB)
