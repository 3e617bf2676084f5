"""Two reports of one outage at the same moment (two instances on one PostgreSQL, two turns
in flight): each looks for a first report of it before either has recorded its own, and finds
none. Exactly one of them becomes the first, with a card; the other joins it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from bot.config_tables import OfficeSettings
from bot.handoff import live, outages
from bot.handoff.port import HandoffPort, HandoffRequest
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Conversation, Handoff, User
from tests.conftest import postgres_only
from tests.handoff_support import IT, Clock, World, build_world
from tests.test_handoff_race import instance, on

OFFICES = (OfficeSettings(name="Berlin", timezone="Europe/Berlin"),)
REPORT = "email is down for everyone here"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, offices=OFFICES)


async def _in_berlin(world: World, user_id: str) -> None:
    await world.chat(user_id).say("hello")
    await User.filter(external_id=user_id).update(office="Berlin")


async def _request(world: World, user_id: str) -> HandoffRequest:
    """A report of the outage by `user_id` of the Berlin office, as a turn hands it off."""
    await _in_berlin(world, user_id)
    user = await User.get(external_id=user_id)
    conversation = await Conversation.get(chat_id=user_id)
    return HandoffRequest(
        user.id, conversation.id, REPORT, "outage", "en", priority="urgent", office="Berlin"
    )


def _both_look_first(checked: list[Handoff | None]) -> Callable[..., Awaitable[Any]]:
    """`first_report`, its first two calls held until both have returned: the two reports
    both look for a first before either records its own (later calls are not held)."""
    real, both = live.first_report, asyncio.Event()

    async def first_report(*args: Any) -> Handoff | None:
        found = await real(*args)
        if len(checked) < 2:
            checked.append(found)
            if len(checked) == 2:
                both.set()
            await both.wait()
        return found

    return first_report


async def test_two_reports_at_once_make_one_card(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests = [await _request(world, user) for user in ("u1", "u2")]
    await world.drain("memory", "desk")
    checked: list[Handoff | None] = []
    monkeypatch.setattr(live, "first_report", _both_look_first(checked))
    port: HandoffPort = world.engine.effects.handoff
    results = await asyncio.gather(*(port.hand_off(request) for request in requests))
    assert checked == [None, None]  # neither found the other: both could have been first

    reports = await Handoff.filter(reason="outage").order_by("id")
    [first] = [report for report in reports if report.linked_to_id is None]
    [joined] = [report for report in reports if report.linked_to_id is not None]
    assert (first.status, joined.status, joined.linked_to_id) == ("waiting", "linked", first.id)
    cards = [item for item in await world.drain("memory", "desk") if item.kind == "card"]
    assert [card.handoff_id for card in cards] == [first.id]
    told = {
        request.user_db_id: result.text or ""
        for request, result in zip(requests, results, strict=True)
    }
    assert "IT already knows" in told[joined.user_id]
    assert "IT already knows" not in told[first.user_id]


@postgres_only
async def test_two_instances_take_reports_of_one_outage_at_once(
    db_url: str, knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each report in its turn's transaction, on an instance of its own."""
    clock = Clock()
    one, other = (build_world(db_url, knowledge, clock, offices=OFFICES) for _ in range(2))
    for user in ("u1", "u2"):
        await _in_berlin(one, user)
    await one.drain("memory", "desk")
    checked: list[Handoff | None] = []
    monkeypatch.setattr(live, "first_report", _both_look_first(checked))
    ann, bob = one.chat("u1"), other.chat("u2")
    async with instance(db_url) as a, instance(db_url) as b:
        await asyncio.gather(on(a, lambda: ann.say(REPORT)), on(b, lambda: bob.say(REPORT)))
        # the queries below run in `b`, the context entered last (the default one is left)
        assert checked == [None, None]
        reports = await Handoff.filter(reason="outage").order_by("id")
        [first] = [report for report in reports if report.linked_to_id is None]
        assert [report.linked_to_id for report in reports if report.id != first.id] == [first.id]
        cards = [item for item in await one.drain("memory", "desk") if item.kind == "card"]
        assert [card.handoff_id for card in cards] == [first.id]


async def test_a_report_with_an_office_and_one_without_take_one_lock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report of a user with no office looks for a first one by team, so it finds a Berlin
    colleague's of the same team: two at once must wait for each other (a lock in common),
    or each becomes first. The lock is PostgreSQL's; here the names they take are compared."""
    berlin = await _request(world, "u1")
    await world.chat("u2").say("hello")  # no office
    user, conversation = await User.get(external_id="u2"), await Conversation.get(chat_id="u2")
    nowhere = HandoffRequest(user.id, conversation.id, REPORT, "outage", "en", priority="urgent")
    queue = world.desk.queue
    names: list[set[str]] = []

    async def hold(_: object, name: str) -> None:
        names[-1].add(name)

    monkeypatch.setattr(outages, "hold_until_commit", hold)
    for request in (berlin, nowhere):
        names.append(set())
        async with in_transaction() as transaction:
            await outages.first_report_held(
                queue, request, IT, lambda _, __: True, transaction=transaction
            )
    assert names[0] & names[1]


async def test_a_report_taking_an_ended_firsts_place_holds_the_outage_lock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first reporter leaves (/cancel) and a joined report takes its place, while a new
    report of the same outage arrives on another instance: it finds no first (the heir is not
    recorded yet) unless the heir holds the lock a new report takes. Here the names taken are
    compared, as PostgreSQL's lock is not SQLite's."""
    for user in ("u1", "u2"):
        await world.chat(user).say("hello")
        await User.filter(external_id=user).update(office="Berlin")
    await world.chat("u1").say(REPORT)
    await world.chat("u2").say(REPORT)
    taken: list[str] = []

    async def hold(_: object, name: str) -> None:
        taken.append(name)

    monkeypatch.setattr(outages, "hold_until_commit", hold)
    await world.chat("u1").say("/cancel")
    assert taken == ["outage:office:Berlin", f"outage:team:{IT.name}"]
    assert (await Handoff.filter(status="waiting").count()) == 1
