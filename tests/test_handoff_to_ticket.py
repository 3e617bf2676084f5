"""An agent turns a chat into a ticket ("To ticket"): the user is told its number and, like
every other ticket message, when it is due, in their own time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket
from tests.handoff_support import World, build_world


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


@pytest.mark.parametrize(
    ("asked", "zone", "told"),
    [
        # Asked on Wednesday at 12:00 in Moscow: a normal ticket's 24 working hours in the
        # team's mon-fri 09:00-18:00 end on Friday at 18:00 there, 16:00 in Berlin.
        (
            "I want a human",
            "Europe/Berlin",
            "bob has turned your question into ticket **#{n}**, to be resolved by "
            "2026-11-27 16:00 (Europe/Berlin). Someone will get back to you here.",
        ),
        (
            "позовите оператора",
            None,
            "bob оформил ваш вопрос как заявку **№{n}**, срок решения "
            "2026-11-27 18:00 (Europe/Moscow). Вам ответят здесь.",
        ),
    ],
)
async def test_the_user_is_told_when_the_ticket_is_due(
    world: World, asked: str, zone: str | None, told: str
) -> None:
    await world.chat("u1", timezone=zone).say(asked)
    handoff = await Handoff.get()
    assert (await world.act("bob", "claim", handoff.id)).ok
    await world.drain("memory", "u1")
    assert (await world.act("bob", "ticket", handoff.id)).ok
    ticket = await Ticket.get()
    [message] = await world.drain("memory", "u1")
    assert message.text == told.format(n=ticket.id)


@pytest.mark.parametrize(
    ("asked", "told"),
    [
        # Nobody talked to the user: what they wait for is a first reply, 4 working hours
        # from 12:00 on Wednesday in Moscow (not the resolution two days later).
        (
            "I want a human",
            "bob has turned your question into ticket **#{n}**. Someone will get back to you "
            "here by 16:00 today (Europe/Moscow).",
        ),
        (
            "позовите оператора",
            "bob оформил ваш вопрос как заявку **№{n}**. Вам ответят здесь до "
            "16:00 сегодня (Europe/Moscow).",
        ),
    ],
)
async def test_a_request_made_a_ticket_before_anyone_talked_to_the_user(
    world: World, asked: str, told: str
) -> None:
    chat = world.chat("u1")
    await chat.say(asked)
    handoff = await Handoff.get()
    await world.drain("memory", "u1")
    assert (await world.act("bob", "ticket", handoff.id)).ok  # never claimed
    ticket = await Ticket.get()
    assert ticket.first_response_at is None
    [message] = await world.drain("memory", "u1")
    assert message.text == told.format(n=ticket.id)
    [listed] = await chat.say("/tickets")
    today = "today" if asked.isascii() else "сегодня"
    assert f"16:00 {today} (Europe/Moscow)" in listed.text  # the same due time


@pytest.mark.parametrize(
    ("asked", "claimed", "told"),
    [
        (
            "I want a human",
            False,
            "bob has turned your question into ticket **#{n}**. Someone will get back to you "
            "here as soon as they can.",
        ),
        (
            "позовите оператора",
            True,
            "bob оформил ваш вопрос как заявку **№{n}**. Вам ответят здесь при первой возможности.",
        ),
    ],
)
async def test_a_due_time_gone_by_is_not_promised(
    world: World, asked: str, claimed: bool, told: str
) -> None:
    """Made a ticket at 16:30 (claimed at 12:05, or never), the user read "Someone will get
    back to you here by 16:00 today": a promise already broken."""
    await world.chat("u1").say(asked)
    handoff = await Handoff.get()
    if claimed:
        world.clock.now += timedelta(minutes=5)
        assert (await world.act("bob", "claim", handoff.id)).ok
    world.clock.now = world.clock.now.replace(hour=13, minute=30)  # 16:30 in Moscow
    if claimed:  # a long chat: the 24 working hours to resolve it are over too
        world.clock.now += timedelta(days=3)
    await world.drain("memory", "u1")
    assert (await world.act("bob", "ticket", handoff.id)).ok
    ticket = await Ticket.get()
    [message] = await world.drain("memory", "u1")
    assert message.text == told.format(n=ticket.id)
