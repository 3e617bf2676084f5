"""Agents set the priority of a request (in its thread) or of a ticket (by its number): a
request wrongly read as an urgent outage goes back in the queue, one the agent sees is an
emergency moves up; a ticket's due times follow its new priority. The user hears of it only
when it goes up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff.desk_port import DeskAction
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import Handoff, Ticket
from tests.handoff_support import World, agent, build_world

PHRASES = load_phrases()
OUTAGE = "now nobody in the office can log in at all"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def _queue_of_three(world: World) -> list[int]:
    """u1 and u2 ask for a person; u3 reports an "outage" and jumps ahead of them."""
    for user, text in (("u1", "human"), ("u2", "operator"), ("u3", OUTAGE)):
        await world.chat(user).say(text)
    for user in ("u1", "u2", "u3", "desk"):
        await world.drain("memory", user)
    ids = [h.id for h in await Handoff.all().order_by("id")]
    assert (await Handoff.get(id=ids[2])).priority == "urgent"
    return ids


async def test_an_agent_lowers_a_wrong_outage_and_those_it_passed_are_told(world: World) -> None:
    *_, third = await _queue_of_three(world)
    done = await world.act("bob", "priority", third, text="normal")
    assert done.ok
    assert done.text == f"Request #{third}: priority set to normal by bob (was 🔴 URGENT)."
    assert (await Handoff.get(id=third)).priority == "normal"
    [one] = await world.drain("memory", "u1")
    [two] = await world.drain("memory", "u2")
    assert "number **1**" in one.text and "number **2**" in two.text
    assert await world.drain("memory", "u3") == []  # lowered: nothing to tell the user
    items = await world.drain("memory", "desk")
    assert [i.text for i in items if i.kind == "notice"] == [done.text]
    [edit] = [item for item in items if item.kind == "card_edit"]
    assert edit.handoff_id == third and "priority normal" in edit.text
    assert [b.key for b in edit.buttons] == [f"handoff:claim:{third}"]
    [where] = await world.chats[2].say("anyone there?")
    assert "number **3**" in where.text


async def test_an_agent_raises_a_request_and_its_user_is_told(world: World) -> None:
    _, second, _ = await _queue_of_three(world)
    assert (await world.act("carol", "priority", second, text="URGENT")).ok
    [told] = await world.drain("memory", "u2")
    assert told.text == (
        "IT has raised your request's priority: **urgent**."
        " You are now number **1** in the queue, about 5 min to wait."
    )  # as urgent as the outage, and asked before it
    [one] = await world.drain("memory", "u1")
    [three] = await world.drain("memory", "u3")
    assert "number **3**" in one.text and "number **2**" in three.text


async def test_a_claimed_request_is_raised_by_any_agent_of_its_team(world: World) -> None:
    [handoff] = [await _one_waiting(world)]
    assert (await world.act("bob", "claim", handoff)).ok
    await world.drain("memory", "u1")
    done = await world.act("carol", "priority", handoff, text="high")
    assert done.ok and (await Handoff.get(id=handoff)).priority == "high"
    [told] = await world.drain("memory", "u1")
    assert told.text == "IT has raised your request's priority: **high**."


async def _one_waiting(world: World) -> int:
    await world.chat("u1").say("human")
    await world.drain("memory", "desk")
    return (await Handoff.get()).id


@pytest.mark.parametrize(
    ("who", "level", "refusal"),
    [
        ("bob", "banana", "Give the priority: low, normal, high or urgent"),
        ("bob", "", "Give the priority: low, normal, high or urgent"),
        ("bob", "normal", "already has priority normal"),
        ("dave", "high", "You are not an agent of the team that owns this request"),
    ],
)
async def test_a_wrong_level_or_agent_is_refused(
    world: World, who: str, level: str, refusal: str
) -> None:
    handoff = await _one_waiting(world)
    refused = await world.act(who, "priority", handoff, text=level)
    assert not refused.ok and refusal in refused.text
    assert (await Handoff.get(id=handoff)).priority == "normal"


async def test_a_russian_desk_takes_russian_words(db_url: str, knowledge: KnowledgeBase) -> None:
    world = build_world(db_url, knowledge, desk_language="ru")
    handoff = await _one_waiting(world)
    done = await world.act("bob", "priority", handoff, text="Срочный")
    assert done.text == f"Запрос #{handoff}: приоритет 🔴 СРОЧНО (bob; был обычный)."
    assert (await Handoff.get(id=handoff)).priority == "urgent"


async def _ticket(world: World) -> Ticket:
    """Ann asks for a person off hours: a ticket of normal priority."""
    world.clock.now += timedelta(hours=10)  # 22:00 in Moscow: the "it" team is off duty
    chat = world.chat("u1", name="Ann")
    await chat.say("my printer on floor 3 jams every page")
    await chat.say("human")
    await world.drain("memory", "desk")
    await world.drain("memory", "u1")
    return await Ticket.get()


async def _on_ticket(world: World, who: str, number: int, level: str) -> tuple[bool, str]:
    result = await world.desk.act(
        agent(who), DeskAction("priority", 0, ticket_id=number, text=level)
    )
    return result.ok, result.text


async def test_a_ticket_raised_by_an_agent_is_due_sooner(world: World) -> None:
    before = await _ticket(world)
    ok, text = await _on_ticket(world, "bob", before.id, "urgent")
    ticket = await Ticket.get()
    assert ok and ticket.priority == "urgent"
    assert ticket.response_due is not None and before.response_due is not None
    assert ticket.response_due < before.response_due
    assert text.startswith(f"Ticket #{ticket.id} «my printer on floor 3")
    assert "priority set to 🔴 URGENT by bob (was normal), due by" in text
    [notice] = await world.drain("memory", "desk")
    assert notice.text == text and notice.handoff_id is None
    [told] = await world.drain("memory", "u1")
    assert told.text.startswith(f"IT has raised the priority of your ticket **#{ticket.id}**")
    assert told.text.endswith(": **urgent**.")


async def test_a_lowered_ticket_keeps_a_met_first_response_and_warns_again(
    world: World,
) -> None:
    ticket = await _ticket(world)
    answered = world.clock.now
    await Ticket.filter(id=ticket.id).update(first_response_at=answered, sla_alerts=0b1111)
    ok, _ = await _on_ticket(world, "bob", ticket.id, "low")
    lowered = await Ticket.get()
    assert ok and lowered.priority == "low"
    assert lowered.response_due == ticket.response_due  # met under it: stays as it was
    assert lowered.resolve_due is not None and ticket.resolve_due is not None
    assert lowered.resolve_due > ticket.resolve_due
    assert lowered.sla_alerts == 0b0011  # the resolution's warnings may come again
    assert lowered.next_alert_at == lowered.resolve_warn_at
    assert await world.drain("memory", "u1") == []  # lowered: the user is not told


@pytest.mark.parametrize(
    ("who", "number", "status", "refusal"),
    [
        ("bob", 99, "open", "There is no ticket #99."),
        ("dave", 1, "open", "Ticket #1 belongs to team it"),
        ("bob", 1, "resolved", "Ticket #1 is resolved: its priority can no longer be changed."),
        ("bob", 1, "in_progress", "Ticket #1 is being handled in request #"),
    ],
)
async def test_a_ticket_that_is_not_theirs_or_not_open_is_refused(
    world: World, who: str, number: int, status: str, refusal: str
) -> None:
    ticket = await _ticket(world)
    await Ticket.filter(id=ticket.id).update(status=status)
    ok, text = await _on_ticket(world, who, number, "high")
    assert not ok and text.startswith(refusal)
    assert (await Ticket.get()).priority == "normal"


@pytest.mark.parametrize(
    ("act", "team", "status"),
    [("close", "", "☑️ **Closed by bob**"), ("transfer", "net", "➡️ **Moved to team net** by bob")],
)
async def test_a_claimed_card_shows_its_new_priority_then_and_after(
    world: World, act: str, team: str, status: str
) -> None:
    handoff = await _one_waiting(world)
    assert (await world.act("bob", "claim", handoff)).ok
    await world.drain("memory", "desk")
    assert (await world.act("carol", "priority", handoff, text="high")).ok
    [rewrite] = [i for i in await world.drain("memory", "desk") if i.kind == "card_edit"]
    assert "priority high" in rewrite.text and "priority normal" not in rewrite.text
    assert rewrite.text.endswith("✅ **Claimed by bob**") and rewrite.buttons == ()
    assert (await world.act("bob", act, handoff, team=team)).ok
    [later] = [i for i in await world.drain("memory", "desk") if i.kind == "card_edit"]
    assert "priority high" in later.text and "Claimed by bob" not in later.text
    assert later.text.endswith(status)


async def test_a_raised_request_near_the_end_of_the_teams_hours_is_told_when_they_end(
    world: World,
) -> None:
    """At 17:57 the second in the queue is raised to number 1 ("about 5 min"): told when the
    team's hours end, as when queued; the one it passed (number 2, "about 10 min") too."""
    world.clock.now += timedelta(hours=5, minutes=57)  # 17:57 in Moscow
    await world.chat("u1").say("human please")
    await world.chat("u2").say("operator")
    for user in ("u1", "u2"):
        await world.drain("memory", user)
    second = await Handoff.get(conversation__chat_id="u2")
    assert (await world.act("bob", "priority", second.id, text="urgent")).ok
    end = PHRASES.get("en", "handoff_queued_hours_end", end="18:00 today (Europe/Moscow)")
    [raised] = await world.drain("memory", "u2")
    assert raised.text == "\n".join(
        [
            PHRASES.get(
                "en", "handoff_priority_raised_waiting", priority="urgent", place=1, minutes=5
            ),
            end,
        ]
    )
    [moved] = await world.drain("memory", "u1")
    assert moved.text == "\n".join([PHRASES.get("en", "handoff_place", place=2, minutes=10), end])
