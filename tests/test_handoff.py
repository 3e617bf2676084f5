"""Live-agent handoff through the in-memory adapter: queue, claim, relay, close, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import DeskAction, expire_overdue
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import Handoff, OutboxMessage, Ticket, TranscriptMessage
from tests.handoff_support import World, agent, build_world

PHRASES = load_phrases()


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def queued(world: World, user_id: str = "u1") -> int:
    chat = world.chat(user_id)
    replies = await chat.say("human")
    assert "number **" in replies[0].text, replies[0].text
    handoff = await Handoff.filter(conversation__chat_id=user_id).order_by("-id").first()
    assert handoff is not None
    return handoff.id


async def test_whole_flow_memory_to_memory(world: World) -> None:
    user = world.chat("u1", name="Ann")
    replies = await user.say("my vpn is broken, I want a human")
    assert "number **1**" in replies[0].text
    [card] = await world.drain("memory", "desk")
    assert card.kind == "card" and "Ann" in card.text
    assert [b.label for b in card.buttons] == ["Claim"]
    handoff_id = card.handoff_id
    assert handoff_id is not None and card.buttons[0].key == f"handoff:claim:{handoff_id}"

    claimed = await world.act("bob", "claim", handoff_id)
    assert claimed.ok and "bob" in claimed.text
    [joined] = await world.drain("memory", "u1")
    assert "bob" in joined.text

    assert await user.say("it says error 809") == []  # the bot stays quiet
    relays = await world.drain("memory", "desk")
    assert any("error 809" in r.text for r in relays)
    assert all(r.thread == f"m{card.id}-0" for r in relays)

    assert (await world.act("bob", "reply", handoff_id, text="Restart FortiClient")).ok
    [answer] = await world.drain("memory", "u1")
    assert "Restart FortiClient" in answer.text
    assert joined.thread is None and answer.thread is None  # the card's id is the desk's

    assert (await world.act("bob", "note", handoff_id, text="probably the certificate")).ok
    assert await world.drain("memory", "u1") == []  # a note is never relayed

    closed = await world.act("bob", "close", handoff_id)
    assert closed.ok
    [bye] = await world.drain("memory", "u1")
    assert "closed" in bye.text
    back = await user.say("forgot my password")
    assert back and back[0].buttons  # self-help again: a KB answer with feedback buttons


async def test_non_agents_and_forged_payloads_are_refused(world: World) -> None:
    handoff_id = await queued(world)
    refused = await world.act("mallory", "claim", handoff_id)
    assert not refused.ok and "not an agent" in refused.text
    assert not (await world.act("dave", "claim", handoff_id)).ok  # an agent of another team
    assert not (await world.act("bob", "claim", handoff_id + 999)).ok
    assert not (await world.act("bob", "explode", handoff_id)).ok
    assert not (await world.act("bob", "reply", handoff_id, text="hi")).ok  # not claimed yet
    assert (await world.act("bob", "claim", handoff_id)).ok
    taken = await world.act("carol", "claim", handoff_id)
    assert not taken.ok and "already taken by bob" in taken.text
    assert not (await world.act("carol", "reply", handoff_id, text="me too")).ok
    assert not (await world.act("carol", "close", handoff_id)).ok
    assert (await Handoff.get(id=handoff_id)).agent == "memory:bob"


async def test_place_in_queue_and_updates(world: World) -> None:
    first = await queued(world, "u1")
    second = world.chat("u2")
    replies = await second.say("operator")
    assert "number **2**" in replies[0].text
    waiting = await second.say("still there?")
    assert "number **2**" in waiting[0].text
    await world.drain("memory", "u2")
    assert (await world.act("bob", "claim", first)).ok
    [update] = await world.drain("memory", "u2")
    assert "number **1**" in update.text


async def test_everyone_behind_moves_up_one_place(world: World) -> None:
    first = await queued(world, "u1")
    await queued(world, "u2")
    await queued(world, "u3")
    await world.drain("memory", "u2")
    await world.drain("memory", "u3")
    assert (await world.act("bob", "claim", first)).ok
    [second] = await world.drain("memory", "u2")
    [third] = await world.drain("memory", "u3")
    assert "number **1**" in second.text and "number **2**" in third.text


async def test_cancel_while_waiting(world: World) -> None:
    handoff_id = await queued(world)
    [chat] = world.chats
    replies = await chat.say("/cancel")
    assert "left the queue" in replies[0].text
    assert (await Handoff.get(id=handoff_id)).status == "cancelled"
    assert not (await world.act("bob", "claim", handoff_id)).ok
    notices = await world.drain("memory", "desk")
    assert any("cancelled" in n.text for n in notices)
    assert (await chat.say("forgot my password"))[0].buttons


async def test_timeout_turns_into_ticket(world: World) -> None:
    handoff_id = await queued(world)
    queue = world.desk.queue
    world.clock.now += timedelta(minutes=9)
    assert await expire_overdue(queue) == 0
    world.clock.now += timedelta(minutes=2)
    assert await expire_overdue(queue) == 1
    handoff = await Handoff.get(id=handoff_id).prefetch_related("ticket")
    assert handoff.status == "ticketed" and handoff.ticket is not None
    [told] = await world.drain("memory", "u1")
    assert f"#{handoff.ticket.id}" in told.text
    assert any("ticket" in n.text for n in await world.drain("memory", "desk"))
    assert await expire_overdue(queue) == 0


async def test_off_hours_opens_a_ticket_with_the_start_time(world: World) -> None:
    world.clock.now += timedelta(hours=10)  # 22:00 in Moscow
    replies = await world.chat("u1").say("human")
    ticket = await Ticket.get()
    assert f"#{ticket.id}" in replies[0].text
    assert "09:00 tomorrow (Europe/Moscow)" in replies[0].text
    # The first response is due 4 working hours after work starts (normal, built-in targets).
    assert "get back to you here by 13:00 tomorrow (Europe/Moscow)" in replies[0].text
    assert (await Handoff.get()).status == "ticketed"


async def test_off_hours_a_second_request_for_a_person_opens_no_second_ticket(
    world: World,
) -> None:
    """Off hours "human" became ticket #1; "anyone there?" then opened ticket #2 (and a
    handoff, and a notice on the desk) for the same user and the same nothing."""
    world.clock.now += timedelta(hours=10)  # 22:00 in Moscow
    chat = world.chat("u1")
    await chat.say("human")
    ticket = await Ticket.get()
    [reply] = await chat.say("anyone there?")
    assert await Ticket.all().count() == 1 and await Handoff.all().count() == 1
    assert f"**#{ticket.id}** «" in reply.text
    assert "first reply by 13:00 tomorrow (Europe/Moscow)" in reply.text


async def test_off_hours_urgent_raises_the_ticket_a_bare_request_became(world: World) -> None:
    world.clock.now += timedelta(hours=10)  # 22:00 in Moscow
    chat = world.chat("u1")
    await chat.say("human")
    before = await Ticket.get()
    await chat.say("urgent!")
    ticket = await Ticket.get()
    assert (before.priority, ticket.priority) == ("normal", "high")
    assert ticket.response_due < before.response_due and ticket.next_alert_at is not None


async def test_transfer_moves_the_card(world: World) -> None:
    handoff_id = await queued(world)
    await world.drain("memory", "desk")
    assert not (await world.act("bob", "transfer", handoff_id, team="nope")).ok
    moved = await world.act("bob", "transfer", handoff_id, team="net")
    assert moved.ok
    handoff = await Handoff.get(id=handoff_id)
    assert (handoff.team, handoff.desk, handoff.status) == ("net", "web", "waiting")
    [card] = await world.drain("web", "desk:net")
    assert card.kind == "card"
    [told] = await world.drain("memory", "u1")
    assert "**net**" in told.text
    # and how long it may take there (it said the place alone, not the wait)
    assert told.text == PHRASES.get("en", "handoff_transferred", team="net", place=1, minutes=5)
    assert "about 5 min" in told.text
    assert not (await world.act("bob", "claim", handoff_id)).ok  # not bob's team any more
    assert (await world.desk.act(agent("alice", "web"), DeskAction("claim", handoff_id))).ok


async def test_a_transfer_to_a_team_off_duty_is_a_ticket_for_it_at_once(world: World) -> None:
    """The user was told "You are number 1 in the queue" of a team nobody was on duty in,
    and a ticket came seconds later by the time-out; the agent who moved it was not told."""
    handoff_id = await queued(world)
    assert (await world.act("bob", "transfer", handoff_id, team="net")).ok
    await world.drain("memory", "u1")
    world.clock.now += timedelta(hours=8, minutes=5)  # 20:05 in Moscow: "it" is off duty
    back = DeskAction("transfer", handoff_id, team="it")
    moved = await world.desk.act(agent("alice", "web"), back)
    ticket = await Ticket.get()
    assert moved.ok and f"ticket #{ticket.id}" in moved.text
    assert ((await Handoff.get(id=handoff_id)).status, ticket.team) == ("ticketed", "it")
    assert ticket.reason == "off_hours"
    told = [item.text for item in await world.drain("memory", "u1")]
    assert not any("in the queue" in text for text in told)
    assert any("09:00 tomorrow (Europe/Moscow)" in text for text in told)


async def test_a_transferred_request_waits_afresh(world: World) -> None:
    handoff_id = await queued(world)
    world.clock.now += timedelta(minutes=30)
    assert (await world.act("bob", "claim", handoff_id)).ok
    world.clock.now += timedelta(minutes=30)
    assert (await world.act("bob", "transfer", handoff_id, team="net")).ok
    handoff = await Handoff.get(id=handoff_id)
    assert (handoff.status, handoff.agent, handoff.claimed_at) == ("waiting", None, None)
    queue = world.desk.queue
    assert await queue.minutes("net", 1) == 5  # nobody at net claimed yet: the default wait
    world.clock.now += timedelta(minutes=3)
    assert (await world.desk.act(agent("alice", "web"), DeskAction("claim", handoff_id))).ok
    assert (await Handoff.get(id=handoff_id)).claimed_at == world.clock.now
    assert await queue.minutes("net", 1) == 3  # from the transfer to the new claim


async def test_agent_converts_to_ticket(world: World) -> None:
    handoff_id = await queued(world)
    assert (await world.act("bob", "claim", handoff_id)).ok
    result = await world.act("bob", "ticket", handoff_id)
    assert result.ok
    ticket = await Ticket.get()
    assert ticket.reason == "agent"
    texts = [i.text for i in await world.drain("memory", "u1")]
    assert any(f"#{ticket.id}" in t for t in texts)
    # a bare request, nothing said yet: the next words are the ticket's, and answered too
    [added, answer] = await world.chat("u1").say("forgot my password")
    assert f"#{ticket.id}" in added.text and answer.buttons
    assert (await Ticket.get()).subject == "forgot my password"


async def test_relayed_lines_are_in_the_transcript(world: World) -> None:
    handoff_id = await queued(world)
    assert (await world.act("bob", "claim", handoff_id)).ok
    await world.chats[0].say("my password is hunter2, here: password: hunter2")
    assert (await world.act("bob", "note", handoff_id, text="check AD")).ok
    lines = await TranscriptMessage.all().order_by("id").values_list("direction", "text")
    assert ("note", "bob: check AD") in lines
    relayed = " ".join(i.text for i in await world.drain("memory", "desk"))
    assert "error" not in relayed and "hunter2" not in relayed


@pytest.mark.parametrize(
    ("language", "asked", "end"),
    [
        ("en", "human", "IT's working hours end at 18:00 today (Europe/Moscow): if nobody"),
        ("ru", "позовите человека", "Рабочее время IT заканчивается в 18:00 сегодня"),
    ],
)
async def test_a_wait_past_the_end_of_the_teams_hours_is_told_so(
    world: World, language: str, asked: str, end: str
) -> None:
    """Queued at 17:57 the user was told "about 5 min", and at 18:00 their request became an
    off-hours ticket: the end of the team's hours and what then happens are said at once."""
    world.clock.now += timedelta(hours=5, minutes=50)  # 17:50 in Moscow: a 5-minute wait
    [reply] = await world.chat("u1", locale=language).say(asked)
    queued = PHRASES.get(language, "handoff_queued", place=1, minutes=5)
    assert reply.text.startswith(queued)  # over by 17:55: nothing to add
    world.clock.now += timedelta(minutes=7)  # 17:57: the second in the queue, 10 minutes
    [reply] = await world.chat("u2", locale=language).say(asked)
    assert "**2**" in reply.text and "10" in reply.text and end in reply.text


async def test_asking_where_one_is_near_the_end_of_the_teams_hours_says_when_they_end(
    world: World,
) -> None:
    """Queued at 17:50 ("about 5 min"), still waiting at 17:57 and asking "anyone there?":
    told "still number 1, about 5 min" and at 18:00 the request became a ticket unannounced."""
    world.clock.now += timedelta(hours=5, minutes=50)  # 17:50 in Moscow
    chat = world.chat("u1")
    await chat.say("human please")
    world.clock.now += timedelta(minutes=7)
    [reply] = await chat.say("anyone there?")
    assert "still number **1**" in reply.text
    assert "IT's working hours end at 18:00 today (Europe/Moscow)" in reply.text


async def test_a_place_update_near_the_end_of_the_teams_hours_says_when_they_end(
    world: World,
) -> None:
    """Queued second at 17:50, moved up to number 1 at 17:57 ("about 5 min"): the update
    says the hours end first, in the user's language, as queueing and "anyone there?" do."""
    world.clock.now += timedelta(hours=5, minutes=50)  # 17:50 in Moscow
    first, second = world.chat("u1"), world.chat("u2")
    await first.say("human please")
    await second.say("позовите человека")
    await world.drain("memory", "u2")
    world.clock.now += timedelta(minutes=7)
    await first.say("/cancel")
    [update] = await world.drain("memory", "u2")
    assert update.text.startswith(PHRASES.get("ru", "handoff_place", place=1, minutes=5))
    assert "Рабочее время IT заканчивается в 18:00" in update.text


async def test_a_place_update_well_within_the_teams_hours_says_nothing_of_them(
    world: World,
) -> None:
    first, second = world.chat("u1"), world.chat("u2")
    await first.say("human please")
    await second.say("operator")
    await world.drain("memory", "u2")
    await first.say("/cancel")
    [update] = await world.drain("memory", "u2")
    assert update.text == PHRASES.get("en", "handoff_place", place=1, minutes=5)


async def test_a_transfer_whose_wait_runs_past_the_teams_hours_is_told_so(world: World) -> None:
    """Passed to a team whose hours end before the expected wait does: said with the new
    place, as when queued."""
    world.clock.now += timedelta(hours=5, minutes=50)  # 17:50 in Moscow
    handoff_id = await queued(world)
    assert (await world.act("bob", "transfer", handoff_id, team="net")).ok  # round the clock
    told = [item.text for item in await world.drain("memory", "u1")]
    assert told == [PHRASES.get("en", "handoff_transferred", team="net", place=1, minutes=5)]
    world.clock.now += timedelta(minutes=7)  # 17:57: back to "it", 5 minutes to wait
    dave = agent("dave")
    assert (await world.desk.act(dave, DeskAction("transfer", handoff_id, team="it"))).ok
    told = [item.text for item in await world.drain("memory", "u1")]
    assert told == [  # one message, as when queued (it was two)
        PHRASES.get("en", "handoff_transferred", team="it", place=1, minutes=5)
        + "\n"
        + PHRASES.get("en", "handoff_queued_hours_end", end="18:00 today (Europe/Moscow)"),
    ]


async def test_going_off_duty_while_waiting_turns_into_ticket(world: World) -> None:
    handoff_id = await queued(world)
    world.clock.now += timedelta(hours=8, minutes=5)  # 20:05 in Moscow: off duty
    assert await expire_overdue(world.desk.queue) == 1
    handoff = await Handoff.get(id=handoff_id)
    assert (handoff.status, (await Ticket.get()).reason) == ("ticketed", "off_hours")
    [told] = await world.drain("memory", "u1")
    assert "09:00 tomorrow (Europe/Moscow)" in told.text


async def test_the_desk_is_told_plainly_why_a_request_became_a_ticket(world: World) -> None:
    """Nobody took it in time, or the team is off duty (with when it is back, in its own
    zone): each says its own reason, not one line hedging between the two."""
    say = world.desk.queue.desk_text
    first = await queued(world, "u1")
    world.clock.now += timedelta(minutes=11)  # 12:11 in Moscow: on duty, nobody claimed
    assert await expire_overdue(world.desk.queue) == 1
    second = await queued(world, "u2")
    world.clock.now += timedelta(hours=8)  # 20:11: off duty, still waiting
    assert await expire_overdue(world.desk.queue) == 1
    await world.chat("u3").say("human")  # off duty when asked
    third = (await Handoff.all().order_by("-id").first()) or Handoff()

    numbers = {h.id: h.ticket_id for h in await Handoff.all()}
    lines = [n.text for n in await world.drain("memory", "desk") if n.kind == "notice"]
    back = "2026-11-26 09:00 (Europe/Moscow)"
    assert lines == [
        say("desk_timed_out", id=first, number=numbers[first]),
        say("desk_off_duty", id=second, number=numbers[second], when=back, **ABOUT),
        say("desk_off_duty", id=third.id, number=numbers[third.id], when=back, **ABOUT),
    ]
    assert "off duty" not in lines[0] and "in time" not in lines[1]


ABOUT = {"subject": "(no subject: asked for a person)", "priority": "normal", "user": "Test User"}


async def test_an_outage_off_duty_tells_the_desk_what_and_how_urgent(world: World) -> None:
    """No card is posted off duty: the desk's one line is all it sees of the ticket, an
    alert for an urgent one (as an SLA warning is); a normal one's is a notice."""
    world.clock.now += timedelta(hours=8, minutes=5)  # 20:05 in Moscow: off duty
    await world.chat("u1").say("the whole office has no internet")
    ticket = await Ticket.get()
    [line] = [n.text for n in await world.drain("memory", "desk") if n.kind == "off_duty_alert"]
    assert line == (
        "The team is off duty until 2026-11-26 09:00 (Europe/Moscow): request #1 became "
        f"ticket #{ticket.id} «the whole office has no internet» (priority 🔴 URGENT, "
        "from Test User)."
    )


async def test_outbox_lease_retry_and_thread_lookup(world: World) -> None:
    handoff_id = await queued(world)
    [card] = await world.outbox.claim("memory", chat_id="desk")
    assert await world.outbox.claim("memory", chat_id="desk") == []  # leased to one sender
    await world.outbox.failed(card, retry_after=timedelta(seconds=30))
    world.clock.now += timedelta(seconds=31)
    [again] = await world.outbox.claim("memory", chat_id="desk")
    assert again.id == card.id
    await world.outbox.sent(again, message_id="1700000000.000100")
    assert await world.desk.thread_of("memory:desk", "1700000000.000100") == handoff_id
    assert await world.desk.thread_of("memory:desk", "nope") is None
    await world.outbox.failed(again)  # a late failure report does not undo a delivery
    assert (await OutboxMessage.get(id=card.id)).status == "sent"


async def test_the_user_is_served_in_whichever_chat_they_write(world: World) -> None:
    handoff_id = await queued(world)  # asked in chat "u1"
    assert (await world.act("bob", "claim", handoff_id)).ok
    [joined] = await world.drain("memory", "u1")
    assert joined.user == "u1"  # whom the message is for, where a chat names no one
    await world.drain("memory", "desk")
    elsewhere = world.chat("u1", chat_id="dm-u1")  # the same person, another chat
    assert await elsewhere.say("it still says error 809") == []  # not the KB: the agent
    relays = await world.drain("memory", "desk")
    assert any("error 809" in r.text for r in relays)
    assert (await world.chat("u2").say("forgot my password"))[0].buttons  # others: the KB
