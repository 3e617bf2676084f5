"""The times a user is told when their request becomes a ticket agree with each other and
with /tickets: when work starts is said only if it comes before the time they will hear back
by (an office's business hours or a policy's contract hours may run the SLA clock while the
team is away)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config_tables import OfficeSettings
from bot.handoff import Policies, Policy, expire_overdue
from bot.handoff.hours import Calendar
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Ticket
from tests.handoff_support import build_world

# "it" works mon-fri 09:00-18:00 in Moscow (UTC+3); Brisbane is UTC+10, its business hours
# mon-fri 09:00-18:00 there: they meet only from 16:00 to 18:00 in Brisbane.
BRISBANE = OfficeSettings(
    name="Brisbane", timezone="Australia/Brisbane", hours="mon-fri 09:00-18:00"
)
OFF_HOURS = timedelta(hours=10)  # Wednesday 22:00 in Moscow, Thursday 05:00 in Brisbane


@pytest.mark.parametrize(
    ("asked", "told"),
    [
        (
            "the printer jams, I want a human",
            "The IT team isn't working right now, so I've opened ticket **#{n}**.\n"
            "Someone will get back to you here by 13:00 today (Australia/Brisbane).",
        ),
        (
            "принтер не печатает, позовите оператора",
            "Сейчас IT-команда не работает, поэтому я открыл заявку **№{n}**.\n"
            "Вам ответят здесь до 13:00 сегодня (Australia/Brisbane).",
        ),
    ],
)
async def test_an_office_whose_hours_end_the_wait_before_the_team_starts(
    db_url: str, knowledge: KnowledgeBase, asked: str, told: str
) -> None:
    """4 hours of Brisbane's Thursday are over at 13:00 there; "it" starts at 16:00 there
    (09:00 in Moscow): "work starts 16:00; someone will get back to you by 13:00" would
    contradict itself, so only the due time is said, the one /tickets says."""
    world = build_world(db_url, knowledge, offices=(BRISBANE,))
    world.clock.now += OFF_HOURS
    chat = world.chat("u1", platform="telegram")
    await chat.say("/office Brisbane")
    [reply] = await chat.say(asked)
    ticket = await Ticket.get()
    assert reply.text == told.format(n=ticket.id)
    [listed] = await chat.say("/tickets")
    today = "today" if asked.isascii() else "сегодня"
    assert f"13:00 {today} (Australia/Brisbane)" in listed.text  # Thursday there already


async def test_a_policys_contract_hours_that_run_while_the_team_is_away(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """A 24/7 contract: a first reply 4 hours after 22:00 is due at 02:00, before "it"
    starts at 09:00."""
    always = Policy("24/7", calendar=Calendar("Europe/Moscow"))
    world = build_world(db_url, knowledge, sla=Policies((always,), "24/7"))
    world.clock.now += OFF_HOURS
    [reply] = await world.chat("u1").say("my vpn is broken, I want a human")
    assert "Work starts" not in reply.text
    assert reply.text.endswith("by 02:00 tomorrow (Europe/Moscow).")


async def test_a_start_before_the_due_time_is_said(db_url: str, knowledge: KnowledgeBase) -> None:
    """Without an office's hours the clock runs in the team's: work starts, then the 4 hours
    pass."""
    world = build_world(db_url, knowledge)
    world.clock.now += OFF_HOURS
    [reply] = await world.chat("u1").say("my vpn is broken, I want a human")
    assert reply.text.endswith(
        "Work starts 09:00 tomorrow (Europe/Moscow); someone will get back to you here by "
        "13:00 tomorrow (Europe/Moscow)."
    )


async def test_a_wait_over_after_hours_tells_the_office_the_due_time_alone(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Asked at 17:55 in Moscow (00:55 on Thursday in Brisbane), still waiting when "it"
    goes home: the ticket is due at 13:00 in Brisbane, before "it" starts at 16:00 there."""
    world = build_world(db_url, knowledge, offices=(BRISBANE,))
    world.clock.now += timedelta(hours=5, minutes=55)
    chat = world.chat("u1", platform="telegram")
    await chat.say("/office Brisbane")
    await chat.say("human")
    await world.drain("telegram", "u1")
    world.clock.now += timedelta(minutes=10)
    assert await expire_overdue(world.desk.queue) == 1
    [told] = await world.drain("telegram", "u1")
    assert "Work starts" not in told.text
    assert told.text.endswith(
        "Someone will get back to you here by 13:00 today (Australia/Brisbane)."
    )


async def test_a_due_time_gone_by_is_not_promised(db_url: str, knowledge: KnowledgeBase) -> None:
    """Asked at 12:00, still waiting at 20:05 (the bot was down): the first reply was due at
    16:00, so the user hears when work starts, not a time already past."""
    world = build_world(db_url, knowledge)
    await world.chat("u1").say("human")
    await world.drain("memory", "u1")
    world.clock.now += timedelta(hours=8, minutes=5)
    assert await expire_overdue(world.desk.queue) == 1
    [told] = await world.drain("memory", "u1")
    assert told.text.endswith(
        "Work starts 09:00 tomorrow (Europe/Moscow); someone will get back to you here as "
        "soon as they can."
    )


@pytest.mark.parametrize(
    ("asked", "told"),
    [
        (
            "I want a human",
            "Nobody could take your question in time, so I've opened ticket **#{n}**.\n"
            "Someone will get back to you here by 16:00 today (Europe/Moscow).",
        ),
        (
            "позовите оператора",
            "Никто не успел взять ваш вопрос, поэтому я открыл заявку **№{n}**.\n"
            "Вам ответят здесь до 16:00 сегодня (Europe/Moscow).",
        ),
    ],
)
async def test_a_wait_run_out_on_duty_announces_no_start(
    db_url: str, knowledge: KnowledgeBase, asked: str, told: str
) -> None:
    """Nobody claimed it in 10 minutes at noon: work is under way, so "Work on it starts
    12:10" is not news; the user hears when they will hear back, as /tickets says."""
    world = build_world(db_url, knowledge)
    chat = world.chat("u1")
    await chat.say(asked)
    await world.drain("memory", "u1")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    ticket = await Ticket.get()
    assert ticket.reason == "timeout"
    [message] = await world.drain("memory", "u1")
    assert message.text == told.format(n=ticket.id)
    [listed] = await chat.say("/tickets")
    today = "today" if asked.isascii() else "сегодня"
    assert f"16:00 {today} (Europe/Moscow)" in listed.text
