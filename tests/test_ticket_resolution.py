"""Ending a ticket without a chat: an agent of its team resolves it with a note, and its user
rates the help."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.handoff import DeskAction, DeskResult, escalate_due
from bot.handoff.ticketed import to_ticket
from bot.knowledge.base import KnowledgeBase
from bot.messages import Reply
from bot.phrases import load_phrases
from bot.storage import repo
from bot.storage.models import (
    Conversation,
    Handoff,
    Ticket,
    TranscriptMessage,
    UnansweredQuestion,
)
from tests.handoff_support import World, agent, build_world
from tests.test_handoff_pickup import take, timed_out
from tests.test_sla_escalation import policies

NOTE = "Your VPN certificate was renewed:\nreconnect and it works."
PHRASES = load_phrases()


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
        f"☑️ Ticket #{number} «my vpn is broken» resolved by bob: "
        "Your VPN certificate was renewed: reconnect and it works."  # one line on the desk
    )
    ticket = await Ticket.get(id=number)
    assert ticket.status == "resolved"
    assert ticket.resolved_at == ticket.first_response_at == world.clock.now
    assert ticket.next_alert_at is None

    [told] = await world.drain("memory", "u1")
    assert told.text == (
        f"Your ticket **#{number}** «my vpn is broken» is resolved: {NOTE}"
        "\n\nHow was the help? Rate it from 1 (poor) to 5 (excellent):"
    )
    assert [b.label for b in told.buttons] == ["1", "2", "3", "4", "5", "Still not solved"]
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


async def test_the_user_rates_a_ticket_resolved_without_a_chat_once(world: World) -> None:
    """The help was the note: the user rates it as they would an agent's chat, and the score
    is kept on the ticket with who resolved it; a second press or a typed score changes
    nothing."""
    number = await timed_out(world)
    assert (await resolve(world, "bob", number)).ok
    [told] = await world.drain("memory", "u1")
    resolved = Reply(told.text, told.buttons)
    chat = world.chats[0]
    [thanks] = await chat.press("4", among=[resolved])
    assert thanks.text == PHRASES.get("en", "rated")
    ticket = await Ticket.get(id=number)
    assert (ticket.rating, ticket.resolved_by) == (4, "memory:bob")
    assert ticket.rated_at is not None
    [again] = await chat.press("1", among=[resolved])
    assert again.text == PHRASES.get("en", "button_used")
    [typed] = await chat.say("2")
    assert typed.text == PHRASES.get("en", "rated_again")
    assert (await Ticket.get(id=number)).rating == 4
    assert not await Handoff.filter(rating__isnull=False).exists()  # no chat was rated


async def test_only_the_users_own_resolved_ticket_is_rated(world: World) -> None:
    """Another user's press is refused; a withdrawn ticket (nobody helped) is not rated."""
    number = await timed_out(world)
    assert (await resolve(world, "bob", number)).ok
    [told] = await world.drain("memory", "u1")
    [refused] = await world.chat("u2").press("3", among=[Reply(told.text, told.buttons)])
    assert refused.text == PHRASES.get("en", "button_unknown")
    assert (await Ticket.get(id=number)).rating is None
    withdrawn = await timed_out(world, "u3")
    await Ticket.filter(id=withdrawn).update(status="withdrawn")
    conversation = await Conversation.get(chat_id="u3")
    assert not await repo.rate_ticket(conversation, withdrawn, 5)
    assert (await Ticket.get(id=withdrawn)).rating is None


async def test_the_user_is_told_and_rates_in_their_language(world: World) -> None:
    """The user types the score rather than press it: it is the rating, not a question."""
    chat = world.chat("u2", name="Аня")
    await chat.say("не работает впн, позовите оператора")
    handoff = await Handoff.get(conversation__chat_id="u2")
    ticket = await to_ticket(world.desk.queue, handoff, "timeout")
    await world.drain("memory", "u2")
    assert (await resolve(world, "bob", ticket.id, "Сертификат обновлён")).ok
    [told] = await world.drain("memory", "u2")
    assert told.text.startswith(f"Ваша заявка **№{ticket.id}** «не работает впн")
    assert told.text.endswith(
        "решена: Сертификат обновлён\n\nОцените, пожалуйста, помощь: от 1 (плохо) до 5 (отлично)."
    )
    [thanks] = await chat.say("5")
    assert thanks.text == PHRASES.get("ru", "rated")
    assert (await Ticket.get(id=ticket.id)).rating == 5
    assert not await UnansweredQuestion.exists()


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


async def test_a_low_rating_and_what_went_wrong_reach_the_teams_desk(world: World) -> None:
    """As after a chat: one line at the top of the team's desk when the user rates it, one
    more once they said what went wrong, with the score and their words (a secret in them
    redacted)."""
    number = await timed_out(world)
    assert (await resolve(world, "bob", number)).ok
    [told] = await world.drain("memory", "u1")
    await world.drain("memory", "desk")
    chat = world.chats[0]
    [asked] = await chat.press("1", among=[Reply(told.text, told.buttons)])
    assert asked.text == PHRASES.get("en", "rated_low")
    [rated] = await world.drain("memory", "desk")  # at once: what went wrong may not come
    assert rated.text == (
        f"👎 Ticket #{number} «my vpn is broken» (resolved by bob) rated 1 of 5 by Ann."
    )
    [kept] = await chat.say("it came back in an hour, pin 4321, again")
    assert kept.text == PHRASES.get("en", "rating_comment_kept")
    [line] = await world.drain("memory", "desk")
    assert line.text == (
        f"👎 Ticket #{number} «my vpn is broken» (resolved by bob) rated 1 of 5 by Ann: "
        "«it came back in an hour, pin \\[redacted\\], again»"  # Markdown
    )
    assert line.thread is None and line.handoff_id is None
