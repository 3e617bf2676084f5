"""The card on the desk shows what became of its handoff: card edits through the outbox.

Through the in-memory adapter: every change queues a "card_edit" for the card's desk, handed
out with the card's message id once the card is sent, in the order the edits were made.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import OutboxItem, expire_overdue
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import OutboxMessage
from tests.handoff_support import World, build_world
from tests.test_handoff_pickup import take, timed_out


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def queued(world: World, user_id: str = "u1") -> OutboxItem:
    """A user asks for a person; their card, delivered (its message id is "m<id>-0")."""
    await world.chat(user_id, name="Ann").say("my vpn is broken, I want a human")
    [card] = await world.drain("memory", "desk")
    assert card.kind == "card" and card.buttons
    return card


def edits(items: list[OutboxItem]) -> list[OutboxItem]:
    return [i for i in items if i.kind == "card_edit"]


async def test_claim_and_close_edit_the_card(world: World) -> None:
    card = await queued(world)
    assert card.handoff_id is not None
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    [claimed] = edits(await world.drain("memory", "desk"))
    assert claimed.thread == f"m{card.id}-0"  # the card's own message
    assert claimed.text.startswith(card.text) and claimed.text.endswith("Claimed by bob**")
    assert claimed.buttons == ()
    assert (await world.act("bob", "close", card.handoff_id)).ok
    [closed] = edits(await world.drain("memory", "desk"))
    assert closed.thread == claimed.thread
    assert closed.text == f"{card.text}\n\n☑️ **Closed by bob**"  # the claim line replaced


async def test_a_picked_up_cards_close_keeps_who_picked_it_up_after_a_priority_change(
    world: World,
) -> None:
    """A picked-up ticket's card is posted with who took it under it; rewritten for a new
    priority, it keeps that line, and its close goes under it as on a card never rewritten."""
    assert (await take(world, "bob", await timed_out(world))).ok
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None and card.buttons == ()
    assert (await world.act("bob", "priority", card.handoff_id, text="urgent")).ok
    [rewritten] = edits(await world.drain("memory", "desk"))
    assert "priority 🔴 URGENT" in rewritten.text and "picked up by bob" in rewritten.text
    assert (await world.act("bob", "close", card.handoff_id)).ok
    [closed] = edits(await world.drain("memory", "desk"))
    assert closed.text == f"{rewritten.text}\n\n☑️ **Closed by bob**"


async def test_an_edit_waits_for_its_card_to_be_sent(world: World) -> None:
    await world.chat("u1").say("human")
    [card] = await world.outbox.claim("memory", chat_id="desk")  # leased, not sent yet
    assert card.handoff_id is not None
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    assert edits(await world.outbox.claim("memory", chat_id="desk")) == []
    await world.outbox.failed(card, retry_after=timedelta(seconds=30))  # a 429
    assert await world.outbox.claim("memory", chat_id="desk") == []  # the edit waits too
    world.clock.now += timedelta(seconds=31)
    again, *rest = await world.outbox.claim("memory", chat_id="desk")
    assert again.id == card.id  # the card first, then the claim's notice that waited for it
    assert [item.kind for item in rest] == ["notice"]
    await world.outbox.sent(again, message_id="C-1")
    [edit] = edits(await world.outbox.claim("memory", chat_id="desk"))
    assert edit.thread == "C-1" and "Claimed by bob" in edit.text


async def test_an_edit_whose_card_never_went_is_dropped(world: World) -> None:
    await world.chat("u1").say("human")
    [card] = await world.outbox.claim("memory", chat_id="desk")
    await world.outbox.failed(card)  # refused for good: there is nothing to edit
    assert card.handoff_id is not None
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    assert edits(await world.outbox.claim("memory", chat_id="desk")) == []
    edit = await OutboxMessage.get(kind="card_edit")
    assert edit.status == "failed" and edit.attempts == 0


async def test_edits_apply_in_the_order_they_were_made(world: World) -> None:
    card = await queued(world)
    assert card.handoff_id is not None
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    [claimed] = edits(await world.outbox.claim("memory", chat_id="desk"))
    await world.outbox.failed(claimed, retry_after=timedelta(seconds=30))
    assert (await world.act("bob", "close", card.handoff_id)).ok
    assert edits(await world.outbox.claim("memory", chat_id="desk")) == []  # behind "claimed"
    world.clock.now += timedelta(seconds=31)
    [first] = edits(await world.outbox.claim("memory", chat_id="desk"))
    assert first.id == claimed.id
    await world.outbox.sent(first)
    [second] = edits(await world.outbox.claim("memory", chat_id="desk"))
    assert "Closed by bob" in second.text


async def test_transfer_edits_the_old_card_and_posts_a_new_one(world: World) -> None:
    card = await queued(world)
    assert card.handoff_id is not None
    assert (await world.act("bob", "transfer", card.handoff_id, team="net")).ok
    [moved] = edits(await world.drain("memory", "desk"))
    assert moved.thread == f"m{card.id}-0" and "Moved to team net** by bob" in moved.text
    [new_card] = await world.drain("web", "desk:net")  # the web desk reads its board
    assert new_card.kind == "card"
    assert not await OutboxMessage.filter(kind="card_edit", platform="web").exists()


async def test_cancel_and_time_out_show_on_the_card(world: World) -> None:
    card = await queued(world, "u1")
    [chat] = world.chats
    await chat.say("/cancel")
    [cancelled] = edits(await world.drain("memory", "desk"))
    assert cancelled.thread == f"m{card.id}-0" and "Cancelled by the user" in cancelled.text
    other = await queued(world, "u2")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    [ticket] = edits(await world.drain("memory", "desk"))
    assert ticket.thread == f"m{other.id}-0" and "Ticket #" in ticket.text


async def test_off_hours_have_no_card_to_edit(world: World) -> None:
    world.clock.now += timedelta(hours=10)  # 22:00 in Moscow: a ticket at once, no card
    await world.chat("u1").say("human")
    assert not await OutboxMessage.filter(kind__in=("card", "card_edit")).exists()


async def test_a_long_question_is_clipped_on_the_card(world: World) -> None:
    """A card stays one Telegram message (4,096 characters), so an edit rewrites all of it;
    the whole question is still in the conversation's transcript."""
    chat = world.chat("u1", name="Ann")
    await chat.say("blorp zzqx frobnicate " * 200)  # nothing in the KB: "say it otherwise"
    await chat.say("quux wibble " * 200)  # again: a person is offered
    await chat.press("Yes, to a person")
    [card] = await world.drain("memory", "desk")
    assert card.kind == "card"
    assert len(card.text) < 4096
    assert "blorp zzqx" in card.text and "…" in card.text
