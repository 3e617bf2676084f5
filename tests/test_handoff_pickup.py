"""Picking up a ticket: time-out → ticket → an agent takes it → relay both ways → close."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.handoff import DeskAction, DeskResult, expire_overdue
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket
from tests.conftest import postgres_only
from tests.handoff_support import Clock, World, agent, build_world
from tests.test_handoff_race import instance, on


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def take(world: World, who: str, number: int) -> DeskResult:
    return await world.desk.act(agent(who), DeskAction("take", 0, ticket_id=number))


async def timed_out(world: World, user_id: str = "u1") -> int:
    """A handoff nobody claimed in time: the ticket's number, with the outbox drained."""
    await world.chat(user_id, name="Ann").say("my vpn is broken, I want a human")
    await world.drain("memory", "desk")  # the card
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    await world.drain("memory", user_id)
    await world.drain("memory", "desk")  # the notice, and the card's edit (a ticket now)
    ticket = await Ticket.filter(conversation__chat_id=user_id).order_by("-id").first()
    assert ticket is not None and ticket.status == "open"
    return ticket.id


async def test_agent_picks_up_a_timed_out_ticket_and_talks(world: World) -> None:
    number = await timed_out(world)
    assert [t.number for t in await world.desk.tickets(agent("bob"))] == [number]
    taken = await take(world, "bob", number)
    assert taken.ok and f"#{number}" in taken.text
    [told] = await world.drain("memory", "u1")
    assert f"bob from IT picked up your ticket **#{number}**" in told.text
    [card] = await world.drain("memory", "desk")
    assert card.kind == "card" and card.buttons == () and "picked up by bob" in card.text
    assert card.handoff_id is not None
    handoff_id = card.handoff_id
    assert (await Ticket.get(id=number)).status == "in_progress"
    assert await world.desk.tickets(agent("bob")) == []

    user = world.chats[0]
    assert await user.say("it still says error 809") == []  # the bot stays quiet
    [relay] = await world.drain("memory", "desk")
    assert "error 809" in relay.text and relay.thread == f"m{card.id}-0"
    assert (await world.act("bob", "reply", handoff_id, text="Restart FortiClient")).ok
    [answer] = await world.drain("memory", "u1")
    assert "Restart FortiClient" in answer.text

    assert (await world.act("bob", "close", handoff_id)).ok
    assert (await Ticket.get(id=number)).status == "resolved"
    assert (await user.say("forgot my password"))[0].buttons  # self-help again
    again = await take(world, "carol", number)
    assert not again.ok and "resolved" in again.text


async def test_refusals(world: World) -> None:
    number = await timed_out(world)
    refused = await take(world, "mallory", number)
    assert not refused.ok and "not an agent" in refused.text
    other = await take(world, "dave", number)  # an agent of team "net" only
    assert not other.ok and "team it" in other.text
    assert not (await take(world, "bob", number + 999)).ok
    assert (await take(world, "bob", number)).ok
    twice = await take(world, "carol", number)
    assert not twice.ok and "already taken by bob" in twice.text
    assert await Handoff.filter(ticket_id=number, status="claimed").count() == 1


async def test_a_ticket_no_longer_open_is_refused_in_the_desks_language(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """The refusal names the ticket's status in the desk's words: a Russian desk read
    "Заявка #1 в состоянии resolved" (the status as stored)."""
    world = build_world(db_url, knowledge, desk_language="ru")
    number = await timed_out(world)
    resolving = DeskAction("resolve", 0, ticket_id=number, text="заменили картридж")
    assert (await world.desk.act(agent("bob"), resolving)).ok
    refused = await take(world, "carol", number)
    assert not refused.ok
    assert refused.text == f"Заявка #{number} решена: взять можно только открытую."


async def test_handed_back_ticket_is_open_again_not_a_new_one(world: World) -> None:
    number = await timed_out(world)
    assert (await take(world, "bob", number)).ok
    handoff = await Handoff.get(ticket_id=number, status="claimed")
    await world.drain("memory", "u1")
    assert (await world.act("bob", "ticket", handoff.id)).ok
    assert await Ticket.all().count() == 1
    assert (await Ticket.get(id=number)).status == "open"
    # the user was told "bob has turned your question into ticket #1" a second time
    [told] = [item.text for item in await world.drain("memory", "u1")]
    assert f"#{number}" in told and "turned your question" not in told and "open" in told
    assert (await take(world, "carol", number)).ok


async def test_user_cancel_puts_the_ticket_back(world: World) -> None:
    """And both sides are told the ticket stays open: the desk read "request #2 cancelled",
    the user "You've ended the chat with IT", as if the ticket had gone too."""
    number = await timed_out(world)
    assert (await take(world, "bob", number)).ok
    await world.drain("memory", "desk")
    [ended] = await world.chats[0].say("/cancel")
    assert (await Ticket.get(id=number)).status == "open"
    assert f"#{number}" in ended.text and "open" in ended.text
    desk = [item.text for item in await world.drain("memory", "desk")]
    assert any(f"ticket #{number} is open again" in text for text in desk), desk


@postgres_only
async def test_two_instances_take_at_once_one_owner(db_url: str, knowledge: KnowledgeBase) -> None:
    clock = Clock()
    first, second = build_world(db_url, knowledge, clock), build_world(db_url, knowledge, clock)
    async with instance(db_url) as a, instance(db_url) as b:
        for round_ in range(20):
            number = await on(a, lambda r=round_: timed_out(first, f"u{r}"))  # type: ignore[misc]
            bob, carol = await asyncio.gather(
                on(a, lambda n=number: take(first, "bob", n)),  # type: ignore[misc]
                on(b, lambda n=number: take(second, "carol", n)),  # type: ignore[misc]
            )
            assert bob.ok != carol.ok, (round_, bob, carol)
            assert "already taken by" in (carol if bob.ok else bob).text
            owners = await Handoff.filter(ticket_id=number, status="claimed").count()
            assert owners == 1


async def test_a_user_already_in_a_live_chat_is_refused(world: World) -> None:
    number = await timed_out(world)
    await world.chats[0].say("I want a human again")  # queued anew, not claimed yet
    busy = await take(world, "bob", number)
    assert not busy.ok and "already in request" in busy.text
    assert (await Ticket.get(id=number)).status == "open"


@postgres_only
async def test_two_tickets_of_one_user_taken_at_once_one_live_chat(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Two agents take two different tickets of the same user at the same instant, on two
    instances: the user gets one person, the other agent is told the user is busy."""
    clock = Clock()
    first, second = build_world(db_url, knowledge, clock), build_world(db_url, knowledge, clock)
    async with instance(db_url) as a, instance(db_url) as b:
        for round_ in range(10):  # 20 × 11 minutes of time-outs: the team's day ends
            user = f"u{round_}"
            one = await on(a, lambda u=user: timed_out(first, u))  # type: ignore[misc]
            two = await on(a, lambda u=user: timed_out(first, u))  # type: ignore[misc]
            bob, carol = await asyncio.gather(
                on(a, lambda n=one: take(first, "bob", n)),  # type: ignore[misc]
                on(b, lambda n=two: take(second, "carol", n)),  # type: ignore[misc]
            )
            assert bob.ok != carol.ok, (round_, bob, carol)
            assert "already in request" in (carol if bob.ok else bob).text
            live = Handoff.filter(conversation__chat_id=user, status="claimed")
            assert await live.count() == 1


@pytest.mark.parametrize(
    ("language", "user_line", "desk_line"),
    [
        (
            "en",
            "Nobody could take your question in time: your ticket **#{n}** stays open.",
            "Nobody took request #{h} in time: back to ticket #{n}, open.",
        ),
        (
            "ru",
            "Никто не успел взять ваш вопрос: ваша заявка **№{n}** остаётся открытой.",
            "Nobody took request #{h} in time: back to ticket #{n}, open.",
        ),
    ],
)
async def test_a_picked_up_ticket_nobody_takes_after_a_transfer_stays_open(
    world: World, language: str, user_line: str, desk_line: str
) -> None:
    """The user whose ticket an agent had picked up and passed to another team, where nobody
    took it in time, read "so I've opened ticket #1", a ticket they had had for hours."""
    await world.chat("u1", name="Ann", locale=language).say(
        "my vpn is broken, I want a human"
        if language == "en"
        else "не работает vpn, позовите человека"
    )
    await world.drain("memory", "desk")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    number = (await Ticket.get()).id
    assert (await take(world, "bob", number)).ok
    handoff = await Handoff.get(ticket_id=number, status="claimed")
    await world.drain("memory", "u1")
    assert (await world.act("bob", "transfer", handoff.id, team="net")).ok
    await world.drain("memory", "u1")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    [told] = await world.drain("memory", "u1")
    assert told.text.splitlines()[0] == user_line.format(n=number)
    assert (await Ticket.get(id=number)).status == "open"
    notices = [item.text for item in await world.drain("web", "desk:net")]
    assert desk_line.format(h=handoff.id, n=number) in notices
