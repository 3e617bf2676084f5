"""Slack's outbox sender paces messages per channel (about one a second, as Slack asks).

The real sender and slack_sdk against the fake Web API, with an injected clock and sleeper:
the test checks the waits the pacer asked for, never the time that passed.
"""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.slack.relay import OutboxSender, outbox_client
from bot.handoff import DbOutbox
from bot.handoff.outbox import put
from bot.pacing import SLACK, Limits, Pacer
from bot.storage.models import OutboxMessage
from bot.storage.pacing import SharedPacer
from tests.fakes.fake_time import FakeTime
from tests.fakes.slack_api import TOKEN, FakeSlackApi


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
