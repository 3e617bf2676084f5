"""Queue time-outs find every overdue handoff, by its own team's time-out, however many wait."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from bot.handoff import Team, Teams, expire_overdue
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket
from tests.conftest import postgres_only
from tests.handoff_support import IT, Clock, World, build_world
from tests.test_handoff_race import instance, on

SLOW = Team("slow", "memory:slow", frozenset({"memory:sam"}), claim_timeout=timedelta(hours=10))
FAST = Team("fast", "memory:fast", frozenset({"memory:fay"}), claim_timeout=timedelta(minutes=1))


def world_of(db_url: str, knowledge: KnowledgeBase, clock: Clock, default: str) -> World:
    """An instance whose requests for a person go to team `default`."""
    return build_world(db_url, knowledge, clock, teams=Teams((SLOW, FAST), default=default))


async def ask(world: World, *users: str) -> None:
    for user in users:
        await world.chat(user).say("human")


async def test_a_short_time_out_expires_behind_a_long_queue(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    clock = Clock()
    slow, fast = (world_of(db_url, knowledge, clock, team) for team in ("slow", "fast"))
    await ask(slow, *(f"s{number}" for number in range(55)))  # more than one batch (50)
    await ask(fast, "f1")
    clock.now += timedelta(minutes=30)
    assert await expire_overdue(slow.desk.queue) == 1
    ticketed = await Handoff.get(status="ticketed")
    assert ticketed.team == "fast" and (await Ticket.get()).reason == "timeout"
    assert await Handoff.filter(team="slow", status="waiting").count() == 55


async def test_every_overdue_handoff_is_expired_batch_after_batch(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    world = world_of(db_url, knowledge, Clock(), "fast")
    await ask(world, "u1", "u2", "u3", "u4", "u5")
    world.clock.now += timedelta(minutes=2)
    assert await expire_overdue(world.desk.queue, limit=2) == 5  # batches of 2, 2 and 1
    assert await Handoff.filter(status="waiting").count() == 0


async def test_a_handoff_of_a_team_no_longer_configured_is_expired_off_hours(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    world = world_of(db_url, knowledge, Clock(), "slow")
    await ask(world, "u1")
    without_slow = replace(world.desk.queue, teams=Teams((IT, FAST), default="fast"))
    assert await expire_overdue(without_slow) == 1
    ticket = await Ticket.get()
    assert ticket.reason == "off_hours"
    notices = [n.text for n in await world.drain("memory", "slow") if n.kind == "notice"]
    handoff = await Handoff.get()
    gone = {"team": "slow", "id": handoff.id, "number": ticket.id}
    assert notices == [world.desk.queue.desk_text("desk_team_gone", **gone)]  # not "off duty"


@postgres_only
async def test_two_instances_expire_each_handoff_once(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    clock = Clock()
    first, second = (world_of(db_url, knowledge, clock, "fast") for _ in range(2))
    await ask(first, *(f"u{number}" for number in range(12)))
    clock.now += timedelta(minutes=2)
    async with instance(db_url) as a, instance(db_url) as b:
        done = await asyncio.gather(  # both page through the same overdue ones at once
            on(a, lambda: expire_overdue(first.desk.queue, limit=3)),
            on(b, lambda: expire_overdue(second.desk.queue, limit=3)),
        )
        assert sum(done) == 12 and await on(a, Ticket.all().count) == 12


async def test_asking_for_a_person_again_nobody_takes_stays_with_the_open_ticket(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """A user with a ticket from last night asked for a person again in the morning ("human"),
    nobody took it in time, and they got a second ticket, of no subject, with its own (later)
    due time: the request now goes back to the ticket it repeats."""
    world = build_world(db_url, knowledge)
    world.clock.now -= timedelta(hours=14)  # Tuesday 22:00 in Moscow: the team is off duty
    chat = world.chat("u1", name="Ann")
    await chat.say("my vpn is broken, I want a human")
    world.clock.now += timedelta(hours=14)  # Wednesday noon: queued for a person
    assert "in the queue" in (await chat.say("human"))[0].text
    await world.drain("memory", "u1")
    await world.drain("memory", "desk")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    [ticket] = await Ticket.all()
    assert ticket.status == "open" and ticket.subject == "my vpn is broken"
    [told] = await world.drain("memory", "u1")
    assert told.text.splitlines()[0] == (
        f"Nobody could take your question in time: your ticket **#{ticket.id}** stays open."
    )
    again = await Handoff.filter(ticket_id=ticket.id).order_by("-id").first()
    assert again is not None and (again.status, again.question) == ("ticketed", "")
    desk = [item.text for item in await world.drain("memory", "desk")]
    assert f"back to ticket #{ticket.id}, open." in "\n".join(desk)

    await chat.say("human please, now the printer is broken too")  # another problem
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    assert await Ticket.all().count() == 2


async def test_asking_again_nobody_takes_leaves_another_teams_ticket_with_that_team(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Going back to the open ticket would move it: one of another team (an on-site job of
    the office's local admins) stays theirs, and the request gets a ticket of its own."""
    world = build_world(db_url, knowledge)
    world.clock.now -= timedelta(hours=14)  # Tuesday 22:00 in Moscow: the team is off duty
    chat = world.chat("u1", name="Ann")
    await chat.say("my vpn is broken, I want a human")
    [onsite] = await Ticket.all()
    await Ticket.filter(id=onsite.id).update(team="moscow-admins")  # the local admins' job
    world.clock.now += timedelta(hours=14)  # Wednesday noon: queued for a person
    assert "in the queue" in (await chat.say("human"))[0].text
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    assert await Ticket.all().count() == 2
    assert (await Ticket.get(id=onsite.id)).team == "moscow-admins"
