"""Slack's outbox sender, and the answers posted at once, pace messages per channel (about
one a second, as Slack asks).

The real senders and slack_sdk (and slack-bolt, for the answers) against the fake Web API,
with an injected clock and sleeper: the tests check the waits the pacer asked for, never the
time that passed.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta

from aiohttp import web

from bot.adapters.slack.relay import OutboxSender, outbox_client
from bot.engine import Engine
from bot.handoff import DbOutbox
from bot.handoff.outbox import put
from bot.pacing import SLACK, Limits, Pacer
from bot.storage.models import OutboxMessage
from bot.storage.pacing import SharedPacer
from tests.fakes.fake_time import FakeTime
from tests.fakes.slack_api import TOKEN, FakeSlackApi
from tests.fakes.slack_harness import http_channel, serving


async def test_messages_to_one_channel_go_out_a_second_apart(db_url: str) -> None:
    for text in ("one", "two", "three"):
        await put("slack", "D1", text, kind="relay")
    await put("slack", "D2", "elsewhere", kind="relay")
    time = FakeTime()
    pacer = Pacer(Limits(per_chat=1.0, overall=0.0), clock=time.clock, sleep=time.sleep)
    async with FakeSlackApi() as api:
        client = outbox_client(TOKEN, base_url=api.api_url)
        sender = OutboxSender(DbOutbox(), client, every=timedelta(seconds=1), pacer=pacer)
        assert await sender.deliver_due() == 4
    posts = [(c.args["channel"], c.args["text"]) for c in api.calls_to("chat.postMessage")]
    assert posts == [("D1", "one"), ("D1", "two"), ("D1", "three"), ("D2", "elsewhere")]
    assert time.slept == [1.0, 1.0]  # the 2nd and 3rd to D1 waited their turn, D2 did not
    assert await OutboxMessage.filter(status="sent").count() == 4


def test_by_default_the_sender_paces_one_message_a_second_per_channel() -> None:
    client = outbox_client(TOKEN, base_url="http://127.0.0.1:9/")  # never called
    sender = OutboxSender(DbOutbox(), client, every=timedelta(seconds=1))
    assert isinstance(sender.pacer, Pacer)
    assert sender.pacer.limits == SLACK == Limits(per_chat=1.0, overall=0.0)


async def test_two_instances_write_to_one_channel_a_second_apart(db_url: str) -> None:
    time = FakeTime()
    async with FakeSlackApi() as api:
        client = outbox_client(TOKEN, base_url=api.api_url)
        senders = [
            OutboxSender(
                DbOutbox(),
                client,
                every=timedelta(seconds=1),
                pacer=SharedPacer("slack", SLACK, clock=time.clock, sleep=time.sleep),
            )
            for _ in "AB"
        ]
        for sender, text in zip(senders, ("from A", "from B"), strict=True):
            await put("slack", "D1", text, kind="relay")
            assert await sender.deliver_due() == 1
    posts = [c.args["text"] for c in api.calls_to("chat.postMessage")]
    assert posts == ["from A", "from B"]
    assert time.slept == [1.0]  # B waited for A's second, as one instance would have


async def test_two_instances_answer_in_one_dm_a_second_apart(engine: Engine, db_url: str) -> None:
    """The answers posted at once share the outbox's pacing: an instance answering in a DM
    another has just answered in waits its turn, as one instance would."""
    time = FakeTime()
    async with FakeSlackApi() as api, AsyncExitStack() as stack:
        instances = []
        for _ in "AB":
            pacer = SharedPacer("slack", SLACK, clock=time.clock, sleep=time.sleep)
            channel = http_channel(engine, api, pacer=pacer)
            web_app = web.Application()
            channel.mount(web_app)
            instances.append((channel, await stack.enter_async_context(serving(channel, web_app))))
        questions = (("A", "vpn keeps dropping"), ("B", "thank you"))
        for (channel, slack), (name, text) in zip(instances, questions, strict=True):
            event = {"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1"}
            event |= {"text": text, "ts": f"1699999999.00000{name}"}
            assert (await slack.event(event, event_id=f"Ev{name}"))[0] == 200
            await channel.join()
    posts = [c.args["channel"] for c in api.calls_to("chat.postMessage")]
    assert posts == ["DU1", "DU1"]
    assert time.slept == [1.0]  # B's answer waited for A's second
