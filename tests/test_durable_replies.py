"""Durable replies (DESIGN §3): kept in the outbox by the turn that decided them, leased to
the channel that sends them at once, delivered by the outbox if that channel cannot (or
dies first), and never out of order in a chat, even when two instances answer it at once.
The channels' side is in test_slack.py and test_telegram_delivery.py."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.engine import Engine
from bot.handoff import DbOutbox
from bot.handoff.lease import LEASE
from bot.handoff.outbox import put
from bot.handoff.outbox_port import leased_reply
from bot.messages import IncomingMessage, Reply, UserRef
from bot.phrases import load_phrases
from bot.storage.models import OutboxMessage
from tests.conftest import postgres_only
from tests.fakes.outbox import AheadClock
from tests.handoff_support import Clock
from tests.test_handoff_race import instance, on

ANN, BOB = UserRef("slack", "T1", "U1"), UserRef("slack", "T1", "U2")
THANKS = load_phrases().get("en", "thanks")


def delivery(event_id: str, text: str, user: UserRef = ANN) -> IncomingMessage:
    return IncomingMessage(user=user, chat_id=f"D{user.user_id}", text=text, event_id=event_id)


def turn(engine: Engine, event_id: str, text: str) -> Callable[[], Awaitable[list[Reply]]]:
    """Ann's message, for an instance to handle with durable replies."""
    return lambda: engine.handle(delivery(event_id, text), durable=True)


async def test_a_kept_reply_is_the_callers_until_its_lease_runs_out(engine: Engine) -> None:
    clock = AheadClock()
    outbox = DbOutbox(clock=clock)
    question = delivery("Ev1", "vpn keeps dropping")
    assert await engine.accept(question)
    [reply] = await engine.handle(question, durable=True)
    assert reply.outbox_id is not None and reply.buttons
    assert await outbox.claim("slack") == []  # the channel sends it at once: no one else
    assert await engine.handle(question, durable=True) == []  # a redelivery: kept once

    clock.advance(LEASE + timedelta(seconds=1))  # the channel died before Slack took it
    [item] = await outbox.claim("slack")
    assert (item.id, item.kind, item.chat_id, item.user) == (reply.outbox_id, "reply", "DU1", "U1")
    assert (item.text, item.buttons) == (reply.text, reply.buttons)
    assert await engine.pending("slack", older_than=timedelta(0)) == []  # not handled again


async def test_a_reply_put_off_holds_back_the_later_replies_of_its_chat(engine: Engine) -> None:
    clock = AheadClock()
    outbox = DbOutbox(clock=clock)
    [answer] = await engine.handle(delivery("Ev1", "vpn keeps dropping"), durable=True)
    assert answer.outbox_id is not None
    kept = leased_reply("slack", "DU1", answer)
    await outbox.failed(kept, retry_after=timedelta(seconds=30))  # a 429

    assert await engine.handle(delivery("Ev2", "thank you"), durable=True) == []  # queued
    assert await outbox.claim("slack") == []  # due, but behind the answer
    [other] = await engine.handle(delivery("Ev3", "thank you", BOB), durable=True)
    assert other.outbox_id is not None  # another chat waits for nothing: sent at once

    clock.advance(timedelta(seconds=31))
    items = await outbox.claim("slack", chat_id="DU1")
    assert [item.text for item in items] == [answer.text, THANKS]
    assert items[0].id == answer.outbox_id


@pytest.mark.parametrize("outcome", ["sent", "refused"])
async def test_a_reply_held_behind_one_being_sent_is_due_once_that_one_is_done(
    engine: Engine, outcome: str
) -> None:
    """Due at once, on a clock that stands still (short of the answer's lease): not when the
    hold's RECHECK runs out; and the caller is told, to wake its sender."""
    outbox = DbOutbox(clock=Clock(datetime.now(UTC) + timedelta(seconds=30)))
    [answer] = await engine.handle(delivery("Ev1", "vpn keeps dropping"), durable=True)
    assert await engine.handle(delivery("Ev2", "thank you"), durable=True) == []  # queued
    assert await outbox.claim("slack") == []  # behind the answer, still being sent
    kept = leased_reply("slack", "DU1", answer)
    done = await (outbox.sent(kept) if outcome == "sent" else outbox.failed(kept))
    assert done
    [item] = await outbox.claim("slack")
    assert item.text == THANKS
    assert not await outbox.sent(item)  # nothing waits behind the thanks


async def test_a_sent_reply_and_the_one_it_frees_are_recorded_together(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sender whose record of a sent reply fails while freeing the one held behind it has
    recorded neither: the reply is still its to report (sent again at worst, never lost),
    and the one behind it waits still."""
    outbox = DbOutbox(clock=Clock(datetime.now(UTC) + timedelta(seconds=30)))
    [answer] = await engine.handle(delivery("Ev1", "vpn keeps dropping"), durable=True)
    assert await engine.handle(delivery("Ev2", "thank you"), durable=True) == []  # queued
    kept = leased_reply("slack", "DU1", answer)

    async def lost(*_: object, **__: object) -> bool:
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr("bot.handoff.outbox.release", lost)
        with pytest.raises(ConnectionError):
            await outbox.sent(kept)
    assert (await OutboxMessage.get(id=kept.id)).status == "pending"
    assert await outbox.claim("slack") == []  # the thanks still waits behind it
    assert await outbox.sent(kept)  # reported again: recorded, and the thanks freed
    [item] = await outbox.claim("slack")
    assert item.text == THANKS


async def test_a_reply_being_sent_is_left_to_its_sender_when_the_one_before_is_sent(
    db_url: str,
) -> None:
    """Two turns that answered one chat at once each send their own reply (leased)."""
    outbox = DbOutbox(clock=Clock(datetime.now(UTC) + timedelta(seconds=30)))
    first, second = [
        Reply(text, outbox_id=await put("slack", "DU1", text, kind="reply", leased=True))
        for text in ("one", "two")
    ]
    leased_until = (await OutboxMessage.get(id=second.outbox_id)).available_at
    assert not await outbox.sent(leased_reply("slack", "DU1", first))
    assert (await OutboxMessage.get(id=second.outbox_id)).available_at == leased_until
    assert await outbox.claim("slack") == []


@postgres_only
async def test_two_instances_answering_one_chat_at_once_keep_its_replies_in_order(
    db_url: str, engine: Engine
) -> None:
    outbox = DbOutbox()
    [hello] = await engine.handle(delivery("Ev0", "hello"), durable=True)  # the chat exists
    assert hello.outbox_id is not None
    await outbox.sent(leased_reply("slack", "DU1", hello))
    async with instance(db_url) as a, instance(db_url) as b:
        for n in range(1, 21):
            turns = await asyncio.gather(
                on(a, turn(engine, f"Ev{n}a", "vpn keeps dropping")),
                on(b, turn(engine, f"Ev{n}b", "thank you")),
            )
            [now] = [replies for replies in turns if replies]  # the other waits behind it
            for reply in now:
                assert reply.outbox_id is not None
                await outbox.sent(leased_reply("slack", "DU1", reply))
            [queued] = await outbox.claim("slack")
            assert queued.id > max(reply.outbox_id or 0 for reply in now)
            await outbox.sent(queued)


@postgres_only
async def test_one_delivery_reaching_two_instances_at_once_is_answered_once(
    db_url: str, engine: Engine
) -> None:
    """A platform's retry can reach another instance while the first still works on it."""
    async with instance(db_url) as a, instance(db_url) as b:
        for n in range(10):
            both = await asyncio.gather(
                on(a, turn(engine, f"Dup{n}", "vpn keeps dropping")),
                on(b, turn(engine, f"Dup{n}", "vpn keeps dropping")),
            )
            assert sorted(len(replies) for replies in both) == [0, 1]
            [[answer]] = [replies for replies in both if replies]
            assert answer.outbox_id is not None
            await DbOutbox().sent(leased_reply("slack", "DU1", answer))  # the next goes at once
        assert await OutboxMessage.filter(kind="reply").count() == 10
