"""A sender delivers what it leased within its window (`bot/handoff/lease.py`): an item the
platform is slow to take is put off while the lease still holds, never left in flight for
another instance to take and send again. The senders that send a turn's replies at once are
tested in test_slack.py and test_telegram_delivery.py."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.adapters.slack.relay import OutboxSender, outbox_client
from bot.handoff import DbOutbox
from bot.handoff.outbox import put
from bot.pacing import Limits, Pacer
from bot.storage.models import OutboxMessage
from tests.fakes.outbox import AheadClock
from tests.fakes.slack_api import TOKEN, WAIT_SECONDS, FakeSlackApi


async def test_a_batch_slack_is_slow_to_take_is_put_off_within_its_lease(db_url: str) -> None:
    await put("slack", "D1", "one", kind="relay")
    await put("slack", "D2", "two", kind="relay")
    clock = AheadClock()
    async with FakeSlackApi() as api:
        client = outbox_client(TOKEN, base_url=api.api_url)
        pacer = Pacer(Limits(per_chat=0.0, overall=0.0))
        sender = OutboxSender(DbOutbox(clock=clock), client, every=timedelta(1), pacer=pacer)
        sender.send_within = timedelta(seconds=0.5)
        slow = api.hold("chat.postMessage")
        async with asyncio.timeout(WAIT_SECONDS):  # Slack has not answered: given up in time
            assert await sender.deliver_due() == 2
        assert len(api.calls_to("chat.postMessage")) == 1  # the second was not begun
        rows = await OutboxMessage.all().order_by("id")
        assert [(row.status, row.attempts) for row in rows] == [("pending", 1)] * 2
        later = clock() + timedelta(seconds=10)  # put off like a dropped connection, in order
        assert all(row.available_at > later for row in rows)

        slow.set()
        clock.advance(timedelta(seconds=16))
        assert await sender.deliver_due() == 2
    assert [c.args["text"] for c in api.calls_to("chat.postMessage")] == ["one", "one", "two"]
    rows = await OutboxMessage.all().order_by("id")
    assert [(row.status, row.attempts) for row in rows] == [("sent", 2)] * 2
