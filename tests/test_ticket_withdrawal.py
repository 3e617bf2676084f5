"""Users withdraw their own open tickets from their ticket list, after saying yes to "Withdraw
ticket #N?"; the team's desk is told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.handoff import DeskAction, escalate_due
from bot.handoff.port import Withdrawal
from bot.knowledge.base import KnowledgeBase
from bot.service_text import format_report
from bot.storage import reports
from bot.storage.models import Conversation, Ticket, User
from bot.turns import Decision, State
from tests.handoff_support import NOON, World, agent, build_world
from tests.test_handoff_pickup import take, timed_out
from tests.test_sla_escalation import policies

UNTITLED = "(no subject: asked for a person)"  # a bare request's subject
SUBJECT = "my vpn is broken"  # said with "I want a human"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, sla=policies())


async def test_a_user_withdraws_an_open_ticket_from_their_list(world: World) -> None:
    number = await timed_out(world)
    user = world.chats[0]
    [listed] = await user.say("my tickets")
    assert [b.label for b in listed.buttons] == [f"Withdraw #{number}"]
    [asked] = await user.press(f"Withdraw #{number}")
    assert asked.text == f"Withdraw ticket **#{number}** «{SUBJECT}»? IT will stop working on it."
    assert [b.label for b in asked.buttons] == ["Yes, withdraw", "Keep it"]
    assert (await Ticket.get(id=number)).status == "open"  # not yet
    [done] = await user.press("Yes, withdraw")
    assert done.text.startswith(f"Ticket **#{number}** «{SUBJECT}» is withdrawn.")
    ticket = await Ticket.get(id=number)
    assert (ticket.status, ticket.next_alert_at, ticket.resolved_at) == ("withdrawn", None, None)
    [notice] = await world.drain("memory", "desk")
    assert notice.text == f"✖️ Ann withdrew ticket #{number} «{SUBJECT}»."
    assert notice.thread is None and notice.handoff_id is None  # at the top of the desk

    world.clock.now += timedelta(days=3)  # past both due times: nothing to warn of
    assert await escalate_due(world.desk.queue) == 0
    assert await world.desk.tickets(agent("bob")) == []
    taken = await take(world, "bob", number)
    assert not taken.ok and "withdrawn" in taken.text
    resolve = DeskAction("resolve", 0, ticket_id=number, text="done")
    refused = await world.desk.act(agent("bob"), resolve)
    assert not refused.ok and refused.text.startswith(f"Ticket #{number} was withdrawn by its user")
    [listed] = await user.say("/tickets")
    assert listed.text.splitlines()[1] == f"**#{number}** «{SUBJECT}»: withdrawn by you."
    assert listed.buttons == ()


async def test_keep_it_keeps_the_ticket(world: World) -> None:
    number = await timed_out(world)
    user = world.chats[0]
    [listed] = await user.say("мои заявки")
    [asked] = await user.press(f"Отозвать №{number}", among=[listed])
    assert asked.text.startswith(f"Отозвать заявку **№{number}** «{SUBJECT}»?")
    assert [b.label for b in asked.buttons] == ["Да, отозвать", "Оставить"]
    [kept] = await user.press("Оставить", among=[asked])
    assert kept.text == f"Хорошо, заявка **№{number}** остаётся как есть."
    [again] = await user.press("Да, отозвать", among=[asked])  # the question's buttons are used
    assert "уже нажата" in again.text
    ticket = await Ticket.get(id=number)
    assert (ticket.status, ticket.next_alert_at is not None) == ("open", True)
    assert await world.drain("memory", "desk") == []  # nothing for the desk


async def test_a_ticket_resolved_while_the_user_was_asked_stays_resolved(world: World) -> None:
    number = await timed_out(world)
    user = world.chats[0]
    await user.say("/tickets")
    [asked] = await user.press(f"Withdraw #{number}")
    resolve = DeskAction("resolve", 0, ticket_id=number, text="Certificate renewed")
    assert (await world.desk.act(agent("bob"), resolve)).ok
    await world.drain("memory", "desk")
    [late] = await user.press("Yes, withdraw", among=[asked])
    assert late.text.startswith(f"Ticket **#{number}** «{SUBJECT}» was not withdrawn: IT has")
    assert (await Ticket.get(id=number)).status == "resolved"
    assert await world.drain("memory", "desk") == []


async def test_only_open_tickets_have_the_button(world: World) -> None:
    first = await timed_out(world)
    assert (await take(world, "bob", first)).ok
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    assert (await world.act("bob", "close", card.handoff_id)).ok  # resolved in the chat
    second = await timed_out(world)
    [listed] = await world.chats[0].say("/tickets")
    assert [b.label for b in listed.buttons] == [f"Withdraw #{second}", f"Reopen #{first}"]


async def test_a_ticket_resolved_after_the_list_was_shown_stays_resolved(world: World) -> None:
    number = await timed_out(world)
    user = world.chats[0]
    [listed] = await user.say("мои заявки")  # in Russian now
    assert [b.label for b in listed.buttons] == [f"Отозвать №{number}"]
    resolve = DeskAction("resolve", 0, ticket_id=number, text="Сертификат обновлён")
    assert (await world.desk.act(agent("bob"), resolve)).ok
    await world.drain("memory", "desk")
    [late] = await user.press(0, among=[listed])
    assert late.text.startswith(f"Заявка **№{number}** «{SUBJECT}» не отозвана: IT уже решил")
    assert (await Ticket.get(id=number)).status == "resolved"
    assert await world.drain("memory", "desk") == []  # nothing for the desk


async def test_a_ticket_in_a_chat_or_someone_elses_is_not_withdrawn(world: World) -> None:
    number = await timed_out(world)
    other = await User.create(platform="memory", workspace="test", external_id="u9")
    port = world.engine.effects.handoff
    assert await port.withdraw(other.id, number) == Withdrawal(number)  # not theirs: unknown
    assert (await take(world, "bob", number)).ok  # in a chat with bob now
    # The user's presses go to bob while the chat lasts; a press that raced the pick-up:
    conversation = await Conversation.get(chat_id="u1").prefetch_related("user")
    asked = Decision((), State(), confirm_withdraw=number)
    [first] = await world.engine.effects.apply(conversation, asked)
    assert first.text.startswith(f"Ticket **#{number}** was not withdrawn: someone from IT")
    assert first.buttons == ()  # not asked: it cannot be withdrawn
    pressed = Decision((), State(), withdraw=number)
    [told] = await world.engine.effects.apply(conversation, pressed)
    assert told.text.startswith(f"Ticket **#{number}** was not withdrawn: someone from IT")
    assert (await Ticket.get(id=number)).status == "in_progress"


async def test_without_teams_a_ticket_is_withdrawn_too(engine: Engine) -> None:
    chat = MemoryChat(engine.handle)
    await chat.say("human please")
    [listed] = await chat.say("my tickets")
    number = (await Ticket.get()).id
    await chat.press(f"Withdraw #{number}")
    [done] = await chat.press("Yes, withdraw")
    assert done.text.startswith(f"Ticket **#{number}** «{UNTITLED}» is withdrawn.")
    assert (await Ticket.get()).status == "withdrawn"
    [again] = await chat.press(0, among=[listed])  # the list's button says how it stands
    assert "is already withdrawn: you withdrew it earlier" in again.text


async def test_the_report_leaves_withdrawn_tickets_out_of_the_sla(world: World) -> None:
    withdrawn = await timed_out(world, "u1")
    await timed_out(world, "u2")  # still open, and overdue below
    [listed] = await world.chats[0].say("/tickets")
    await world.chats[0].press(f"Withdraw #{withdrawn}", among=[listed])
    await world.chats[0].press("Yes, withdraw")
    since = NOON - timedelta(days=1)
    tickets = await reports.tickets_since(since)
    text = format_report([], tickets, since=since, now=NOON + timedelta(days=5), language="en")
    opened = "tickets opened: 2 (normal 2); now open 1, in progress 0, resolved 0, withdrawn 1"
    assert opened in text
    lines = {line[:28].strip(): " ".join(line[28:].split()) for line in text.splitlines()}
    once = "met 0, missed 1 (0%), pending 0"
    assert lines["all tickets"] == f"1 {once} {once}"  # the open one only: late twice


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Ticket **#{n}** «{s}» was not withdrawn: IT has already resolved it."),
        ("ru", "Заявка **№{n}** «{s}» не отозвана: IT уже решил её."),
    ],
)
async def test_a_withdraw_button_pressed_after_it_was_resolved_says_nothing_was_withdrawn(
    world: World, language: str, said: str
) -> None:
    """The list's button, pressed once an agent resolved the ticket: the user reads that
    nothing was withdrawn, and why (not a bare "already resolved", which reads as if the
    press had done something)."""
    number = await timed_out(world)
    user = world.chats[0]
    await user.say(f"/lang {language}")
    [listed] = await user.say("/tickets")
    resolve = DeskAction("resolve", 0, ticket_id=number, text="Certificate renewed")
    assert (await world.desk.act(agent("bob"), resolve)).ok
    [late] = await user.press(0, among=[listed])
    assert late.text.startswith(said.format(n=number, s=SUBJECT)), late.text
    assert late.buttons == ()
    assert (await Ticket.get(id=number)).status == "resolved"


async def test_each_withdraw_button_of_a_list_tells_how_its_ticket_stands(world: World) -> None:
    """A list with two open tickets: after withdrawing the first, the second's button (same
    list; after /cancel, or under an older list too) still asks about the second, not
    "already used"; the first's, pressed again, says it is withdrawn already."""
    first, second = await timed_out(world), await timed_out(world)
    user = world.chats[0]
    [older] = await user.say("/tickets")
    [listed] = await user.say("/tickets")
    await user.press(f"Withdraw #{first}", among=[listed])
    [done] = await user.press("Yes, withdraw")
    assert "is withdrawn" in done.text
    await user.say("/cancel")
    [asked] = await user.press(f"Withdraw #{second}", among=[listed])
    assert asked.text.startswith(f"Withdraw ticket **#{second}**")
    assert [b.label for b in asked.buttons] == ["Yes, withdraw", "Keep it"]
    [again] = await user.press(f"Withdraw #{first}", among=[older])
    assert again.text.startswith(f"Ticket **#{first}** «{SUBJECT}» is already withdrawn")
    assert (await Ticket.get(id=second)).status == "open"


@pytest.mark.parametrize(
    ("reopen_days", "later", "reopen"), [(7, 0, True), (0, 0, False), (7, 8, False)]
)
async def test_a_resolved_ticket_not_withdrawn_is_offered_to_reopen_only_if_it_can_be(
    db_url: str, knowledge: KnowledgeBase, reopen_days: int, later: int, reopen: bool
) -> None:
    """With reopening off (or the window past) the user is not sent to a button they lack."""
    world = build_world(db_url, knowledge, sla=policies(), reopen_days=reopen_days)
    number = await timed_out(world)
    user = world.chats[0]
    [listed] = await user.say("/tickets")
    assert (
        await world.desk.act(agent("bob"), DeskAction("resolve", 0, ticket_id=number, text="done"))
    ).ok
    world.clock.now += timedelta(days=later)
    [late] = await user.press(f"Withdraw #{number}", among=[listed])
    assert late.text.startswith(f"Ticket **#{number}** «{SUBJECT}» was not withdrawn: IT has")
    assert ("Still not solved" in late.text, "Reopen" in late.text) == (reopen, reopen)
    assert ("just write" in late.text) is not reopen
