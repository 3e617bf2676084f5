"""One outage, many reports: a colleague's report of an outage already open joins it, the desk
sees one card that names everyone who reported it, and each of them hears when it is fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config_tables import OfficeSettings
from bot.handoff import DeskAction
from bot.handoff.outages import OUTAGE_WINDOW
from bot.knowledge.base import KnowledgeBase
from bot.service_requests import levels
from bot.storage import reports
from bot.storage.models import Handoff, Ticket, User
from tests.handoff_support import World, agent, build_world

OFFICES = (
    OfficeSettings(name="Berlin", timezone="Europe/Berlin"),
    OfficeSettings(name="Paris", timezone="Europe/Paris"),
)


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, offices=OFFICES)


NAMES = {"u1": "Ann", "u2": "Bob", "u3": "Eve", "u4": "Dan"}


async def _in_office(world: World, user_id: str, office: str) -> None:
    await world.chat(user_id, name=NAMES[user_id]).say("hello")
    await User.filter(external_id=user_id).update(office=office)
    await world.drain("memory", user_id)


async def _report(world: World, user_id: str, text: str) -> tuple[Handoff, str]:
    [reply] = await world.chat(user_id, name=NAMES[user_id]).say(text)
    handoff = await Handoff.filter(conversation__chat_id=user_id).order_by("-id").first()
    assert handoff is not None
    return handoff, reply.text


async def test_a_second_report_of_an_office_outage_joins_the_first(world: World) -> None:
    for user in ("u1", "u2"):
        await _in_office(world, user, "Berlin")
    await _in_office(world, "u3", "Berlin")
    await _report(world, "u3", "human please")  # a normal request waits meanwhile
    first, _ = await _report(world, "u1", "email is down for everyone here")
    await world.drain("memory", "desk")
    await world.drain("memory", "u3")
    world.clock.now += timedelta(minutes=4)

    second, text = await _report(world, "u2", "почта не работает у всех")
    assert second.status == "linked" and second.linked_to_id == first.id
    assert "В IT уже знают" in text and "(Berlin)" in text and "4 мин. назад" in text
    assert "в очереди под номером **1**" in text  # in the user's language
    assert await world.drain("memory", "u3") == []  # nobody was passed: nobody told
    desk = await world.drain("memory", "desk")
    assert [item.kind for item in desk] == ["notice", "card_edit"]  # no card of its own
    assert f"Bob (#{second.id}) reports the same outage" in desk[0].text
    assert "почта не работает у всех" in desk[0].text
    assert f"Also reported by Bob (#{second.id}): 2 reports in all" in desk[1].text
    assert f"**Request #{first.id}**" in desk[1].text
    assert [b.key for b in desk[1].buttons] == [f"handoff:claim:{first.id}"]


async def test_the_same_user_saying_it_again_joins_once(world: World) -> None:
    for user in ("u1", "u2"):
        await _in_office(world, user, "Berlin")
    first, _ = await _report(world, "u1", "email is down for everyone here")
    await world.drain("memory", "desk")
    await _report(world, "u2", "email is down for everyone here too")
    await world.drain("memory", "desk")
    _, text = await _report(world, "u2", "the whole office is without email!!")
    assert "IT already knows" in text
    assert await Handoff.filter(linked_to_id=first.id).count() == 1
    assert await world.drain("memory", "desk") == []


async def test_another_office_or_an_old_report_queues_on_its_own(world: World) -> None:
    await _in_office(world, "u1", "Berlin")
    await _in_office(world, "u2", "Paris")
    await _in_office(world, "u3", "Berlin")
    await _report(world, "u1", "email is down for everyone here")
    paris, text = await _report(world, "u2", "email is down for everyone here")
    assert paris.status == "waiting" and paris.linked_to_id is None
    assert "IT already knows" not in text
    world.clock.now += OUTAGE_WINDOW + timedelta(minutes=1)
    late, text = await _report(world, "u3", "email is down for everyone here")
    assert late.status == "waiting" and "IT already knows" not in text


async def test_users_of_no_office_join_within_their_team(world: World) -> None:
    first, _ = await _report(world, "u1", "VPN is down for everyone")
    assert (await world.act("bob", "claim", first.id)).ok
    second, text = await _report(world, "u2", "VPN is down for everyone")
    assert second.linked_to_id == first.id
    assert "a colleague reported it" in text and "someone from IT is on it" in text
    taken = await world.act("carol", "claim", second.id)  # it has no card: its first has
    assert not taken.ok and "joined to another report of the same outage" in taken.text


async def test_closing_the_first_tells_everyone_who_joined(world: World) -> None:
    for user in ("u1", "u2"):
        await _in_office(world, user, "Berlin")
    first, _ = await _report(world, "u1", "email is down for everyone here")
    second, _ = await _report(world, "u2", "email is down for everyone here")
    assert (await world.act("bob", "claim", first.id)).ok
    await world.drain("memory", "u2")
    assert (await world.act("bob", "close", first.id)).ok
    [told] = await world.drain("memory", "u2")
    assert "IT has closed the outage report you joined" in told.text and "bob" in told.text
    assert "write here" in told.text
    assert (await Handoff.get(id=second.id)).status == "closed"
    [reply] = await world.chat("u2").say("hello")  # back with the bot
    assert "IT already knows" not in reply.text


async def test_off_hours_a_second_report_joins_the_first_ticket(world: World) -> None:
    world.clock.now = world.clock.now.replace(hour=20)  # 23:00 in Moscow: nobody on duty
    for user in ("u1", "u2"):
        await _in_office(world, user, "Berlin")
    first, _ = await _report(world, "u1", "email is down for everyone here")
    assert first.ticket_id is not None
    second, text = await _report(world, "u2", "nobody can send mail in the office")
    assert second.linked_to_id == first.id
    assert await Ticket.all().count() == 1
    assert f"ticket **#{first.ticket_id}**" in text
    ticket = await Ticket.get(id=first.ticket_id)
    assert "nobody can send mail in the office" in ticket.description


async def test_the_report_counts_one_request_for_a_joined_outage(world: World) -> None:
    """The service levels are of the requests the desk worked on: a report that joined the
    first would count as a request nobody took (and was never closed by an agent)."""
    first, _ = await _report(world, "u1", "VPN is down for everyone")
    await _report(world, "u2", "VPN is down for everyone")
    assert (await world.act("bob", "claim", first.id)).ok
    assert (await world.act("bob", "close", first.id)).ok
    figures = levels(await reports.handoffs_since(world.clock.now - timedelta(days=1)))
    assert (figures.requests, figures.taken) == (1, 1)


async def _joined_off_hours(world: World) -> tuple[Handoff, Handoff]:
    world.clock.now = world.clock.now.replace(hour=20)  # 23:00 in Moscow: nobody on duty
    first, _ = await _report(world, "u1", "VPN is down for everyone")
    second, _ = await _report(world, "u2", "VPN is down for everyone")
    assert first.ticket_id is not None and second.linked_to_id == first.id
    world.clock.now += timedelta(hours=12)  # the morning: the team is back
    await world.drain("memory", "u2")
    return first, second


async def test_resolving_the_first_ticket_tells_everyone_who_joined(world: World) -> None:
    first, second = await _joined_off_hours(world)
    action = DeskAction("resolve", 0, ticket_id=first.ticket_id, text="VPN gateway restarted")
    assert (await world.desk.act(agent("bob"), action)).ok
    [told] = await world.drain("memory", "u2")
    assert "IT has closed the outage report you joined" in told.text
    assert "VPN gateway restarted" in told.text and "write here" in told.text
    assert (await Handoff.get(id=second.id)).status == "closed"


async def test_closing_the_first_ticket_picked_up_tells_everyone_who_joined(world: World) -> None:
    first, second = await _joined_off_hours(world)
    assert first.ticket_id is not None
    taken = await world.desk.act(agent("bob"), DeskAction("take", 0, ticket_id=first.ticket_id))
    assert taken.ok
    chat = await Handoff.filter(ticket_id=first.ticket_id, status="claimed").get()
    assert (await world.act("bob", "close", chat.id)).ok
    [told] = await world.drain("memory", "u2")
    assert "IT has closed the outage report you joined: bob" in told.text
    assert (await Handoff.get(id=second.id)).status == "closed"


async def test_a_report_that_joined_takes_the_place_of_a_cancelled_first(world: World) -> None:
    """The first reporter leaves the queue (/cancel) but the outage is still there: the
    earliest report that joined it queues in its stead, its card names the others."""
    for user in ("u1", "u2", "u3"):
        await _in_office(world, user, "Berlin")
    await _report(world, "u3", "human please")  # a normal request: behind the outage
    first, _ = await _report(world, "u1", "email is down for everyone here")
    second, _ = await _report(world, "u2", "email is down for everyone here")
    third, _ = await _report(world, "u4", "email is down for everyone here")
    assert third.linked_to_id == first.id
    for chat in ("desk", "u2", "u3", "u4"):
        await world.drain("memory", chat)

    await world.chat("u1", name="Ann").say("/cancel")
    heir = await Handoff.get(id=second.id)
    assert (heir.status, heir.linked_to_id, heir.priority) == ("waiting", None, "urgent")
    assert (await Handoff.get(id=third.id)).linked_to_id == heir.id
    [told] = await world.drain("memory", "u2")
    assert "yours takes its place" in told.text and "number **1**" in told.text
    assert await world.drain("memory", "u3") == []  # still number 2: nothing to tell
    cards = [i for i in await world.drain("memory", "desk") if i.kind == "card"]
    assert [card.handoff_id for card in cards] == [second.id]
    assert f"Also reported by Dan (#{third.id}): 2 reports in all" in cards[0].text
    assert [b.key for b in cards[0].buttons] == [f"handoff:claim:{second.id}"]


async def test_the_web_desk_card_names_who_else_reported_it(world: World) -> None:
    first, _ = await _report(world, "u1", "VPN is down for everyone")
    second, _ = await _report(world, "u2", "VPN is down for everyone")
    cards = (await world.desk.board(agent("alice", "web"))).cards
    assert [card.id for card in cards] == [first.id]  # no card of the joined report
    assert cards[0].also_reported == (f"Bob (#{second.id})",)


async def _withdraw(world: World, user_id: str, number: int) -> None:
    user = world.chat(user_id, name=NAMES[user_id])
    await user.say("my tickets")
    await user.press(f"Withdraw #{number}")
    [done] = await user.press("Yes, withdraw")
    assert "is withdrawn" in done.text


async def test_a_report_that_joined_takes_over_a_withdrawn_ticket(world: World) -> None:
    """Off hours the first reporter withdraws their ticket, the outage is still there: the
    earliest report that joined it becomes the ticket (the others join that one)."""
    world.clock.now = world.clock.now.replace(hour=20)  # 23:00 in Moscow: nobody on duty
    first, _ = await _report(world, "u1", "VPN is down for everyone")
    second, _ = await _report(world, "u2", "VPN is down for everyone")
    third, _ = await _report(world, "u3", "VPN is down for everyone!")
    assert first.ticket_id is not None
    for chat in ("desk", "u2", "u3"):
        await world.drain("memory", chat)
    await _withdraw(world, "u1", first.ticket_id)
    heir = await Handoff.get(id=second.id)
    assert heir.status == "ticketed" and heir.ticket_id not in (None, first.ticket_id)
    assert (await Handoff.get(id=third.id)).linked_to_id == heir.id
    [told] = await world.drain("memory", "u2")
    assert "yours takes its place" in told.text and f"#{heir.ticket_id}" in told.text
    assert await world.drain("memory", "u3") == []
    desk = [item.text for item in await world.drain("memory", "desk")]
    assert any(f"request #{heir.id} became ticket #{heir.ticket_id}" in t for t in desk)


async def test_a_report_that_joined_is_queued_when_a_ticket_is_withdrawn_on_duty(
    world: World,
) -> None:
    _, second = await _joined_off_hours(world)  # the morning now: the team is on duty
    first = await Handoff.get(id=second.linked_to_id)
    assert first.ticket_id is not None
    await world.drain("memory", "desk")
    await _withdraw(world, "u1", first.ticket_id)
    heir = await Handoff.get(id=second.id)
    assert (heir.status, heir.linked_to_id) == ("waiting", None)
    [told] = await world.drain("memory", "u2")
    assert "yours takes its place" in told.text and "number **1**" in told.text
    cards = [i for i in await world.drain("memory", "desk") if i.kind == "card"]
    assert [card.handoff_id for card in cards] == [second.id]


async def test_another_outage_in_the_same_office_gets_its_own_card(world: World) -> None:
    """The office's internet and its mail down within the hour were one "outage": the mail's
    reporter was told IT already knew, and closing the internet's report as fixed told them
    their report was closed too. Two things down are two requests, each with its card."""
    for user in ("u1", "u2"):
        await _in_office(world, user, "Berlin")
    await _report(world, "u1", "нет интернета во всём офисе")
    await world.drain("memory", "desk")
    second, text = await _report(world, "u2", "почта не работает у всех")
    assert second.status == "waiting" and second.linked_to_id is None
    assert "В IT уже знают" not in text
    assert [i.kind for i in await world.drain("memory", "desk")] == ["card"]


async def test_a_report_taking_a_cancelled_firsts_place_near_the_hours_end_is_told_so(
    world: World,
) -> None:
    """The heir's place and wait (17:57, about 5 min) said nothing of the team's hours ending
    at 18:00, where queueing and place updates do."""
    world.clock.now += timedelta(hours=5, minutes=50)  # 17:50 in Moscow
    for user in ("u1", "u2"):
        await _in_office(world, user, "Berlin")
    await _report(world, "u1", "email is down for everyone here")
    await _report(world, "u2", "email is down for everyone here")
    await world.drain("memory", "u2")
    world.clock.now += timedelta(minutes=7)
    await world.chat("u1", name="Ann").say("/cancel")
    [told] = await world.drain("memory", "u2")
    assert "yours takes its place" in told.text and "number **1**" in told.text
    assert "IT's working hours end at 16:00 today (Europe/Berlin)" in told.text  # theirs
