"""A relay that fails for good is reported to the side that sent it, once, and nothing loops."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.handoff.outbox import MAX_ATTEMPTS
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import OutboxMessage
from tests.handoff_support import World, build_world


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def claimed(world: World) -> int:
    """A request from u1, claimed by bob, everything so far delivered."""
    await world.chat("u1", name="Ann").say("my vpn is broken, I want a human")
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    await world.drain("memory", "u1")
    await world.drain("memory", "desk")
    return card.handoff_id


async def test_a_reply_the_user_never_gets_is_reported_on_the_desk(world: World) -> None:
    handoff_id = await claimed(world)
    assert (await world.act("bob", "reply", handoff_id, text="Restart\nFortiClient")).ok
    [reply] = await world.outbox.claim("memory", chat_id="u1")
    await world.outbox.failed(reply)  # the platform refuses it for good (blocked bot)

    [notice] = await world.drain("memory", "desk")
    assert notice.kind == "notice" and notice.handoff_id == handoff_id
    assert notice.text.startswith("⚠️ This did not reach the user: «")
    assert notice.text.endswith("Restart FortiClient»")  # on one line
    assert await world.drain("memory", "u1") == []


async def test_a_message_the_desk_never_gets_is_reported_to_the_user(world: World) -> None:
    await claimed(world)
    await world.chats[0].say("it says error 809")
    [relay] = await world.outbox.claim("memory", chat_id="desk")
    await OutboxMessage.filter(id=relay.id).update(attempts=MAX_ATTEMPTS)
    last = replace(relay, lease=MAX_ATTEMPTS)  # the relay's last lease
    await world.outbox.failed(last, retry_after=timedelta(seconds=30))  # out of attempts

    [told] = await world.drain("memory", "u1")
    assert "did not reach the IT team" in told.text
    assert await world.drain("memory", "desk") == []


async def test_retries_and_failed_notices_report_nothing(world: World) -> None:
    handoff_id = await claimed(world)
    assert (await world.act("bob", "reply", handoff_id, text="Restart FortiClient")).ok
    [reply] = await world.outbox.claim("memory", chat_id="u1")
    await world.outbox.failed(reply, retry_after=timedelta(seconds=30))  # tried again later
    assert await OutboxMessage.filter(kind="notice", status="pending").count() == 0

    await world.outbox.failed(reply)
    [notice] = await world.outbox.claim("memory", chat_id="desk")
    await world.outbox.failed(notice)  # the desk is gone too: no notice about the notice
    await world.outbox.failed(notice)  # and a second report of the same failure is ignored
    assert await OutboxMessage.filter(status="pending").count() == 0
    assert await OutboxMessage.filter(kind="notice", status="failed").count() == 1
