"""A request's card names the user's other unresolved tickets: it may be about one of them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.telegram.markdown import render_blocks
from bot.handoff import DeskAction
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket
from tests.handoff_support import World, agent, build_world


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def _ticket(world: World, question: str) -> int:
    """The user asks `question`, then for a person; Bob turns the chat into a ticket."""
    chat = world.chat("u1")
    await chat.say(question)
    await chat.say("human")
    handoff = await Handoff.filter(status="waiting").get()
    assert (await world.act("bob", "claim", handoff.id)).ok
    assert (await world.act("bob", "ticket", handoff.id)).ok
    return (await Ticket.get(handoffs__id=handoff.id)).id


async def _cards(world: World) -> list[str]:
    return [i.text for i in await world.drain("memory", "desk") if i.kind == "card"]


async def test_a_new_request_shows_the_users_open_ticket(world: World) -> None:
    number = await _ticket(world, "the plotter on floor 3 prints blank pages")
    await _cards(world)
    await world.chats[0].say("human")
    [card] = await _cards(world)
    assert f"other tickets: #{number} «the plotter on floor 3 prints blank pages»" in card

    board = await world.desk.board(agent("bob"))
    [waiting] = [c for c in board.cards if c.status == "waiting"]
    assert waiting.other_tickets == (f"#{number} «the plotter on floor 3 prints blank pages»",)


async def test_tickets_resolved_long_ago_and_other_users_tickets_are_not_shown(
    world: World,
) -> None:
    """One resolved within the reopen window is (tests/test_ticket_reopening.py)."""
    number = await _ticket(world, "the plotter on floor 3 prints blank pages")
    taken = await world.desk.act(agent("carol"), DeskAction("take", 0, ticket_id=number))
    assert taken.ok
    own = await Handoff.filter(status="claimed").get()
    board = await world.desk.board(agent("carol"))
    assert [c.other_tickets for c in board.cards] == [()]  # its own ticket is not "other"
    assert (await world.act("carol", "close", own.id)).ok  # resolves the ticket
    await _cards(world)

    world.clock.now += timedelta(days=8)  # past the reopen window (7 days)
    await world.chats[0].say("human")
    await world.chat("u2").say("human")
    cards = await _cards(world)
    assert len(cards) == 2 and not any("other tickets" in c for c in cards)
    assert all(c.other_tickets == () for c in (await world.desk.board(agent("bob"))).cards)


async def test_a_subject_shows_on_the_card_as_its_user_wrote_it(world: World) -> None:
    """The card's line put the subject into Markdown as it was: "*" and "_" in it made
    italics on Telegram and Slack. The board shows the labels as text: they stay as written."""
    asked = "the *new* printer_on_floor_3 __prints__ blank pages"
    number = await _ticket(world, asked)
    await _cards(world)
    await world.chats[0].say("human")
    [card] = await _cards(world)

    shown = "".join(render_blocks(card))  # as Telegram shows it
    assert f"The user's other tickets: #{number} «{asked}»" in shown
    board = await world.desk.board(agent("bob"))
    [waiting] = [c for c in board.cards if c.status == "waiting"]
    assert waiting.other_tickets == (f"#{number} «{asked}»",)
