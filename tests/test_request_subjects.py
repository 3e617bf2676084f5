"""A ticket's subject when the user asks for a person: what their message says besides the
request; for a bare request, their earlier question, else what they describe next (the bot
asks); only with nothing at all, a neutral "(no subject: asked for a person)"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.handoff import expire_overdue
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import Handoff, Ticket
from tests.handoff_support import World, build_world

PHRASES = load_phrases().without_desk()


@pytest.fixture
def chat(engine: Engine) -> MemoryChat:
    return MemoryChat(engine.handle)


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


@pytest.mark.parametrize(
    ("said", "subject"),
    [
        ("the plotter jams, human please", "the plotter jams"),
        ("оператор, у меня не работает удалёнка", "у меня не работает удалёнка"),
        ("my vpn is broken, I want a human", "my vpn is broken"),
    ],
)
async def test_the_subject_is_the_message_without_the_request(
    chat: MemoryChat, said: str, subject: str
) -> None:
    [opened] = await chat.say(said)
    ticket = await Ticket.get()
    assert (ticket.subject, ticket.description) == (subject, subject)
    assert PHRASES.get("en", "describe_ticket") not in opened.text  # nothing to ask


async def test_a_bare_request_takes_the_earlier_question(chat: MemoryChat) -> None:
    await chat.say("vpn keeps dropping")
    await chat.say("can I talk to a real person pls")
    assert (await Ticket.get()).subject == "vpn keeps dropping"


@pytest.mark.parametrize(
    ("language", "bare", "problem"),
    [
        ("en", "can I talk to a real person pls", "the plotter jams on every page"),
        ("ru", "позовите человека, пожалуйста", "плоттер зажёвывает бумагу"),
    ],
)
async def test_a_bare_request_asks_and_takes_what_the_user_describes_next(
    chat: MemoryChat, language: str, bare: str, problem: str
) -> None:
    [opened] = await chat.say(bare)
    ticket = await Ticket.get()
    assert ticket.subject == ""  # none yet: each reader reads "(no subject…)" in their words
    assert opened.text.endswith(PHRASES.get(language, "describe_ticket"))
    [listed] = await chat.say("/tickets")  # not a description: the wait goes on
    assert PHRASES.get(language, "no_subject_person") in listed.text
    await chat.say("срочно!" if language == "ru" else "urgent!")  # nor is this
    assert (await Ticket.get()).subject == ""
    [added, *_] = await chat.say(problem)
    assert added.text == PHRASES.get(language, "ticket_described", number=ticket.id)
    ticket = await Ticket.get()
    assert (ticket.subject, ticket.description) == (problem, problem)
    await chat.say("the printer jams too")  # asked once: now a question again
    assert (await Ticket.get()).subject == problem


@pytest.mark.parametrize("said", ["не помогло, позовите человека", "didn't help, human please"])
async def test_didnt_help_with_a_request_takes_the_question_that_was_not_helped(
    chat: MemoryChat, said: str
) -> None:
    """The ticket was titled "не помогло": what happened, not what the problem is."""
    await chat.say("vpn keeps dropping")
    await chat.say(said)
    assert (await Ticket.get()).subject == "vpn keeps dropping"


async def test_with_nothing_described_the_subject_stays_neutral(chat: MemoryChat) -> None:
    await chat.say("human")
    await chat.say("/cancel")
    await chat.say("vpn keeps dropping")
    assert (await Ticket.get()).subject == ""
    [listed] = await chat.say("/tickets")
    assert "«(no subject: asked for a person)»" in listed.text


async def test_a_queued_bare_request_takes_what_the_user_writes_while_waiting(
    world: World,
) -> None:
    """With agents on duty: the card says there is no subject yet; the user's next message
    (relayed as always) becomes the request's question, the card is rewritten with it, and
    a ticket made of the request later has it as its subject."""
    user = world.chat("u1")
    [queued] = await user.say("human")
    assert queued.text.endswith(load_phrases().get("en", "describe_queued"))
    [card] = await world.drain("memory", "desk")
    assert "(no subject: asked for a person)" in card.text
    await user.say("anyone there?")  # says nothing of the problem: relayed only
    assert (await Handoff.get()).question == ""
    assert [item.kind for item in await world.drain("memory", "desk")] == ["relay"]
    await user.say("my screen flickers since the update")
    assert (await Handoff.get()).question == "my screen flickers since the update"
    desk = await world.drain("memory", "desk")
    edits = [item for item in desk if item.kind == "card_edit"]
    assert edits and "\n\nmy screen flickers since the update\n\n" in edits[-1].text
    await user.say("and it is getting worse")  # the question is set: only relayed
    assert (await Handoff.get()).question == "my screen flickers since the update"
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    assert (await Ticket.get()).subject == "my screen flickers since the update"


async def test_what_the_request_says_wins_over_the_earlier_question(chat: MemoryChat) -> None:
    await chat.say("vpn keeps dropping")
    await chat.say("the plotter jams too, human please")
    assert (await Ticket.get()).subject == "the plotter jams too"


@pytest.mark.parametrize("how", ["agent", "timeout"])
async def test_a_bare_request_made_a_ticket_before_the_user_said_more_takes_their_next_words(
    world: World, how: str
) -> None:
    """The bot asked what the problem is, then an agent turned the waiting request into a
    ticket (or nobody claimed it in time) before the user answered: the answer went to the KB
    as a new question and the ticket kept "(no subject: asked for a person)"."""
    user = world.chat("u1")
    await user.say("human")
    handoff = await Handoff.get()
    if how == "agent":
        assert (await world.act("bob", "ticket", handoff.id)).ok
    else:
        world.clock.now += timedelta(minutes=11)
        assert await expire_overdue(world.desk.queue) == 1
    ticket = await Ticket.get()
    assert ticket.subject == ""  # "(no subject: asked for a person)" to whoever reads it
    [added, *_] = await user.say("my monitor flickers since the update")
    assert added.text == PHRASES.get("en", "ticket_described", number=ticket.id)
    ticket = await Ticket.get()
    assert (ticket.subject, ticket.description) == (
        "my monitor flickers since the update",
        "my monitor flickers since the update",
    )
