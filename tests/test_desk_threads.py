"""Which request a message at a chat desk belongs to, when an agent answers the moment a card
is posted: the platform has the card, but its id is not recorded yet (`Outbox.sent` comes a
moment after the platform's answer)."""

from __future__ import annotations

import asyncio

import pytest

from bot.handoff import DeskAction
from bot.knowledge.base import KnowledgeBase
from tests.handoff_support import World, agent, build_world
from tests.test_handoff import queued

CARD_TS = "1700000000.000100"  # the id the platform gave the card


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def test_a_reply_under_a_card_whose_id_is_not_recorded_yet_reaches_the_user(
    world: World,
) -> None:
    """The lookup waits while the desk has a message in flight, and finds the request once
    the sender records the card's id; the reply then reaches the user."""
    handoff_id = await queued(world)
    [card] = await world.outbox.claim("memory", chat_id="desk")  # being posted now
    assert (await world.act("bob", "claim", handoff_id)).ok  # Claim carries its request

    looking = asyncio.create_task(world.desk.thread_of("memory:desk", CARD_TS))
    done, _ = await asyncio.wait({looking}, timeout=0.5)
    assert not done  # it does not give up while the card is in flight
    await world.outbox.sent(card, message_id=CARD_TS)  # the sender records it

    assert await looking == handoff_id
    said = DeskAction("reply", handoff_id, text="Restart FortiClient")
    assert (await world.desk.act(agent("bob"), said)).ok
    told = [item.text for item in await world.drain("memory", "u1")]
    assert any("Restart FortiClient" in text for text in told)


async def test_a_message_under_no_card_is_answered_once_nothing_is_in_flight(
    world: World,
) -> None:
    """A thread of another message waits only until what is in flight is recorded: then
    it is no request's, as before; with nothing in flight it is none at once."""
    await queued(world)
    assert await world.desk.thread_of("memory:desk", "1600000000.000001") is None
    [card] = await world.outbox.claim("memory", chat_id="desk")

    looking = asyncio.create_task(world.desk.thread_of("memory:desk", "1600000000.000001"))
    await world.outbox.sent(card, message_id=CARD_TS)

    async with asyncio.timeout(2):  # well within the time it would wait for a card
        assert await looking is None
