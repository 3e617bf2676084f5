"""Ending a ticket without a chat: an agent of its team resolves it with a note."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.handoff import DeskAction, DeskResult, escalate_due
from bot.handoff.ticketed import to_ticket
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket, TranscriptMessage
from tests.handoff_support import World, agent, build_world
from tests.test_handoff_pickup import take, timed_out
from tests.test_sla_escalation import policies

NOTE = "Your VPN certificate was renewed:\nreconnect and it works."


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, sla=policies())


async def resolve(world: World, who: str, number: int, note: str = NOTE) -> DeskResult:
    return await world.desk.act(agent(who), DeskAction("resolve", 0, ticket_id=number, text=note))


async def test_an_agent_resolves_an_open_ticket_with_a_note(world: World) -> None:
    number = await timed_out(world)
    world.clock.now += timedelta(minutes=30)
    done = await resolve(world, "bob", number)
    assert done.ok
    assert done.text == (
        f"☑️ Ticket #{number} «my vpn is broken, I want a human» resolved by bob: "
        "Your VPN certificate was renewed: reconnect and it works."  # one line on the desk
    )
    ticket = await Ticket.get(id=number)
    assert ticket.status == "resolved"
    assert ticket.resolved_at == ticket.first_response_at == world.clock.now
    assert ticket.next_alert_at is None

    [told] = await world.drain("memory", "u1")
    assert told.text == (
        f"Your ticket **#{number}** «my vpn is broken, I want a human» is resolved: {NOTE}"
    )
    assert told.buttons == ()  # no chat with an agent to rate
    [notice] = await world.drain("memory", "desk")
    assert notice.text == done.text and notice.thread is None  # at the top of the desk
    line = await TranscriptMessage.filter(direction="agent").get()
    assert line.text == NOTE

    world.clock.now += timedelta(days=3)  # past both due times: nothing to warn of
    assert await escalate_due(world.desk.queue) == 0
    again = await resolve(world, "carol", number)
    assert not again.ok and again.text == f"Ticket #{number} is already resolved."
    taken = await take(world, "carol", number)
    assert not taken.ok and "resolved" in taken.text
    assert [t.number for t in await world.desk.tickets(agent("bob"))] == []


async def test_the_user_is_told_in_their_language(world: World) -> None:
    await world.chat("u2", name="Аня").say("не работает впн, позовите оператора")
    handoff = await Handoff.get(conversation__chat_id="u2")
    ticket = await to_ticket(world.desk.queue, handoff, "timeout")
    await world.drain("memory", "u2")
    assert (await resolve(world, "bob", ticket.id, "Сертификат обновлён")).ok
    [told] = await world.drain("memory", "u2")
    assert told.text.startswith(f"Ваша заявка **№{ticket.id}** «не работает впн")
    assert told.text.endswith("решена: Сертификат обновлён")


async def test_an_earlier_first_response_is_kept(world: World) -> None:
    number = await timed_out(world)
    world.clock.now += timedelta(minutes=5)
    assert (await take(world, "bob", number)).ok  # answered now
    answered = world.clock.now
    handoff = await Handoff.get(ticket_id=number, status="claimed")
    assert (await world.act("bob", "ticket", handoff.id)).ok  # handed back: open again
    world.clock.now += timedelta(hours=1)
    assert (await resolve(world, "carol", number)).ok
    ticket = await Ticket.get(id=number)
    assert (ticket.first_response_at, ticket.resolved_at) == (answered, world.clock.now)


async def test_refusals(world: World) -> None:
    number = await timed_out(world)
    refused = await resolve(world, "mallory", number)
    assert not refused.ok and "not an agent" in refused.text
    other = await resolve(world, "dave", number)  # an agent of team "net" only
    assert not other.ok and "team it" in other.text
    missing = await resolve(world, "bob", number + 99)
    assert not missing.ok and missing.text == f"There is no ticket #{number + 99}."
    bare = await resolve(world, "bob", number, " ")
    assert not bare.ok and "short note" in bare.text
    assert await world.drain("memory", "u1") == []  # nothing was said for a refusal
    assert await world.drain("memory", "desk") == []
    assert (await take(world, "bob", number)).ok
    handoff = await Handoff.get(ticket_id=number, status="claimed")
    in_chat = await resolve(world, "carol", number)
    assert not in_chat.ok
    assert f"request #{handoff.id}" in in_chat.text and "closing that chat" in in_chat.text
    assert (await Ticket.get(id=number)).status == "in_progress"


async def test_resolving_writes_the_ticket_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """One conditional update does it all (status, times, alerts): nothing writes the ticket
    again after the check that it was still open."""
    number = await timed_out(world)
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    assert (await resolve(world, "bob", number)).ok
    sql = [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]
    [write] = [line for line in sql if line.lstrip().upper().startswith('UPDATE "TICKETS"')]
    assert "status" in write and "open" in write  # the guard: only while it is open
