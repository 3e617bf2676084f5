"""Messages to one conversation reach it in the order they were written, whatever fails on
the way (`bot/handoff/order.py`): a user's chat (the bot's replies and an agent's words
alike), a handoff's thread on the desk. One stuck conversation holds back no other.

End to end through real python-telegram-bot, the fake Bot API and a Telegram desk group; the
lanes themselves through the in-memory adapter and the database outbox, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.handoff import DbOutbox
from bot.handoff.outbox import put
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, OutboxMessage
from tests.fakes.outbox import AheadClock, SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI, error
from tests.fakes.telegram_desk import (
    DESK,
    PHRASES,
    claimed,
    desk_channel,
    desk_engine,
    texts,
)
from tests.fakes.telegram_spy import FAST_RETRY, SpyCore, running_channel
from tests.fakes.telegram_updates import Updates
from tests.handoff_support import World, build_world

pytest_plugins = ["tests.fakes.telegram_harness"]

SERVER_ERROR = error(500, "Internal Server Error")
LATER = timedelta(seconds=31)  # past the sender's RETRY_LATER and any Retry-After here


async def settled(outbox: SpyOutbox, *, written: str = "") -> None:
    """Wait until a message with `written` in it is in the outbox, and nothing is due any
    more that is not held back: the sender went round since."""
    while written and not await OutboxMessage.filter(text__contains=written).exists():
        await outbox.rounds()
    await outbox.rounds(2)


Wire = dict[str, Any]  # a Bot API object as the fake sends it
Then = Callable[[Updates, Wire, Wire, Wire], Wire]


async def after_a_put_off(
    api: FakeBotAPI, updates: Updates, core: SpyCore, user: int, then: Then, written: str
) -> list[str]:
    """Bob's "A: restart the router" to `user` is put off by a 5xx on each try; `then` (the
    next update, built from the desk, Bob and the card) comes and what it leads to is written
    (`written`) but must not reach `user` before A; the user's messages from A on, once A
    goes again."""
    clock = AheadClock()
    outbox = SpyOutbox(DbOutbox(clock=clock))
    config, channel = desk_channel(api, core, outbox)
    async with running_channel(core, config, channel=channel):
        desk, bob, card = await claimed(api, updates, outbox, user, "my vpn is broken, a human")
        while await OutboxMessage.filter(status="pending").exists():
            await outbox.rounds()
        before = texts(api, user)
        api.fail_next("sendMessage", *[SERVER_ERROR] * FAST_RETRY.attempts)  # A, each try
        api.push(updates.message(bob, "A: restart the router", chat=desk, reply_to_message=card))
        await outbox.until_failed(1)  # A is put off, to be tried again later
        api.push(then(updates, desk, bob, card))
        await settled(outbox, written=written)
        assert texts(api, user) == before  # nothing went ahead of A
        clock.advance(LATER)
        channel.sender.wake()
        await api.until(lambda: len(texts(api, user)) == len(before) + 2)
    return texts(api, user)[len(before) :]


@pytest.mark.usefixtures("ptb_timedelta")
async def test_an_agents_message_put_off_by_a_5xx_is_not_overtaken(
    api: FakeBotAPI, updates: Updates, db_url: str, knowledge: KnowledgeBase
) -> None:
    def b(updates: Updates, desk: Wire, bob: Wire, card: Wire) -> Wire:
        return updates.message(bob, "B: then the VPN", chat=desk, reply_to_message=card)

    core = desk_engine(db_url, knowledge)
    first, second = await after_a_put_off(api, updates, core, 621, b, "then the VPN")
    assert "restart the router" in first and "then the VPN" in second
    assert not any("restart" in text for text in texts(api, DESK))  # nothing misdirected


@pytest.mark.usefixtures("ptb_timedelta")
async def test_the_bots_reply_waits_behind_an_agents_message_put_off(
    api: FakeBotAPI, updates: Updates, db_url: str, knowledge: KnowledgeBase
) -> None:
    def start(updates: Updates, desk: Wire, bob: Wire, card: Wire) -> Wire:
        return updates.message(updates.user(622, "Ann", "en"), "/start")  # the bot answers

    answer = PHRASES.get("en", "handoff_with_agent", agent="Bob")
    core = desk_engine(db_url, knowledge)
    first, second = await after_a_put_off(api, updates, core, 622, start, answer)
    assert "restart the router" in first and "You're talking with Bob" in second


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def served(world: World, user: str) -> int:
    """`user` asks for a person and bob claims: the handoff, everything so far delivered."""
    await world.chat(user, name=user).say("my vpn is broken, I want a human")
    [handoff] = {item.handoff_id for item in await world.drain("memory", "desk")}
    assert handoff is not None and (await world.act("bob", "claim", handoff)).ok
    await world.drain("memory", "desk")
    await world.drain("memory", user)
    return handoff


async def test_a_stuck_conversation_holds_back_its_own_messages_only(world: World) -> None:
    ann, ben = await served(world, "ann"), await served(world, "ben")
    assert (await world.act("bob", "reply", ann, text="A1")).ok
    [a1] = await world.outbox.claim("memory", chat_id="ann")
    await world.outbox.failed(a1, retry_after=timedelta(seconds=30))  # a 5xx: later
    assert (await world.act("bob", "reply", ann, text="A2")).ok
    assert (await world.act("bob", "reply", ben, text="B1")).ok
    await world.chat("ann").say("C1")  # relayed to ann's thread on the desk
    [c1] = await world.outbox.claim("memory", chat_id="desk")
    await world.outbox.failed(c1, retry_after=timedelta(seconds=30))
    await world.chat("ann").say("C2")
    await world.chat("ben").say("D1")
    due = await world.outbox.claim("memory")  # ann's chat and ann's thread wait
    assert [(item.chat_id, item.handoff_id) for item in due] == [("ben", ben), ("desk", ben)]
    assert ["B1" in due[0].text, "D1" in due[1].text] == [True, True]
    world.clock.now += timedelta(seconds=31)
    due = await world.outbox.claim("memory")  # in the order written, each where it goes
    said = [word for item in due for word in ("A1", "A2", "C1", "C2") if word in item.text]
    assert said == ["A1", "A2", "C1", "C2"]
    assert [item.chat_id for item in due] == ["ann", "ann", "desk", "desk"]


async def test_the_closing_notice_waits_behind_an_agents_message_put_off(world: World) -> None:
    ann = await served(world, "ann")
    assert (await world.act("bob", "reply", ann, text="A1")).ok
    [a1] = await world.outbox.claim("memory", chat_id="ann")
    await world.outbox.failed(a1, retry_after=timedelta(seconds=30))
    assert (await world.act("bob", "close", ann)).ok  # the rating prompt, behind A1
    assert await world.outbox.claim("memory", chat_id="ann") == []
    world.clock.now += timedelta(seconds=31)
    first, second = await world.outbox.claim("memory", chat_id="ann")
    assert "A1" in first.text and second.buttons


async def test_a_message_put_to_the_users_chat_keeps_its_place_without_naming_it(
    world: World,
) -> None:
    ann = await served(world, "ann")
    assert (await world.act("bob", "reply", ann, text="A1")).ok
    [a1] = await world.outbox.claim("memory", chat_id="ann")
    await world.outbox.failed(a1, retry_after=timedelta(seconds=30))
    handoff, now = await Handoff.get(id=ann), world.clock.now
    # Callers that do not say it is ann's conversation: of her handoff, and of no handoff.
    await put("memory", "ann", "N1", kind="relay", handoff=handoff, now=now)
    await put("memory", "ann", "N2", kind="notice", now=now)
    await put("memory", "desk", "N3", kind="notice", handoff=handoff, now=now)  # the desk's
    [n3] = await world.outbox.claim("memory")
    assert (n3.text, n3.lane) == ("N3", ("memory", "desk", ann))
    world.clock.now += timedelta(seconds=31)
    due = await world.outbox.claim("memory", chat_id="ann")
    assert ["A1" in due[0].text, *(item.text for item in due[1:])] == [True, "N1", "N2"]


@pytest.mark.parametrize("loaded", [False, True])
async def test_a_message_of_a_request_is_its_users_only_in_their_chat(
    world: World, loaded: bool, caplog: pytest.LogCaptureFixture
) -> None:
    ann = await served(world, "ann")
    handoff, now = await Handoff.get(id=ann), world.clock.now
    if loaded:  # as the desk's steps have it: then `put` asks the database nothing more
        await handoff.fetch_related("user", "conversation")
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        await put("memory", "ann", "to ann", kind="relay", handoff=handoff, now=now)
        await put("memory", "desk", "to the desk", kind="notice", handoff=handoff, now=now)
        await put("web", "ann", "another platform's chat", kind="notice", handoff=handoff, now=now)
    asked = [r for r in caplog.records if r.getMessage().lstrip().upper().startswith("SELECT")]
    assert len(asked) == (0 if loaded else 3)
    rows = await OutboxMessage.all().order_by("-id").limit(3)
    assert [(row.text, row.conversation_id) for row in reversed(rows)] == [
        ("to ann", handoff.conversation_id),
        ("to the desk", None),
        ("another platform's chat", None),
    ]
