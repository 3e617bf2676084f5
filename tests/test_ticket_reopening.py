"""A user whose problem is back reopens their resolved ticket ("Still not solved", under the
resolution's notice or in their ticket list) within the reopen window: the same ticket is
open again for its team, with a new resolution due time, and their next words go into it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.memory import MemoryChat
from bot.app import build_engine, build_operator_queue
from bot.config import Settings
from bot.handoff import DbOutbox, DeskAction, escalate_due
from bot.handoff.offices import ticket_hours
from bot.handoff.resolution import resolve_by_hand
from bot.knowledge.base import KnowledgeBase
from bot.messages import Reply
from bot.phrases import load_phrases
from bot.service_json import report_json
from bot.service_text import format_report
from bot.storage import reports
from bot.storage.models import Ticket
from bot.ticket_commands import format_ticket
from tests.conftest import KB_DIR
from tests.handoff_support import IT, World, agent, build_world
from tests.test_handoff_pickup import timed_out
from tests.test_sla_escalation import policies
from tests.test_ticket_resolution import resolve

PHRASES = load_phrases()
SUBJECT = "my vpn is broken"
STILL = "Still not solved"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, sla=policies())


async def resolved(world: World, user_id: str = "u1") -> tuple[int, Reply]:
    """A ticket bob resolved without a chat, and the notice its user got."""
    number = await timed_out(world, user_id)
    assert (await resolve(world, "bob", number)).ok
    [told] = await world.drain("memory", user_id)
    await world.drain("memory", "desk")
    return number, Reply(told.text, told.buttons)


async def test_the_user_reopens_a_resolved_ticket_from_its_notice(world: World) -> None:
    number, notice = await resolved(world)
    assert [b.label for b in notice.buttons] == ["1", "2", "3", "4", "5", STILL]
    chat = world.chats[0]
    [thanks] = await chat.press("5", among=[notice])  # rated before the problem came back
    assert thanks.text == PHRASES.get("en", "rated")
    before = await Ticket.get(id=number)
    world.clock.now += timedelta(days=2)
    [asked] = await chat.press(STILL, among=[notice])
    assert asked.text == (
        f"Ticket **#{number}** «{SUBJECT}» is open again: IT will look at it once more. "
        "What is still wrong? Write it in one message."
    )
    ticket = await Ticket.get(id=number)
    assert (ticket.status, ticket.resolved_at, ticket.reopens) == ("open", None, 1)
    assert ticket.reopened_at == world.clock.now
    assert (ticket.team, ticket.priority) == (before.team, before.priority)
    assert ticket.rating == 5  # the rating of the help before stays
    assert ticket.first_response_at == before.first_response_at  # met: it stays met
    assert ticket.response_due == before.response_due
    hours = ticket_hours(None, IT.calendar)
    clocks = policies().named("test").clocks(ticket.priority, world.clock.now, hours=hours)
    assert (ticket.resolve_due, ticket.resolve_warn_at) == (clocks.resolve_due, clocks.resolve_warn)
    assert ticket.next_alert_at == clocks.resolve_warn  # its warnings count again
    [line] = await world.drain("memory", "desk")
    assert line.text.startswith(f"🔁 Ticket #{number} «{SUBJECT}» reopened by the user Ann")
    assert line.thread is None  # at the top of the desk, as other ticket events

    kept, *_ = await chat.say("still cannot connect after the reboot")  # and the KB's ideas
    assert kept.text == PHRASES.get("en", "ticket_described", number=number)
    ticket = await Ticket.get(id=number)
    assert ticket.description.endswith("\n\nstill cannot connect after the reboot")
    assert [t.number for t in await world.desk.tickets(agent("bob"))] == [number]

    [again] = await chat.press(STILL, among=[notice])  # harmless
    assert again.text.startswith(f"Ticket **#{number}** «{SUBJECT}» is open already")
    assert (await Ticket.get(id=number)).reopens == 1
    assert await world.drain("memory", "desk") == []


async def test_a_ticket_resolved_again_can_be_reopened_and_rated_again(world: World) -> None:
    """The rating given before a reopening stays until the user rates the new resolution:
    then that one counts, and what went wrong with it (a low one) is asked again."""
    number, notice = await resolved(world)
    chat = world.chats[0]
    await chat.press("1", among=[notice])
    await chat.say("it did not work at all")
    assert (await Ticket.get(id=number)).rating_comment == "it did not work at all"
    world.clock.now += timedelta(hours=2)
    await chat.press(STILL, among=[notice])
    assert (await Ticket.get(id=number)).rating == 1  # kept while it is open again
    await world.drain("memory", "desk")
    world.clock.now += timedelta(hours=1)
    assert (await resolve(world, "carol", number)).ok
    ticket = await Ticket.get(id=number)
    assert (ticket.status, ticket.resolved_at) == ("resolved", world.clock.now)
    [second] = await world.drain("memory", "u1")
    [thanks] = await chat.press("4", among=[Reply(second.text, second.buttons)])
    assert thanks.text == PHRASES.get("en", "rated")
    ticket = await Ticket.get(id=number)
    assert (ticket.rating, ticket.rating_comment, ticket.rated_at) == (4, None, world.clock.now)
    [again] = await chat.press("2", among=[Reply(second.text, second.buttons)])
    assert again.text == PHRASES.get("en", "button_used")
    await chat.press(STILL, among=[Reply(second.text, second.buttons)])
    ticket = await Ticket.get(id=number)
    assert (ticket.reopens, ticket.rating) == (2, 4)


async def test_after_the_window_the_press_explains_and_offers_to_start_anew(
    world: World,
) -> None:
    number, notice = await resolved(world)
    world.clock.now += timedelta(days=7, minutes=1)
    [late] = await world.chats[0].press(STILL, among=[notice])
    assert late.text == (
        f"Ticket **#{number}** «{SUBJECT}» was resolved too long ago to reopen. "
        "Write what is wrong now, and I will help you anew."
    )
    assert (await Ticket.get(id=number)).status == "resolved"
    assert await world.drain("memory", "desk") == []
    [listed] = await world.chats[0].say("/tickets")
    assert listed.buttons == ()  # no "Reopen" in the list either


async def test_a_withdrawn_ticket_cannot_be_reopened(world: World) -> None:
    number, notice = await resolved(world)
    await Ticket.filter(id=number).update(status="withdrawn")
    [refused] = await world.chats[0].press(STILL, among=[notice])
    assert refused.text.startswith(f"Ticket **#{number}** «{SUBJECT}» was withdrawn")
    assert "write what is wrong now" in refused.text.lower()
    assert (await Ticket.get(id=number)).status == "withdrawn"


async def test_the_ticket_list_reopens_a_recently_resolved_ticket(world: World) -> None:
    number, _ = await resolved(world)
    chat = world.chats[0]
    [listed] = await chat.say("/tickets")
    assert [b.label for b in listed.buttons] == [f"Reopen #{number}"]
    [asked] = await chat.press(f"Reopen #{number}")
    assert asked.text.startswith(f"Ticket **#{number}** «{SUBJECT}» is open again")
    assert (await Ticket.get(id=number)).status == "open"
    [listed] = await chat.say("/tickets")
    assert [b.label for b in listed.buttons] == [f"Withdraw #{number}"]


async def test_another_user_cannot_reopen_it(world: World) -> None:
    number, notice = await resolved(world)
    [refused] = await world.chat("u2").press(STILL, among=[notice])
    assert refused.text == PHRASES.get("en", "button_unknown")
    assert (await Ticket.get(id=number)).status == "resolved"


async def test_the_desk_card_names_a_recently_resolved_ticket(world: World) -> None:
    """The agent sees that the same user's problem was "fixed" yesterday."""
    number, _ = await resolved(world)
    world.clock.now += timedelta(days=1)
    await world.chats[0].say("the printer is jammed, I want a human")
    [card] = await world.drain("memory", "desk")
    assert f"#{number} «{SUBJECT}» (resolved)" in card.text
    board = await world.desk.board(agent("bob"))  # the web desk's
    assert [c.other_tickets for c in board.cards] == [(f"#{number} «{SUBJECT}» (resolved)",)]
    world.clock.now += timedelta(days=7)
    await world.chat("u1").say("/cancel")
    await world.drain("memory", "desk")
    await world.chats[0].say("the mouse is broken, I want a human")
    [card] = await world.drain("memory", "desk")
    assert "(resolved)" not in card.text  # resolved too long ago to matter


async def test_reopening_is_turned_off_with_0_days(db_url: str, knowledge: KnowledgeBase) -> None:
    world = build_world(db_url, knowledge, sla=policies(), reopen_days=0)
    _, notice = await resolved(world)
    assert [b.label for b in notice.buttons] == ["1", "2", "3", "4", "5"]
    [listed] = await world.chats[0].say("/tickets")
    assert listed.buttons == ()
    await world.chats[0].say("the printer is jammed, I want a human")
    [card] = await world.drain("memory", "desk")
    assert "(resolved)" not in card.text and "other tickets" not in card.text


async def test_with_no_desk_the_user_reopens_a_ticket_resolved_by_hand(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """`helpdesk-bot tickets resolve`, no teams: the same button, and nobody's desk told."""
    settings = Settings(database_url=db_url, kb_dir=KB_DIR, default_language="en")
    chat = MemoryChat(build_engine(settings, knowledge).handle, locale="en")
    await chat.say("my vpn is broken, I want a human")
    ticket = await Ticket.get()
    queue = build_operator_queue(settings)
    assert (await resolve_by_hand(queue, "cli:root", ticket.id, "Renewed"))[0]
    [told] = await DbOutbox().claim("memory", chat_id="u1", limit=10)
    assert told.buttons[-1].label == STILL
    [asked] = await chat.press(STILL, among=[Reply(told.text, told.buttons)])
    assert asked.text.startswith(f"Ticket **#{ticket.id}**")
    assert "is open again" in asked.text
    again = await Ticket.get()
    assert (again.status, again.reopens) == ("open", 1)
    assert again.resolve_due is not None and again.resolve_due > ticket.resolve_due


def test_the_reopen_window_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().ticket_reopen_days == 7
    monkeypatch.setenv("HELPDESK_TICKET_REOPEN_DAYS", "0")
    assert Settings().ticket_reopen_days == 0
    monkeypatch.setenv("HELPDESK_TICKET_REOPEN_DAYS", "-1")
    with pytest.raises(ValueError, match="ticket_reopen_days"):
        Settings()


async def test_the_report_counts_the_tickets_reopened_per_team(world: World) -> None:
    """A lead's quality figure: how many tickets came back in the period, per team."""
    _, notice = await resolved(world)
    second, _ = await resolved(world, "u2")
    since = world.clock.now
    await world.chats[0].press(STILL, among=[notice])
    reopened = await reports.reopened_since(since)
    assert reopened == {"it": 1}
    assert await reports.reopened_since(since + timedelta(minutes=1)) == {}
    handoffs, tickets = await reports.handoffs_since(since), await reports.tickets_since(since)
    text = format_report(
        handoffs, tickets, since=since, now=world.clock.now, reopened=reopened, language="en"
    )
    assert "tickets reopened by their users: 1 (team it 1)" in text.splitlines()
    figures = report_json(handoffs, tickets, since=since, now=world.clock.now, reopened=reopened)
    assert figures["tickets"]["reopened"] == {"all": 1, "team": {"it": 1}}
    assert (await Ticket.get(id=second)).status == "resolved"


async def test_a_reopened_ticket_is_warned_of_its_new_resolution_due_time(world: World) -> None:
    """The resolution's warnings went out before it was resolved late: they come again."""
    number = await timed_out(world)
    ticket = await Ticket.get(id=number)
    assert ticket.resolve_due is not None
    world.clock.now = ticket.resolve_due + timedelta(minutes=1)
    assert await escalate_due(world.desk.queue) > 0
    await world.drain("memory", "desk")
    assert (await Ticket.get(id=number)).sla_alerts & 12 == 12  # resolution soon, missed
    assert (await resolve(world, "bob", number)).ok
    [told] = await world.drain("memory", "u1")
    await world.drain("memory", "desk")
    await world.chats[0].press(STILL, among=[Reply(told.text, told.buttons)])
    await world.drain("memory", "desk")
    reopened = await Ticket.get(id=number)
    assert reopened.resolve_due is not None and reopened.resolve_due > world.clock.now
    assert reopened.sla_alerts & 12 == 0  # to be sent again
    world.clock.now = reopened.resolve_due + timedelta(minutes=1)
    await escalate_due(world.desk.queue)
    alerts = [item.text for item in await world.drain("memory", "desk")]
    assert any(text.startswith(f"🚨 Ticket #{number}") for text in alerts), alerts


async def test_tickets_show_says_it_was_reopened(world: World) -> None:
    """IT reading the ticket at the command line sees it came back, and when."""
    number, notice = await resolved(world)
    assert "reopened" not in format_ticket(
        await reports.ticket_view(number),
        now=world.clock.now,
        user_name="Ann",
        language="en",
    )
    await world.chats[0].press(STILL, among=[notice])
    shown = format_ticket(
        await reports.ticket_view(number), now=world.clock.now, user_name="Ann", language="en"
    )
    assert f"reopened by the user: 1 time, last {world.clock.now:%Y-%m-%d %H:%M} UTC" in shown


async def test_the_desks_list_of_open_tickets_marks_a_reopened_one(world: World) -> None:
    """An agent picking from the list sees the problem came back after a resolution."""
    number, notice = await resolved(world)
    other = await timed_out(world, "u2")
    await world.chats[0].press(STILL, among=[notice])
    cards = {card.number: card for card in await world.desk.tickets(agent("bob"))}
    assert (cards[number].reopens, cards[other].reopens) == (1, 0)
    listed = await world.desk.act(agent("bob"), DeskAction("tickets", 0))
    lines = {line.split()[0]: line for line in listed.text.splitlines()[1:]}
    assert lines[f"**#{number}**"].endswith(" · 🔁 reopened by the user (1×)")
    assert "reopened" not in lines[f"**#{other}**"]
