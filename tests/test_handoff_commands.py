"""The bot's own commands (/help, /lang, /office, /tickets) work while the user waits for an
agent or talks to one: the bot answers them, the desk never sees them; so is a command the
bot does not know ("/foo", told so, as outside a handoff). Anything else the user writes
still goes to the desk, and /cancel (or /stop) still leaves."""

from __future__ import annotations

import logging

import pytest

from bot.config_tables import OfficeSettings
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket, User
from tests.handoff_support import World, build_world
from tests.test_handoff_pickup import timed_out

OFFICES = (OfficeSettings(name="Berlin", timezone="Europe/Berlin"),)


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, offices=OFFICES)


async def relayed(world: World) -> str:
    """What reached the desk since the last look (the card and relays)."""
    return "\n".join(item.text for item in await world.drain("memory", "desk"))


@pytest.mark.parametrize("claimed", [False, True], ids=["waiting", "claimed"])
async def test_commands_are_answered_by_the_bot_not_relayed(world: World, claimed: bool) -> None:
    user = world.chat("u1", name="Ann")
    await user.say("my vpn is broken, I want a human")
    handoff = await Handoff.get()
    if claimed:
        assert (await world.act("bob", "claim", handoff.id)).ok
    await relayed(world)
    await relayed(world)  # the card's edit is due once the card is sent

    [helped] = await user.say("/help")
    assert "/tickets" in helped.text and "still number" not in helped.text
    [switched] = await user.say("/lang ru")
    assert switched.text == "Язык: русский."
    [choose] = await user.say("/office")
    [picked] = await user.press("Berlin", among=[choose])
    assert picked.text == "Ваш офис: **Berlin**."
    assert (await User.get()).office == "Berlin"
    [listed] = await user.say("/TICKETS")
    assert listed.text.startswith("Заявок у вас нет. Ваш запрос сейчас у IT")  # not "none"
    # the agent saw none of it relayed, only the office it now names (and a waiting card,
    # rewritten with that office, ends its transcript with these lines)
    told = [i.text for i in await world.drain("memory", "desk") if "from Ann" not in i.text]
    assert told == ["🏢 Request #1: the user gave their office: Berlin."]

    after = await user.say("still the same error 809")
    assert "error 809" in await relayed(world)
    assert (after == []) is claimed  # waiting: "still number 1"; claimed: the agent answers
    assert (await Handoff.get()).status == ("claimed" if claimed else "waiting")
    [left] = await user.say("/cancel")
    assert (await Handoff.get()).status == "cancelled", left.text


@pytest.mark.parametrize("claimed", [False, True], ids=["waiting", "claimed"])
async def test_an_unknown_command_is_told_so_not_relayed(world: World, claimed: bool) -> None:
    user = world.chat("u1")
    await user.say("my vpn is broken, I want a human")
    handoff = await Handoff.get()
    if claimed:
        assert (await world.act("bob", "claim", handoff.id)).ok
    await relayed(world)
    await relayed(world)

    [told] = await user.say("/foo bar")
    assert told.text == "I don't know that command. Here is what I can do: /help"
    assert await relayed(world) == ""  # the agent sees no stray "/foo"
    assert (await Handoff.get()).status == ("claimed" if claimed else "waiting")
    [left] = await user.say("/stop")
    assert (await Handoff.get()).status == "cancelled", left.text


async def test_a_ticket_is_withdrawn_from_the_list_while_waiting(world: World) -> None:
    number = await timed_out(world)
    user = world.chats[0]
    await user.say("human, please")  # waiting again, with ticket `number` open
    await relayed(world)
    [listed] = await user.say("/tickets")
    [asked] = await user.press(f"Withdraw #{number}", among=[listed])
    [done] = await user.press("Yes, withdraw", among=[asked])
    assert done.text.startswith(f"Ticket **#{number}**") and "withdrawn" in done.text
    assert (await Ticket.get(id=number)).status == "withdrawn"
    desk = await relayed(world)
    assert "withdrew" in desk and "/tickets" not in desk and "[Withdraw" not in desk
    assert (await Handoff.filter(status="waiting").count()) == 1


async def test_other_slash_words_are_still_relayed(world: World) -> None:
    user = world.chat("u1")
    await user.say("human")
    await relayed(world)
    [still] = await user.say("/etc/hosts is empty after the update")
    assert "passed that on" in still.text
    assert "/etc/hosts" in await relayed(world)


async def test_a_press_reads_its_button_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """With agents on duty the engine asks whether a press is the bot's own (answered even
    while an agent has the chat), then the dialog presses it: one read of the button serves
    both. (Whether a later answer came since, which "Helped" asks too, is another query.)"""
    user = world.chat("u1")
    [answer] = await user.say("vpn keeps dropping")
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    [thanks] = await user.press("Helped", among=[answer])
    assert "glad" in thanks.text
    reads = [r for r in caplog.records if r.getMessage().startswith("SELECT")]
    by_key = '"button_actions"."key"='  # then ? (SQLite) or $1 (PostgreSQL)
    assert len([r for r in reads if by_key in r.getMessage()]) == 1


@pytest.mark.parametrize("text", ["anyone there?", "hello?? anyone", "ау, есть кто?"])
async def test_asking_whether_anyone_is_there_while_waiting_tells_the_place_and_wait(
    world: World, text: str
) -> None:
    """Waiting in the queue, "anyone there?" opens nothing new: the user reads their place
    and the expected wait, and the agent who takes the request reads the message."""
    user = world.chat("u1")
    await user.say("my vpn is broken, I want a human")
    await relayed(world)
    [still] = await user.say(text)
    assert still.text.startswith("You're still number **1** in the queue, about 5 min to wait.")
    assert await Handoff.all().count() == 1
    assert text in await relayed(world)


async def test_asking_whether_anyone_is_there_asks_for_a_person(world: World) -> None:
    [queued] = await world.chat("u1").say("ау, есть кто?")
    assert "Вы **1**-й в очереди" in queued.text
    assert (await Handoff.get()).reason == "asked_for_person"


async def test_details_written_while_waiting_are_said_to_be_passed_on(world: World) -> None:
    """They reach the desk, but the user read only "You're still number 1 in the queue", as
    if the bot had ignored them."""
    user = world.chat("u1")
    await user.say("human")
    await relayed(world)
    [told] = await user.say("the vpn client says error 809 since this morning")
    assert told.text == world.engine.dialog.phrases.get(
        "en", "handoff_passed_on", place=1, minutes=5
    )
    assert "number **1**" in told.text and "still number" not in told.text
    assert "error 809" in await relayed(world)


async def test_an_office_named_while_an_agent_has_the_request_shows_on_its_card(
    world: World,
) -> None:
    """The card of a claimed request kept the office it was posted with (none): only a line
    under it said the user named Berlin, and whoever read the card went by it."""
    user = world.chat("u1", name="Ann")
    await user.say("my vpn is broken, I want a human")
    handoff = await Handoff.get()
    assert (await world.act("bob", "claim", handoff.id)).ok
    await relayed(world)
    await relayed(world)  # the card's edit is due once the card is sent
    [choose] = await user.say("/office")
    await user.press("Berlin", among=[choose])
    [card] = [i for i in await world.drain("memory", "desk") if i.kind == "card_edit"]
    assert "office Berlin" in card.text and card.text.endswith("✅ **Claimed by bob**")
