"""Tickets get SLA due times; the desk is warned before they pass and told when they have,
each alert once; an answer or the resolution makes the rest moot."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.memory import MemoryChat
from bot.config_tables import OfficeSettings
from bot.engine import Engine
from bot.handoff import DeskAction, Policies, Policy, escalate_due, expire_overdue
from bot.handoff.escalation import escalate_backlog
from bot.handoff.sla import DEFAULT_TARGETS, Target
from bot.knowledge.base import KnowledgeBase
from bot.priorities import PRIORITIES
from bot.storage.models import Ticket
from tests.conftest import postgres_only
from tests.handoff_support import IT, Clock, World, agent, build_world
from tests.test_handoff_pickup import take, timed_out
from tests.test_handoff_race import instance, on

MOSCOW = ZoneInfo("Europe/Moscow")
FOUR_AND_24 = {p: Target(timedelta(hours=4), timedelta(hours=24)) for p in PRIORITIES}


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Moscow (the world's clock starts on Wednesday the 25th,
    12:00; team "it" works mon-fri 09:00-18:00 there)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW)


def berlin_time(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Berlin."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Europe/Berlin"))


def policies(**options: object) -> Policies:
    return Policies((Policy("test", FOUR_AND_24, **options),), "test")  # type: ignore[arg-type]


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, sla=policies())


async def alerts_at(world: World, moment: datetime) -> list[str]:
    """Move the clock to `moment`, run one round; the desk's new messages."""
    world.clock.now = moment
    await escalate_due(world.desk.queue)
    return [item.text for item in await world.drain("memory", "desk")]


async def test_a_ticket_is_due_by_the_teams_working_time_from_the_request(world: World) -> None:
    number = await timed_out(world)  # asked at 12:00, a ticket at 12:11
    ticket = await Ticket.get(id=number)
    assert ticket.sla_policy == "test"
    assert ticket.response_due == moscow(25, 16)
    assert ticket.response_warn_at == moscow(25, 15, 12)  # 80% of the time
    assert ticket.resolve_due == moscow(27, 18)  # 6 + 9 + 9 working hours
    assert ticket.next_alert_at == ticket.response_warn_at
    assert ticket.first_response_at is None and ticket.resolved_at is None


async def test_an_office_calendar_counts_for_its_tickets(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    berlin = OfficeSettings(
        name="Berlin",
        timezone="Europe/Berlin",
        hours="mon-fri 09:00-18:00",
        holidays=(date(2026, 11, 26),),  # the Thursday: Berlin is off, Moscow's team is not
    )
    world = build_world(db_url, knowledge, sla=policies(), offices=(berlin,))
    await world.chat("u1").say("/office Berlin")
    number = await timed_out(world)  # asked on Wednesday at 10:00 in Berlin
    ticket = await Ticket.get(id=number)
    assert ticket.office == "Berlin"
    assert ticket.response_due == berlin_time(25, 14)
    # 24 working hours in Berlin: 8 on Wednesday, none on the holiday, 9 on Friday, 7 on
    # Monday (by the team's Moscow hours it would be Friday 18:00 Moscow, 16:00 Berlin).
    assert ticket.resolve_due == berlin_time(30, 16)

    other = await timed_out(world, user_id="u2")  # no office: the team's hours
    expected = IT.calendar.add(moscow(25, 12, 11), timedelta(hours=24))
    assert (await Ticket.get(id=other)).resolve_due == expected == moscow(30, 9, 11)


async def test_each_alert_goes_out_once_and_an_answer_makes_its_own_moot(world: World) -> None:
    number = await timed_out(world)
    assert await alerts_at(world, moscow(25, 15, 11)) == []
    [soon] = await alerts_at(world, moscow(25, 15, 12))
    assert f"Ticket #{number} (normal, team it) needs a first response by" in soon
    assert "2026-11-25 16:00 (Europe/Moscow)" in soon and "my vpn is broken" in soon
    assert await alerts_at(world, moscow(25, 15, 30)) == []
    [missed] = await alerts_at(world, moscow(25, 16))
    assert f"Ticket #{number}" in missed and "missed its first-response time" in missed
    assert await alerts_at(world, moscow(25, 17)) == []

    world.clock.now = moscow(25, 17, 5)
    assert (await take(world, "bob", number)).ok
    ticket = await Ticket.get(id=number)
    assert ticket.first_response_at == moscow(25, 17, 5)
    assert ticket.next_alert_at == moscow(27, 13, 12)  # resolution: 80% of 24 working hours
    await world.drain("memory", "desk")
    world.clock.now = moscow(27, 13, 12)
    assert await escalate_due(world.desk.queue) == 1
    [soon] = await world.drain("memory", "desk")
    assert soon.handoff_id is not None and soon.thread is not None  # under the chat's card
    assert "due to be resolved by 2026-11-27 18:00 (Europe/Moscow)" in soon.text

    assert (await world.act("bob", "close", soon.handoff_id)).ok
    ticket = await Ticket.get(id=number)
    assert ticket.status == "resolved" and ticket.resolved_at == moscow(27, 13, 12)
    assert ticket.next_alert_at is None
    await world.drain("memory", "desk")
    assert await alerts_at(world, moscow(30, 12)) == []


async def test_after_a_pause_past_the_due_time_only_the_breach_is_told(world: World) -> None:
    number = await timed_out(world)
    [missed] = await alerts_at(world, moscow(26, 10))  # the bot was down overnight
    assert f"#{number}" in missed and "missed its first-response time" in missed
    assert (await Ticket.get(id=number)).sla_alerts == 0b11


async def test_a_breach_is_also_told_to_the_escalation_team(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    world = build_world(db_url, knowledge, sla=policies(escalate_to="net"))
    number = await timed_out(world)
    await alerts_at(world, moscow(25, 15, 12))
    assert await world.drain("web", "desk:net") == []  # a warning stays with the team
    await alerts_at(world, moscow(25, 16))
    [told] = await world.drain("web", "desk:net")
    assert f"#{number}" in told.text and "missed" in told.text
    # The web desk of "net" lists it among its notices; Bob's team has no web desk.
    [shown] = (await world.desk.board(agent("alice", "web"))).notices
    assert shown.text == told.text
    assert (await world.desk.board(agent("bob"))).notices == []


async def test_an_agent_who_makes_a_ticket_of_a_chat_has_answered(world: World) -> None:
    await world.chat("u1").say("my vpn is broken, I want a human")
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    world.clock.now = moscow(25, 12, 3)
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    world.clock.now = moscow(25, 12, 30)
    assert (await world.act("bob", "ticket", card.handoff_id)).ok
    ticket = await Ticket.get(conversation__chat_id="u1")
    assert ticket.first_response_at == moscow(25, 12, 3)
    assert ticket.next_alert_at == ticket.resolve_warn_at  # only resolution is left


async def test_without_teams_a_ticket_is_due_around_the_clock(engine: Engine) -> None:
    await MemoryChat(engine.handle).say("I want a human")
    ticket = await Ticket.get()
    assert ticket.response_due is not None and ticket.resolve_due is not None
    target = DEFAULT_TARGETS[ticket.priority]
    assert abs(ticket.response_due - ticket.created_at - target.response) < timedelta(minutes=1)
    assert abs(ticket.resolve_due - ticket.created_at - target.resolve) < timedelta(minutes=1)


@postgres_only
async def test_two_instances_send_each_alert_once(db_url: str, knowledge: KnowledgeBase) -> None:
    clock = Clock()
    first = build_world(db_url, knowledge, clock, sla=policies())
    second = build_world(db_url, knowledge, clock, sla=policies())
    async with instance(db_url) as a, instance(db_url) as b:
        for number in range(20):
            await on(a, lambda n=number: first.chat(f"u{n}").say("I want a human"))  # type: ignore[misc]
        clock.now = moscow(25, 12, 11)
        assert await on(a, lambda: expire_overdue(first.desk.queue)) == 20
        clock.now = moscow(25, 16)
        sent = await asyncio.gather(  # both reach for every ticket at once
            on(a, lambda: escalate_due(first.desk.queue)),
            on(b, lambda: escalate_due(second.desk.queue)),
        )
        assert sum(sent) == 20  # each ticket's breach once (its warning is moot)
        assert await on(b, lambda: escalate_due(second.desk.queue)) == 0
        breaches = await on(a, lambda: Ticket.filter(sla_alerts=0b11).count())
        assert breaches == 20


async def test_a_chat_desk_lists_open_tickets_with_their_due_times(world: World) -> None:
    bob = agent("bob")
    assert (await world.desk.act(bob, DeskAction("tickets", 0))).text == "No open tickets."
    number = await timed_out(world)
    listed = await world.desk.act(bob, DeskAction("tickets", 0))
    assert listed.ok and listed.text.splitlines() == [
        "Open tickets (1), due first:",
        f"**#{number}** normal · team it · Ann · «my vpn is broken» · "
        "due by 2026-11-25 16:00 (Europe/Moscow)",
    ]
    world.clock.now = moscow(25, 16, 1)
    listed = await world.desk.act(bob, DeskAction("tickets", 0))
    assert listed.text.endswith("⚠️ overdue since 2026-11-25 16:00 (Europe/Moscow)")
    refused = await world.desk.act(agent("mallory"), DeskAction("tickets", 0))
    assert not refused.ok and "not an agent" in refused.text


async def test_a_backlog_is_sent_batch_after_batch(world: World) -> None:
    for number in range(9):
        await world.chat(f"u{number}").say("I want a human")
    world.clock.now = moscow(25, 12, 11)
    assert await expire_overdue(world.desk.queue) == 9
    world.clock.now = moscow(25, 16)  # the bot was down: 9 breaches at once
    assert await escalate_due(world.desk.queue, limit=4) == 4  # one batch
    assert await escalate_backlog(world.desk.queue, limit=4) == 5  # the rest, in two
    assert await Ticket.filter(sla_alerts=0b11).count() == 9


async def test_a_transfer_does_not_restart_the_clock(world: World) -> None:
    await world.chat("u1").say("my vpn is broken, I want a human")  # asked at 12:00 Moscow
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    world.clock.now = moscow(25, 12, 5)
    assert (await world.act("bob", "transfer", card.handoff_id, team="net")).ok
    world.clock.now = moscow(25, 12, 16)  # nobody at "net" claimed it within 10 minutes
    assert await expire_overdue(world.desk.queue) == 1
    ticket = await Ticket.get()
    assert ticket.team == "net" and ticket.response_due == moscow(25, 16)  # net works 24/7


async def test_a_picked_up_ticket_moved_to_another_team_warns_that_teams_desk(
    world: World,
) -> None:
    number = await timed_out(world)
    world.clock.now = moscow(25, 13)
    assert (await take(world, "bob", number)).ok
    [card] = [i for i in await world.drain("memory", "desk") if i.handoff_id is not None][-1:]
    assert (await world.act("bob", "transfer", card.handoff_id, team="net")).ok
    assert (await Ticket.get(id=number)).team == "net"  # the team that has it now
    await world.drain("memory", "desk")
    await world.drain("web", "desk:net")
    world.clock.now = (await Ticket.get(id=number)).resolve_warn_at
    assert await escalate_due(world.desk.queue) == 1
    assert await world.drain("memory", "desk") == []  # "it" can no longer act on it
    [soon] = await world.drain("web", "desk:net")
    assert f"Ticket #{number} (normal, team net) is due to be resolved" in soon.text
