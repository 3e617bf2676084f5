"""Which request a message at a chat desk belongs to, when an agent answers the moment a card
is posted: the platform shows the card, but its id is not recorded yet (`Outbox.sent` comes a
moment after the platform's answer). The tests step the lookup through its looks with its
`pause`, so what happens between two looks is the test's, not the scheduler's."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.handoff import DeskAction, threads
from bot.handoff.desk import Desk
from bot.handoff.threads import thread_of
from bot.knowledge.base import KnowledgeBase
from tests.fakes.lookup_steps import Steps
from tests.handoff_support import World, agent, build_world
from tests.test_handoff import queued

CARD_TS = "1700000000.000100"  # the id the platform gave the card
OTHER_TS = "1600000000.000001"  # a message of the desk that is no card's


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


@pytest.fixture
def steps() -> Steps:
    return Steps()


@pytest.fixture
def desk(world: World, steps: Steps) -> Desk:
    return replace(world.desk, pause=steps.pause)


async def test_a_reply_under_a_card_whose_id_is_not_recorded_yet_reaches_the_user(
    world: World, desk: Desk, steps: Steps
) -> None:
    """It was refused ("There is no such request open here"); the lookup waits while the
    card is in flight and finds the request once the sender records the card's id."""
    handoff_id = await queued(world)
    [card] = await world.outbox.claim("memory", chat_id="desk")  # being posted now
    assert (await world.act("bob", "claim", handoff_id)).ok  # Claim carries its request

    looking = asyncio.create_task(desk.thread_of("memory:desk", CARD_TS))
    assert await steps.first(looking)  # it did not answer with the card in flight
    steps.go_on.set()  # another look, the card still in flight: it waits again
    assert await steps.first(looking)  # it did not answer with the card in flight
    await world.outbox.sent(card, message_id=CARD_TS)  # the sender records it
    steps.go_on.set()

    assert await looking == handoff_id
    assert steps.looked == 2
    said = DeskAction("reply", handoff_id, text="Restart FortiClient")
    assert (await desk.act(agent("bob"), said)).ok
    told = [item.text for item in await world.drain("memory", "u1")]
    assert any("Restart FortiClient" in text for text in told)


async def test_a_message_under_no_card_is_none_once_the_card_is_recorded(
    world: World, desk: Desk, steps: Steps
) -> None:
    """A thread of another message waits only while the card is in flight: once it is
    recorded, the message is no request's, as before."""
    await queued(world)
    [card] = await world.outbox.claim("memory", chat_id="desk")

    looking = asyncio.create_task(desk.thread_of("memory:desk", OTHER_TS))
    assert await steps.first(looking)  # it did not answer with the card in flight
    await world.outbox.sent(card, message_id=CARD_TS)
    steps.go_on.set()

    assert await looking is None
    assert steps.looked == 1


async def test_a_card_that_stays_in_flight_holds_a_message_for_settle_at_most(
    world: World, steps: Steps
) -> None:
    """A card that stays in flight (a platform that never answers, a card put off) holds a
    message under no card for SETTLE at most, never for good (here none at all)."""
    await queued(world)
    await world.outbox.claim("memory", chat_id="desk")

    async with asyncio.timeout(10):
        found = await thread_of(
            "memory:desk", OTHER_TS, clock=world.clock, pause=steps.pause, settle=timedelta(0)
        )
    assert found is None
    assert steps.looked == 0


async def test_nothing_but_a_card_in_flight_makes_it_wait(
    world: World, desk: Desk, steps: Steps
) -> None:
    """With the card recorded, the claim's card edit and notices waiting to go (in flight or
    held back) are no reason to wait: a message under no card is none at once."""
    handoff_id = await queued(world)
    await world.drain("memory", "desk")  # the card, recorded
    assert (await world.act("bob", "claim", handoff_id)).ok
    assert await world.outbox.claim("memory", chat_id="desk")  # its edit and notice, leased

    assert await desk.thread_of("memory:desk", OTHER_TS) is None
    assert steps.looked == 0


async def test_a_card_recorded_right_after_a_look_is_found(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sender's record lands just after a look found nothing: the next question sees
    nothing in flight, and the request must still be found. The first version of this wait
    asked after its look, read "nothing in flight" and refused the reply (what failed its
    tests under load, where that moment is longest)."""
    handoff_id = await queued(world)
    [card] = await world.outbox.claim("memory", chat_id="desk")
    lookup, looks = threads._lookup, 0

    async def then_recorded(desk: str, ref: str) -> int | None:
        nonlocal looks
        looks, found = looks + 1, await lookup(desk, ref)
        if looks == 1:
            await world.outbox.sent(card, message_id=CARD_TS)
        return found

    monkeypatch.setattr(threads, "_lookup", then_recorded)
    async with asyncio.timeout(10):
        assert await threads.thread_of("memory:desk", CARD_TS, clock=world.clock) == handoff_id
