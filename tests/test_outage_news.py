"""A user whose outage report joined a colleague's (`bot/handoff/outages.py`) writes again
while the outage is open: asking after it, or saying it is still down, they hear where it
stands (not a KB miss, not an offer of a person); an agent who has the first report reads a
"still down"; any other question is the bot's, as before."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config_tables import OfficeSettings
from bot.handoff import DeskAction
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, User
from tests.handoff_support import WEB_TEAMS, World, agent, build_world

OFFICES = (OfficeSettings(name="Berlin", timezone="Europe/Berlin"),)


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, offices=OFFICES)


async def _joined(world: World, report: str = "the whole office is without email") -> Handoff:
    """Ann reports the office's mail down, Bob reports it too (`report`, in its language: the
    one he is answered in) and joins her report: hers."""
    for user, name in (("u1", "Ann"), ("u2", "Bob")):
        await world.chat(user, name=name).say("hello")
        await User.filter(external_id=user).update(office="Berlin")
    await world.chat("u1", name="Ann").say("email is down for everyone here")
    await world.drain("memory", "desk")  # its card, before what is said under it
    await world.chat("u2", name="Bob").say(report)
    assert await Handoff.filter(linked_to_id__isnull=False).count() == 1
    first = await Handoff.get(linked_to_id=None, reason="outage")
    for chat in ("desk", "u1", "u2"):
        await world.drain("memory", chat)
    return first


ENGLISH, RUSSIAN = "the whole office is without email", "почта не работает у всех"


@pytest.mark.parametrize(
    ("report", "said", "told"),
    [
        (ENGLISH, "any news?", "The outage you reported is not resolved yet"),
        (RUSSIAN, "есть новости?", "Сбой, о котором вы сообщили, ещё не устранён"),
        (ENGLISH, "still down", "The outage you reported is not resolved yet"),
        (RUSSIAN, "почта так и не работает", "Сбой, о котором вы сообщили, ещё не устранён"),
    ],
)
async def test_a_joined_user_asking_after_the_outage_hears_where_it_stands(
    world: World, report: str, said: str, told: str
) -> None:
    await _joined(world, report)
    [reply] = await world.chat("u2", name="Bob").say(said)
    assert told in reply.text and "**1**" in reply.text  # its place in the queue
    assert not reply.buttons  # no "did you mean", no offer of a person
    assert await world.drain("memory", "desk") == []  # nobody has it: its card names Bob
    assert await Handoff.filter(reason="outage").count() == 2


async def test_still_down_reaches_the_agent_who_has_the_first_report(world: World) -> None:
    first = await _joined(world)
    assert (await world.act("bob", "claim", first.id)).ok
    await world.drain("memory", "desk")
    [reply] = await world.chat("u2", name="Bob").say("still no email here")
    assert "someone from IT is on it" in reply.text
    [relay] = await world.drain("memory", "desk")
    assert relay.handoff_id == first.id
    assert "Bob (#2) writes about the same outage" in relay.text
    assert "still no email here" in relay.text
    [reply] = await world.chat("u2", name="Bob").say("any news?")  # asks: nothing to relay
    assert "someone from IT is on it" in reply.text
    assert await world.drain("memory", "desk") == []


async def test_a_joined_user_s_other_questions_are_the_bot_s(world: World) -> None:
    await _joined(world)
    [reply] = await world.chat("u2", name="Bob").say("how do I reset my password?")
    assert "Forgot your password" in reply.text
    [reply] = await world.chat("u2", name="Bob").say("принтер всё ещё не печатает")
    assert "не устранён" not in reply.text  # another thing: not the outage's news
    assert await world.drain("memory", "desk") == []


async def test_after_the_outage_is_closed_news_is_no_longer_told(world: World) -> None:
    first = await _joined(world)
    assert (await world.act("bob", "claim", first.id)).ok
    assert (await world.act("bob", "close", first.id)).ok
    [reply] = await world.chat("u2", name="Bob").say("any news?")
    assert "not resolved yet" not in reply.text


async def test_still_down_shows_in_the_web_desk_thread(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """The web desk shows a card's thread from the transcript, not the outbox: the line is
    there, among the agents' notes."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS, offices=OFFICES)
    first = await _joined(world)
    alice = agent("alice", "web")
    assert (await world.desk.act(alice, DeskAction("claim", first.id))).ok
    await world.chat("u2", name="Bob").say("still no email here")
    [card] = [c for c in (await world.desk.board(alice)).cards if c.id == first.id]
    [line] = [line for line in card.lines if "still no email here" in line.text]
    assert line.direction == "note" and "Bob (#2) writes about the same outage" in line.text


async def test_still_down_reaches_the_agent_who_picked_up_the_first_ticket(world: World) -> None:
    """Off duty the first report became a ticket; in the morning an agent picks it up (a new
    request of the ticket's, theirs): a "still down" reaches them under it."""
    world.clock.now = world.clock.now.replace(hour=20)  # 23:00 in Moscow: nobody on duty
    first = await _joined(world)
    assert first.ticket_id is not None
    world.clock.now += timedelta(hours=12)  # the morning: the team is back
    taken = await world.desk.act(agent("bob"), DeskAction("take", 0, ticket_id=first.ticket_id))
    assert taken.ok
    chat = await Handoff.get(ticket_id=first.ticket_id, status="claimed")
    await world.drain("memory", "desk")
    await world.chat("u2", name="Bob").say("still no email here")
    [relay] = await world.drain("memory", "desk")
    assert relay.handoff_id == chat.id
    assert "Bob (#2) writes about the same outage" in relay.text
