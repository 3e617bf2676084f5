"""The user's side of a handoff served from a Telegram desk group: what a user who waits for
or talks to an agent sees in their own chat. Real python-telegram-bot, the fake Bot API and
the real engine (the desk group itself is in test_telegram_desk.py)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.handoff.ticketed import to_ticket
from bot.storage.models import Handoff
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, PHRASES, QUEUE, arrives, texts
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness", "tests.fakes.telegram_desk_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


async def claimed_by_bob(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox, user_id: int, name: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A user (English) asks for a person in their private chat and Bob claims the card in
    the desk group: the group, the user, Bob and the card."""
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    user, bob = updates.user(user_id, name, "en"), updates.user(42, "Bob")
    api.push(updates.message(user, "I want a human"))
    card = await arrives(api, DESK, name)
    await outbox.until_sent(card)
    api.push(updates.press(bob, card, "Claim"))
    await arrives(api, user_id, "has joined the chat")
    return desk, user, bob, card


@pytest.mark.usefixtures("channel")
async def test_lang_during_a_handoff_switches_what_the_handoff_says_too(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(731, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Ann")
    api.push(updates.message(ann, "/lang ru"))
    await arrives(api, 731, PHRASES.get("ru", "language_set"))
    api.push(updates.message(ann, "hello?"))  # still in the queue: told so in Russian
    await arrives(api, 731, "Вы по-прежнему")

    await outbox.until_sent(card)
    api.push(updates.press(bob, card, "Claim"))
    await arrives(api, 731, PHRASES.get("ru", "handoff_claimed", agent="Bob"))
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=card))
    bye = await arrives(api, 731, "Bob завершил разговор")
    assert "Оцените" in bye["text"]
    assert (await Handoff.get()).language == "ru"  # the desk's /kb answers in it too


@pytest.mark.usefixtures("channel")
async def test_lang_while_a_ticket_is_open_holds_for_the_chat_it_becomes(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(732, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    await arrives(api, DESK, "Ann")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")  # nobody claimed in time
    api.push(updates.message(ann, "/lang ru"))
    await arrives(api, 732, PHRASES.get("ru", "language_set"))
    api.push(updates.message(bob, f"/take {ticket.id}", chat=desk))
    card = await arrives(api, DESK, f"Ticket #{ticket.id} picked up by Bob")
    await outbox.until_sent(card)
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=card))
    await arrives(api, 732, f"Bob завершил разговор, заявка №{ticket.id} решена")


@pytest.mark.usefixtures("channel")
async def test_paths_and_wildcards_are_relayed_as_written_both_ways(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(733, "Ann_*admin*", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Ann")
    await outbox.until_sent(card)
    api.push(updates.press(bob, card, "Claim"))
    await arrives(api, 733, "has joined the chat")
    asked = r"\\fs01\buh won't open, nor C:\Users\*\*.pst or [backup](https://x.example)"
    api.push(updates.message(ann, asked))
    await arrives(api, DESK, f"Ann_*admin*: {asked}")  # seen as typed, no link made
    assert not any("<a " in m["text"] for m in api.sent(DESK))
    answered = r"Map \\fs01\buh\ as drive Z:, then copy *.pst_old there"
    api.push(updates.message(bob, answered, chat=desk, reply_to_message=card))
    await arrives(api, 733, f"Bob: {answered}")


@pytest.mark.usefixtures("channel")
async def test_a_link_under_words_reaches_the_other_side_with_its_address(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    """A Telegram text link (words with an address under them: Ctrl+K, or a forwarded
    message) arrived as its words alone: the agent could not see where a suspicious "log
    in here" led, nor the user open the agent's "the guide". Slack's are read as "words
    (address)"; Telegram's now are too."""
    desk, ann, bob, card = await claimed_by_bob(api, updates, outbox, 737, "Ann")
    asked = "Is this mail real? 🙂 Log in here to keep your mailbox"  # 🙂: 2 UTF-16 units
    link = {"type": "text_link", "offset": 22, "length": 11, "url": "https://evil.example/"}
    api.push(updates.message(ann, asked, entities=[link]))
    said = "Is this mail real? 🙂 Log in here (https://evil.example/) to keep your mailbox"
    await arrives(api, DESK, f"Ann: {said}")
    answered = "No, phishing: see the guide"
    link = {"type": "text_link", "offset": 18, "length": 9, "url": "https://wiki.example/phish"}
    api.push(updates.message(bob, answered, chat=desk, reply_to_message=card, entities=[link]))
    await arrives(api, 737, "Bob: No, phishing: see the guide (https://wiki.example/phish)")


@pytest.mark.usefixtures("channel")
async def test_a_long_paragraph_reaches_the_desk_in_parts_cut_between_words(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    """A paste longer than a Telegram message with no paragraph to cut at (a log line, a
    long story) was cut every 256 characters wherever that fell: "очень длинн" | "ое", as
    a path or an error code could be. Slack's pieces end at a space."""
    _, ann, _, _ = await claimed_by_bob(api, updates, outbox, 738, "Ann")
    pasted = " ".join(f"очень длинное описание проблемы номер {n};" for n in range(160))
    api.push(updates.message(ann, pasted))
    await api.until(lambda: "номер 159;" in "".join(texts(api, DESK)))
    parts = [t for t in texts(api, DESK) if "описание проблемы" in t]
    assert len(parts) == 2
    words = [word for part in parts for word in part.split()]
    assert words == ["Ann:", *pasted.split()]  # every word whole, in one part or the next


@pytest.mark.usefixtures("channel")
async def test_a_resolve_note_reaches_the_user_and_the_desk_as_typed(
    api: FakeBotAPI, updates: Updates
) -> None:
    """An agent's /resolve note is Telegram text, as their replies are: a path's backslashes
    and stars stay, for the user and in the desk group's line."""
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(736, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    await arrives(api, DESK, "Ann")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    note = r"Restored \\fs01\buh\*.pst_old from *backup*"
    api.push(updates.message(bob, f"/resolve {ticket.id} {note}", chat=desk))
    told = await arrives(api, 736, "is resolved")
    assert f"is resolved: {note}\n" in visible_text(told["text"])
    line = await arrives(api, DESK, "resolved by Bob")
    assert visible_text(line["text"]).endswith(f"resolved by Bob: {note}")


@pytest.mark.usefixtures("channel")
async def test_the_card_shows_the_users_name_and_question_as_typed(
    api: FakeBotAPI, updates: Updates
) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    ann = updates.user(734, "Ann_*admin*", "en")
    asked = r"\\fs01\buh and C:\Users\*\*.pst won't open"
    api.push(updates.message(ann, asked))
    await api.wait_for("sendMessage")  # not in the KB: asked to put it differently
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Request #")
    shown = visible_text(card["text"])
    assert "from Ann_*admin* (telegram" in shown
    assert f"\n\n{asked}\n\n" in shown  # the question
    assert f"user: {asked}" in shown  # and the transcript's line


@pytest.mark.usefixtures("channel")
async def test_an_agent_who_corrects_a_reply_gets_the_correction_to_the_user(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk, _, bob, card = await claimed_by_bob(api, updates, outbox, 735, "Ann")
    typo = updates.message(bob, "Restart the ruoter", chat=desk, reply_to_message=card)
    api.push(typo)
    await arrives(api, 735, "Restart the ruoter")
    api.push(updates.edited(typo, "Restart the router"))  # Telegram lets agents fix a typo
    await arrives(api, 735, "Bob (corrected): Restart the router")  # a second line, marked
    late = updates.edited(typo, "Restart the router, please", after=600)  # long after: kept
    api.push(late)
    api.push(updates.message(bob, "/note done", chat=desk, reply_to_message=card))
    await arrives(api, DESK, PHRASES.get("en", "desk_note_saved"))
    assert not any("please" in m["text"] for m in api.sent(735))


@pytest.mark.usefixtures("channel")
async def test_a_reply_to_a_closed_request_tells_the_agent_it_was_not_sent(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk, _, bob, card = await claimed_by_bob(api, updates, outbox, 736, "Ann")
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=card))
    await arrives(api, 736, "Bob has closed the chat")
    before = len(api.sent(736))
    api.push(updates.message(bob, "one more thing", chat=desk, reply_to_message=card))
    await arrives(api, DESK, "nothing was sent")  # the request is there, but closed
    assert len(api.sent(736)) == before


@pytest.mark.usefixtures("channel")
async def test_a_user_who_blocks_the_bot_leaves_the_queue(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    zed = updates.user(737, "Zed", "en")
    api.push(updates.message(zed, "I want a human"))
    card = await arrives(api, DESK, "Zed")
    await outbox.until_sent(card)
    api.push(updates.blocked(zed))  # Zed blocks the bot while still in the queue
    number = (await Handoff.get()).id
    await arrives(api, DESK, PHRASES.get("en", "desk_user_blocked", id=number))
    await api.until(lambda: "reply_markup" not in api.messages[DESK, card["message_id"]])
    assert (await Handoff.get()).status == "cancelled"  # no one claims a request no one reads
