"""A Telegram group as the agents' desk: real python-telegram-bot, fake Bot API, real engine.

A user asks for a person in a private chat; the card appears in the desk group with a Claim
button; agents claim, reply and close in the card's reply chain; the outbox is delivered
with Telegram's limits honoured. Every wait is on calls the fake recorded.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramChannel
from bot.handoff import DbOutbox, Desk, DeskAction, DeskResult
from bot.handoff.inbox import DbDeskInbox
from bot.handoff.outbox import put
from bot.handoff.ticketed import to_ticket
from bot.handoff.undelivered import ReportUndelivered
from bot.knowledge.base import KnowledgeBase
from bot.messages import UserRef
from bot.storage.models import Handoff, InboundEvent, OutboxMessage, Ticket
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import BLOCKED, FakeBotAPI, error, too_many_requests
from tests.fakes.telegram_desk import (
    DESK,
    PHRASES,
    QUEUE,
    arrives,
    claimed,
    desk_channel,
    texts,
)
from tests.fakes.telegram_spy import FAST_RETRY, SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

UNTITLED = "(no subject: asked for a person)"  # a bare request's subject

pytest_plugins = ["tests.fakes.telegram_harness", "tests.fakes.telegram_desk_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@pytest.mark.usefixtures("channel")
async def test_an_agent_serves_a_user_from_the_desk_group(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob, eve = updates.user(601, "Ann", "en"), updates.user(42, "Bob"), updates.user(43, "Eve")
    api.push(updates.message(ann, "my vpn is broken, I want a human"))
    card = await arrives(api, DESK, "Ann")
    assert card["reply_markup"]["inline_keyboard"][0][0]["text"] == "Claim"
    handoff = await Handoff.get()
    assert card["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == (
        f"handoff:claim:{handoff.id}"
    )

    api.push(updates.press(eve, card, "Claim"))  # not an agent: refused, the button stays
    [refused] = await api.wait_for("answerCallbackQuery")
    assert refused.params["text"] == PHRASES.get("en", "desk_not_agent")
    assert refused.params["show_alert"] is True
    assert "reply_markup" in api.messages[DESK, card["message_id"]]

    api.push(updates.press(bob, card, "Claim"))
    claimed = (await api.wait_for("answerCallbackQuery", 2))[1]
    assert claimed.params["text"] == PHRASES.get("en", "desk_claimed", id=handoff.id, agent="Bob")
    await api.until(lambda: "reply_markup" not in api.messages[DESK, card["message_id"]])
    edited = api.messages[DESK, card["message_id"]]  # the card itself says who has it
    assert visible_text(edited["text"]).endswith("Claimed by Bob") and "Ann" in edited["text"]
    [edit] = api.called("editMessageText")
    assert edit.params["message_id"] == card["message_id"]
    await arrives(api, 601, PHRASES.get("en", "handoff_claimed", agent="Bob"))
    notice = await arrives(api, DESK, "is taken by Bob")
    assert notice["reply_to_message"]["message_id"] == card["message_id"]

    await outbox.until_sent(card)  # the card's thread is known: replies to it reach the user
    api.push(updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card))
    await arrives(api, 601, "Restart FortiClient")

    api.push(updates.message(ann, "it says error 809"))
    relay = await arrives(api, DESK, "error 809")
    assert relay["reply_to_message"]["message_id"] == card["message_id"]

    await outbox.until_sent(relay)
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=relay))  # in the chain
    await arrives(api, DESK, f"#{handoff.id} closed by Bob")
    bye = await arrives(api, 601, "Bob has closed the chat")
    assert (await Handoff.get()).status == "closed"
    await api.until(lambda: "Closed by Bob" in api.messages[DESK, card["message_id"]]["text"])
    scores = [b["text"] for row in bye["reply_markup"]["inline_keyboard"] for b in row]
    assert scores == ["1", "2", "3", "4", "5"]
    api.push(updates.press(ann, bye, "4"))  # Ann rates the help in her own chat
    await arrives(api, 601, "Thank you for the rating")
    assert (await Handoff.get()).rating == 4

    before = len(api.sent(601))
    api.push(updates.message(ann, "forgot my password"))
    await api.until(lambda: len(api.sent(601)) > before)
    assert api.sent(601)[-1].get("reply_markup")  # self-help again: a KB answer with buttons


@pytest.mark.usefixtures("channel")
async def test_a_desk_group_turned_supergroup_is_named_with_its_new_id(
    api: FakeBotAPI, updates: Updates, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing said so before: cards still reached the new supergroup, but the agents'
    presses there were read as a user's chat ("no longer valid")."""
    desk, bob = updates.group(DESK, "IT desk"), updates.user(42, "Bob")
    api.push(updates.message(bob, None, chat=desk, migrate_to_chat_id=-1009999))
    async with asyncio.timeout(10):
        while "became a supergroup" not in caplog.text:  # noqa: ASYNC110 - a log, not an API call
            await asyncio.sleep(0.05)
    [record] = [r for r in caplog.records if "became a supergroup" in r.getMessage()]
    assert record.levelname == "ERROR"
    assert (
        f'desk group {DESK} became a supergroup, chat -1009999: set desk = "telegram:-1009999"'
        in (record.getMessage())
    )
    assert not api.called("sendMessage", None)  # nothing said in the group, nor to anyone


@pytest.mark.usefixtures("channel")
async def test_desk_commands_and_chatter(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(602, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Ann")
    await outbox.until_sent(card)
    api.push(updates.message(bob, "good morning all", chat=desk))  # chatter: not read
    api.push(updates.message(bob, "/note printer on floor 3", chat=desk, reply_to_message=card))
    await arrives(api, DESK, PHRASES.get("en", "desk_note_saved"))
    api.push(updates.message(bob, "/transfer nowhere", chat=desk, reply_to_message=card))
    await arrives(api, DESK, PHRASES.get("en", "desk_unknown_team", team="nowhere"))
    api.push(updates.message(bob, "/ticket", chat=desk, reply_to_message=card))
    await arrives(api, DESK, "became ticket #")
    assert (await Handoff.get()).status == "ticketed"
    assert not any("good morning" in t or "printer" in t for t in texts(api, 602))
    orders = await InboundEvent.filter(platform="telegram-desk").order_by("id")
    recorded = [e.payload["update"]["message"]["text"] for e in orders]  # chatter is not
    assert recorded == ["/note printer on floor 3", "/transfer nowhere", "/ticket"]
    assert all(e.handled_at is not None for e in orders)


@pytest.mark.usefixtures("channel")
async def test_an_agent_answers_with_a_kb_article(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox, knowledge: KnowledgeBase
) -> None:
    desk, bob, card = await claimed(api, updates, outbox, 602, "I want a human")
    api.push(updates.message(bob, "/kb не работает", chat=desk, reply_to_message=card))
    await arrives(api, DESK, "nothing was sent")  # unclear: the closest articles, by id
    api.push(updates.message(bob, "/kb mfa-lost-phone", chat=desk, reply_to_message=card))
    article = knowledge.articles["mfa-lost-phone"]
    sent = await arrives(api, 602, article.title["en"])
    assert visible_text(sent["text"]).startswith("Bob sent you an article")
    await arrives(api, DESK, "sent the article")
    assert sum("sent you an article" in t for t in texts(api, 602)) == 1


@pytest.mark.usefixtures("channel")
async def test_a_card_already_edited_counts_as_edited(api: FakeBotAPI, updates: Updates) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(607, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Ann")
    # As after a crash between the edit and its `sent`: Telegram has the new text already.
    api.fail_next("editMessageText", error(400, "Bad Request: message is not modified"))
    api.push(updates.press(bob, card, "Claim"))
    await api.wait_for("editMessageText", status=400)
    await arrives(api, DESK, "is taken by Bob")  # the notice after the edit: its outcome is in
    edit = await OutboxMessage.get(kind="card_edit")
    assert (edit.status, edit.attempts) == ("sent", 1)


async def test_a_429_puts_an_outbox_item_off_and_it_is_sent_once(
    api: FakeBotAPI, updates: Updates, desk_core: SpyCore
) -> None:
    updates.private_chat(updates.user(603, "Ann", "en"))
    await put("telegram", "603", "Bob says: hello", kind="relay")
    api.fail_next("sendMessage", too_many_requests(1))
    config = config_for(api, outbox_every=timedelta(seconds=0.2))
    channel = TelegramChannel(
        desk_core, config, policy=FAST_RETRY, desk=Desk(QUEUE), outbox=DbOutbox()
    )
    async with running_channel(desk_core, config, channel=channel):
        [limited] = await api.wait_for("sendMessage", status=429)
        [sent] = await api.wait_for("sendMessage")
    assert sent.at - limited.at >= 1.0  # Telegram's retry_after was honoured
    assert texts(api, 603) == ["Bob says: hello"]
    row = await OutboxMessage.get()
    assert row.status == "sent" and row.platform_message_id == str(api.sent(603)[0]["message_id"])


async def test_a_blocked_user_is_marked_unreachable_and_not_retried(
    api: FakeBotAPI, updates: Updates, desk_core: SpyCore
) -> None:
    updates.private_chat(updates.user(604, "Ann", "en"))
    api.fail_next("sendMessage", BLOCKED)
    await put("telegram", "604", "Bob says: hello", kind="relay")
    config = config_for(api, outbox_every=timedelta(seconds=0.2))
    channel = TelegramChannel(
        desk_core, config, policy=FAST_RETRY, desk=Desk(QUEUE), outbox=DbOutbox()
    )
    async with running_channel(desk_core, config, channel=channel):
        await desk_core.wait_for("mark_unreachable")
    assert desk_core.called("mark_unreachable") == [UserRef("telegram", "123456", "604")]
    assert (await OutboxMessage.get()).status == "failed"
    assert len(api.called("sendMessage", None)) == 1


async def test_forged_keys_are_refused_and_a_redelivered_reply_is_relayed_once(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox, channel: TelegramChannel
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(605, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Ann")
    forged = card | {
        "reply_markup": {"inline_keyboard": [[{"text": "Claim", "callback_data": "x"}]]}
    }
    api.push(updates.press(bob, forged, "Claim"))
    [refused] = await api.wait_for("answerCallbackQuery")
    assert refused.params["text"] == PHRASES.get("en", "desk_not_found")
    api.push(updates.press(bob, card, "Claim"))
    await arrives(api, 605, "has joined the chat")
    await outbox.until_sent(card)
    reply = updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card)
    api.push(reply)
    await arrives(api, 605, "Restart FortiClient")
    # Telegram delivers it again (as a webhook retry would: the offset already passed it).
    await channel.application.update_queue.put(Update.de_json(reply, channel.bot))
    api.push(updates.message(bob, "/note done", chat=desk, reply_to_message=card))
    await arrives(api, DESK, PHRASES.get("en", "desk_note_saved"))
    # The same chat's updates are handled in order: the redelivery was done before the note.
    assert await OutboxMessage.filter(chat_id="605", text__contains="FortiClient").count() == 1


@pytest.mark.usefixtures("channel")
async def test_a_raised_priority_rewrites_the_card_with_its_claim_button(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    ann = updates.user(607, "Ann", "en")
    api.push(updates.message(ann, "I want a human"))
    card = await arrives(api, DESK, "Ann")
    assert "priority normal" in visible_text(card["text"])
    await outbox.until_sent(card)
    api.push(updates.message(ann, "urgent please, the CEO is waiting"))
    await api.until(
        lambda: "priority high" in visible_text(api.messages[DESK, card["message_id"]]["text"])
    )
    rewritten = api.messages[DESK, card["message_id"]]
    assert rewritten["reply_markup"]["inline_keyboard"][0][0]["text"] == "Claim"


@pytest.mark.usefixtures("channel")
async def test_take_picks_up_a_ticket_from_the_desk_group(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob, eve = updates.user(606, "Ann", "en"), updates.user(42, "Bob"), updates.user(43, "Eve")
    api.push(updates.message(ann, "I want a human"))
    await arrives(api, DESK, "Ann")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")  # nobody claimed in time
    api.push(updates.message(bob, "/tickets", chat=desk))  # the open ones, with due times
    listed = await arrives(api, DESK, "Open tickets (1), due first:")
    assert f"#{ticket.id}" in listed["text"] and UNTITLED in listed["text"]
    assert "due by" in listed["text"]
    api.push(updates.message(eve, f"/take {ticket.id}", chat=desk))  # not a reply: still read
    await arrives(api, DESK, PHRASES.get("en", "desk_not_agent"))
    api.push(updates.message(bob, f"/take {ticket.id}", chat=desk))
    await arrives(api, 606, f"Bob from IT picked up your ticket #{ticket.id}")
    card = await arrives(api, DESK, f"Ticket #{ticket.id} picked up by Bob")
    assert "reply_markup" not in card
    await outbox.until_sent(card)
    api.push(updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card))
    await arrives(api, 606, "Restart FortiClient")
    api.push(updates.message(bob, "/close", chat=desk, reply_to_message=card))
    await arrives(api, 606, "Bob has closed the chat")
    assert (await Ticket.get(id=ticket.id)).status == "resolved"


@pytest.mark.usefixtures("channel")
async def test_resolve_closes_a_ticket_from_the_desk_group_without_a_chat(
    api: FakeBotAPI, updates: Updates
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob, eve = updates.user(607, "Ann", "en"), updates.user(42, "Bob"), updates.user(43, "Eve")
    api.push(updates.message(ann, "I want a human"))
    await arrives(api, DESK, "Ann")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    api.push(updates.message(eve, f"/resolve {ticket.id} Printer fixed", chat=desk))
    await arrives(api, DESK, PHRASES.get("en", "desk_not_agent"))
    api.push(updates.message(bob, f"/resolve {ticket.id}", chat=desk))
    await arrives(api, DESK, PHRASES.get("en", "desk_resolve_usage"))
    api.push(updates.message(bob, f"/resolve {ticket.id} Printer fixed", chat=desk))
    told = await arrives(api, 607, "is resolved: Printer fixed")
    assert visible_text(told["text"]) == (
        f"Your ticket #{ticket.id} «{UNTITLED}» is resolved: Printer fixed\n\n"
        "How was the help? Rate it from 1 (poor) to 5 (excellent):"
    )
    api.push(updates.press(ann, told, "4"))
    await arrives(api, 607, PHRASES.get("en", "rated"))
    assert (await Ticket.get(id=ticket.id)).rating == 4
    notice = await arrives(api, DESK, f"Ticket #{ticket.id} «{UNTITLED}» resolved by Bob")
    assert "reply_to_message" not in notice  # one line at the top of the group
    assert (await Ticket.get(id=ticket.id)).status == "resolved"
    api.push(updates.message(bob, f"/resolve {ticket.id} again", chat=desk))
    await arrives(api, DESK, f"Ticket #{ticket.id} is already resolved.")


@pytest.mark.usefixtures("channel")
async def test_a_user_withdraws_a_ticket_and_the_desk_group_hears_of_it(
    api: FakeBotAPI, updates: Updates
) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    ann = updates.user(608, "Ann", "en")
    api.push(updates.message(ann, "I want a human"))
    await arrives(api, DESK, "Ann")
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    api.push(updates.message(ann, "/tickets"))
    listed = await arrives(api, 608, "Your tickets:")
    [[button]] = listed["reply_markup"]["inline_keyboard"]
    assert button["text"] == f"Withdraw #{ticket.id}"
    api.push(updates.press(ann, listed, f"Withdraw #{ticket.id}"))
    asked = await arrives(api, 608, f"Withdraw ticket #{ticket.id} «{UNTITLED}»?")
    api.push(updates.press(ann, asked, "Yes, withdraw"))
    await arrives(api, 608, f"Ticket #{ticket.id} «{UNTITLED}» is withdrawn.")
    notice = await arrives(api, DESK, f"Ann withdrew ticket #{ticket.id} «{UNTITLED}»")
    assert "reply_to_message" not in notice  # at the top of the group
    assert (await Ticket.get(id=ticket.id)).status == "withdrawn"


class CrashingDesk:
    """The real desk, but the process "dies" as it starts on an agent's reply: the update was
    recorded and confirmed to Telegram, and nothing was done."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.crashed = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.desk, name)

    async def act(
        self, agent: UserRef, action: DeskAction, *, event_id: str | None = None
    ) -> DeskResult:
        if action.kind == "reply":
            self.crashed.set()
            raise RuntimeError("the process died here (scripted)")
        return await self.desk.act(agent, action, event_id=event_id)


async def test_a_desk_order_left_by_a_crash_is_done_once_after_a_restart(
    api: FakeBotAPI, updates: Updates, desk_core: SpyCore, caplog: pytest.LogCaptureFixture
) -> None:
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(608, "Ann", "en"), updates.user(42, "Bob")
    config = config_for(
        api,
        desk_chats=frozenset({str(DESK)}),
        outbox_every=timedelta(seconds=0.2),
        recover_after=timedelta(0),
        recover_every=timedelta(hours=1),  # one sweep, as the channel starts
    )
    crashing, outbox = CrashingDesk(Desk(QUEUE)), SpyOutbox()
    first = TelegramChannel(
        desk_core, config, policy=FAST_RETRY, desk=crashing, outbox=outbox, inbox=DbDeskInbox()
    )
    async with running_channel(desk_core, config, channel=first):
        api.push(updates.message(ann, "I want a human"))
        card = await arrives(api, DESK, "Ann")
        api.push(updates.press(bob, card, "Claim"))
        await arrives(api, 608, "has joined the chat")
        await outbox.until_sent(card)
        reply = updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card)
        api.push(reply)
        await crashing.crashed.wait()
        await api.until(lambda: api.confirmed > reply["update_id"])  # Telegram won't resend it
    assert not any("FortiClient" in t for t in texts(api, 608))
    assert "the process died here" in caplog.text

    second = TelegramChannel(
        desk_core,
        config,
        policy=FAST_RETRY,
        desk=Desk(QUEUE),
        outbox=DbOutbox(),
        inbox=DbDeskInbox(),
    )
    async with running_channel(desk_core, config, channel=second):
        await arrives(api, 608, "Restart FortiClient")  # the start's sweep acted on it
        await second.recover()  # and a later sweep finds nothing left to do
    assert await OutboxMessage.filter(chat_id="608", text__contains="FortiClient").count() == 1
    assert sum("FortiClient" in t for t in texts(api, 608)) == 1


async def test_a_reply_to_a_user_who_blocked_the_bot_is_reported_on_the_desk(
    api: FakeBotAPI, updates: Updates, desk_core: SpyCore
) -> None:
    """As the composition root wires it: a relay that fails for good comes back as a notice
    in the card's reply chain, and is not tried again."""
    outbox = SpyOutbox(DbOutbox(on_give_up=ReportUndelivered(QUEUE)))
    config, channel = desk_channel(api, desk_core, outbox, inbox=DbDeskInbox())
    async with running_channel(desk_core, config, channel=channel):
        desk = updates.group(DESK, "IT desk", kind="supergroup")
        ann, bob = updates.user(606, "Ann", "en"), updates.user(42, "Bob")
        api.push(updates.message(ann, "I want a human"))
        card = await arrives(api, DESK, "Ann")
        api.push(updates.press(bob, card, "Claim"))
        await arrives(api, 606, "has joined the chat")
        await outbox.until_sent(card)
        api.blocked.add(606)  # Ann blocks the bot
        api.push(updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card))
        notice = await arrives(api, DESK, "did not reach the user")
    assert "Restart FortiClient" in visible_text(notice["text"])
    assert notice["reply_to_message"]["message_id"] == card["message_id"]
    relay = await OutboxMessage.get(chat_id="606", text__contains="FortiClient")
    assert relay.status == "failed" and relay.attempts == 1
