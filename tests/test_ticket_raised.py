"""A user who writes "срочно!" / "urgent!" after a bare request for a person became a ticket
(off hours), or at any time while a ticket of theirs is open, raises that ticket (their
newest), and its team's desk hears of it: one line at the top, in the desk's language, with
the ticket's number, subject, new priority and due time. Raising it again, or a ticket
already that urgent, tells the desk nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.handoff import Team, Teams
from bot.handoff.ticket_priority import raise_ticket
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Ticket
from bot.zones import local_time
from tests.handoff_support import IT, World, build_world
from tests.test_handoff_pickup import take, timed_out
from tests.test_handoff_web import app_for, call, say

UNTITLED = "(no subject: asked for a person)"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    world = build_world(db_url, knowledge)
    world.clock.now += timedelta(hours=10)  # 22:00 in Moscow: the "it" team is off duty
    return world


async def bare_ticket(world: World, *, language: str = "en") -> Ticket:
    """Ann asks for a person off hours: a ticket of no subject, its desk notice drained."""
    ask = "human" if language == "en" else "позовите человека"
    await world.chat("u1", name="Ann", locale=language).say(ask)
    await world.drain("memory", "desk")
    return await Ticket.get()


async def test_the_desk_hears_that_a_user_raised_their_ticket(world: World) -> None:
    """The ticket went to high priority and its due time came closer, and the desk was not
    told: it sat among the normal ones until the SLA warning."""
    before = await bare_ticket(world)
    await world.chats[0].say("urgent!")
    ticket = await Ticket.get()
    assert (before.priority, ticket.priority) == ("normal", "high")
    assert ticket.response_due is not None and ticket.response_due < before.response_due
    [notice] = await world.drain("memory", "desk")
    due = local_time(ticket.response_due, IT.timezone)
    assert notice.text == (
        f"⬆️ Ticket #{ticket.id} «{UNTITLED}» now has priority high, due by {due}:"
        " Ann wrote that it is urgent."
    )
    assert notice.thread is None and notice.handoff_id is None  # at the top of the desk


async def test_raising_it_again_tells_the_desk_nothing(world: World) -> None:
    await bare_ticket(world)
    await world.chats[0].say("urgent!")
    assert len(await world.drain("memory", "desk")) == 1
    await world.chats[0].say("срочно!")  # high already
    assert (await Ticket.get()).priority == "high"
    assert await world.drain("memory", "desk") == []


async def test_a_ticket_already_urgent_is_not_raised_or_told(world: World) -> None:
    ticket = await bare_ticket(world)
    await Ticket.filter(id=ticket.id).update(priority="urgent")
    await world.chats[0].say("urgent!")
    assert (await Ticket.get()).priority == "urgent"
    assert await world.drain("memory", "desk") == []


async def test_the_desk_reads_it_in_its_language(db_url: str, knowledge: KnowledgeBase) -> None:
    world = build_world(db_url, knowledge, desk_language="ru")
    world.clock.now += timedelta(hours=10)
    await bare_ticket(world, language="ru")
    await world.chats[0].say("срочно!")
    ticket = await Ticket.get()
    [notice] = await world.drain("memory", "desk")
    assert ticket.response_due is not None
    due = local_time(ticket.response_due, IT.timezone)
    assert notice.text == (
        f"⬆️ У заявки #{ticket.id} «(без темы: просили специалиста)» теперь приоритет высокий,"
        f" срок {due}: пользователь (Ann) просит срочно."
    )


async def test_of_two_raises_read_at_once_one_wins(world: World) -> None:
    """Two messages of urgency handled at once (two instances) both read the ticket as
    normal: only one may raise it, so the desk is told once."""
    ticket = await bare_ticket(world)
    first, second = await Ticket.get(id=ticket.id), await Ticket.get(id=ticket.id)
    policy = world.desk.queue.sla.named(ticket.sla_policy)
    assert await raise_ticket(first, "high", policy, hours=None)
    assert not await raise_ticket(second, "high", policy, hours=None)
    assert (second.priority, (await Ticket.get(id=ticket.id)).priority) == ("high", "high")


async def test_the_web_desk_lists_it_among_its_notices(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Over HTTP: a web user raises their ticket, the web desk's board shows the line, as a
    warning (red, as an SLA warning is)."""
    net = Team("net", desk="web", agents=frozenset({"web:alice"}), timezone=IT.timezone)
    teams = Teams((replace(net, shifts=IT.shifts),), "net")
    world = build_world(db_url, knowledge, teams=teams)
    world.clock.now += timedelta(hours=10)  # off duty
    async with (
        TestClient(TestServer(app_for(world))) as user,
        TestClient(TestServer(app_for(world))) as agent,
    ):
        assert "ticket" in (await say(user, "I need a human", "1"))[0]
        await say(user, "urgent!", "2")
        ticket = await Ticket.get()
        assert ticket.priority == "high" and ticket.response_due is not None
        assert (await call(agent, "POST", "/api/agent/login", {"name": "alice"}))[0] == 200
        _, board = await call(agent, "GET", "/api/agent/board")
    [raised] = [n for n in board["notices"] if n["text"].startswith("⬆️")]
    assert raised["warning"] is True  # shown as the SLA warnings are: a user says it is urgent
    due = local_time(ticket.response_due, IT.timezone)
    assert raised["text"].startswith(f"⬆️ Ticket #{ticket.id} «{UNTITLED}» now has priority high")
    assert f"due by {due}: Web visitor " in raised["text"]


async def asked_then_ticketed(world: World, language: str = "en") -> Ticket:
    """Ann asks a question, then for a person, off hours: a ticket with that subject."""
    chat = world.chat("u1", name="Ann", locale=language)
    await chat.say("my printer on floor 3 jams every page")
    await chat.say("human" if language == "en" else "позовите человека")
    await world.drain("memory", "desk")
    return await Ticket.get()


@pytest.mark.parametrize(
    ("language", "urging", "said", "sign"),
    [
        ("en", "urgent!", "I've raised your ticket's priority", "#"),
        ("ru", "срочно!!", "Повысил приоритет", "№"),
    ],
)
async def test_urgency_alone_raises_the_users_open_ticket_any_time(
    world: World, language: str, urging: str, said: str, sign: str
) -> None:
    """ "urgent!" an hour after a ticket with a subject was opened got "I couldn't find an
    answer to that": only a bare request's ticket was raised, and only while the bot waited
    for its description. Words of urgency alone raise the user's newest open ticket."""
    before = await asked_then_ticketed(world, language)
    world.clock.now += timedelta(hours=1)
    [reply] = await world.chats[0].say(urging)
    ticket = await Ticket.get()
    assert (before.priority, ticket.priority) == ("normal", "high")
    assert reply.text.startswith(said) and f"{sign}{ticket.id}**" in reply.text
    assert [n.text[:2] for n in await world.drain("memory", "desk")] == ["⬆️"]
    assert await Ticket.all().count() == 1


async def test_urgency_alone_with_nothing_open_asks_what_is_urgent(world: World) -> None:
    [reply] = await world.chat("u1", name="Ann").say("urgent!")
    assert "What is urgent?" in reply.text and "human" in reply.text
    assert not await Ticket.exists()


async def test_urgency_alone_for_a_ticket_already_that_urgent_says_how_it_stands(
    world: World,
) -> None:
    await asked_then_ticketed(world)
    await world.chats[0].say("urgent!")
    await world.drain("memory", "desk")
    [reply] = await world.chats[0].say("urgent!!")
    assert reply.text.startswith("Your ticket is already marked urgent for IT")
    assert await world.drain("memory", "desk") == []


async def test_a_russian_users_untitled_ticket_reads_in_the_desks_language(world: World) -> None:
    """The English desk read «(без темы: просили специалиста)»: the subject of no subject was
    stored in the user's language; the user reads it in theirs."""
    await bare_ticket(world, language="ru")
    await world.chats[0].say("срочно!")
    [notice] = await world.drain("memory", "desk")
    assert f"«{UNTITLED}»" in notice.text and "без темы" not in notice.text
    [listed] = await world.chats[0].say("/tickets")
    assert "«(без темы: просили специалиста)»" in listed.text


async def test_raising_a_ticket_answered_already_keeps_its_first_response_met(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """A ticket answered within its normal first-response time (picked up, then handed back)
    and raised later got the high priority's earlier first-response due time, and the report
    counted its first response as missed: a clock that has stopped is not moved."""
    world = build_world(db_url, knowledge)  # 12:00 in Moscow: the team is at work
    number = await timed_out(world)  # normal: a first response due by 16:00
    before = await Ticket.get(id=number)
    world.clock.now += timedelta(hours=2)  # 14:11: picked up (answered) in time
    assert (await take(world, "bob", number)).ok
    [card] = [i for i in await world.drain("memory", "desk") if i.handoff_id is not None][-1:]
    assert (await world.act("bob", "ticket", card.handoff_id)).ok  # handed back: open
    [reply] = await world.chats[0].say("urgent!")
    ticket = await Ticket.get(id=number)
    assert ticket.priority == "high" and reply.text.startswith("I've raised")
    assert ticket.response_due == before.response_due  # the one it met
    assert ticket.first_response_at is not None
    assert ticket.first_response_at <= ticket.response_due
    assert ticket.resolve_due < before.resolve_due  # the clock still running comes closer
