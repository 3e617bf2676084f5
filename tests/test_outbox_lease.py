"""An outbox item's lease is its holder's alone (`bot/handoff/outbox_port.py`): a sender
whose lease ran out and was taken by another instance can neither put the item off, drop it
nor change its outcome. Its late `sent` still counts while nothing else is recorded: the
platform has the message. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff import DbOutbox, OutboxItem
from bot.handoff.lease import LEASE
from bot.handoff.outbox import put
from bot.handoff.outbox_port import leased_reply
from bot.messages import Reply
from bot.storage.models import OutboxMessage
from tests.fakes.outbox import AheadClock

TEXT = "Restart the VPN client"
LATE = LEASE + timedelta(seconds=1)


async def first_lease(outbox: DbOutbox, how: str) -> OutboxItem:
    """An item as its first holder has it: claimed by a sender, or put leased to the turn
    that sends it at once."""
    if how == "put":
        item_id = await put("slack", "D1", TEXT, kind="reply", leased=True)
        return leased_reply("slack", "D1", Reply(TEXT, outbox_id=item_id))
    await put("slack", "D1", TEXT, kind="relay")
    [item] = await outbox.claim("slack")
    return item


@pytest.mark.parametrize("how", ["claimed", "put"])
@pytest.mark.parametrize("retry_after", [timedelta(seconds=30), None])
async def test_a_stale_holders_failure_leaves_the_newer_holders_item_alone(
    db_url: str, how: str, retry_after: timedelta | None
) -> None:
    clock, gave_up = AheadClock(), []

    async def give_up(row: OutboxMessage) -> None:
        gave_up.append(row.id)

    outbox = DbOutbox(clock=clock, on_give_up=give_up)
    stale = await first_lease(outbox, how)
    clock.advance(LATE)  # the platform did not answer its sender in time
    [newer] = await outbox.claim("slack")
    leased_until = (await OutboxMessage.get(id=newer.id)).available_at

    await outbox.progress(stale, parts_sent=1)  # the first's late reports
    await outbox.failed(stale, retry_after=retry_after, parts_sent=1)

    row = await OutboxMessage.get(id=newer.id)
    assert (row.status, row.available_at, row.parts_sent) == ("pending", leased_until, 0)
    assert gave_up == []  # nobody was told it failed
    clock.advance(timedelta(seconds=31))
    assert await outbox.claim("slack") == []  # still the newer holder's, due to nobody
    await outbox.sent(newer, message_id="1700000000.000002")
    row = await OutboxMessage.get(id=newer.id)
    assert (row.status, row.platform_message_id) == ("sent", "1700000000.000002")


async def test_a_late_sent_is_kept_but_never_over_a_newer_outcome(db_url: str) -> None:
    clock = AheadClock()
    outbox = DbOutbox(clock=clock)
    for chat in ("D1", "D2", "D3"):
        await put("slack", chat, TEXT, kind="relay")
    stale = await outbox.claim("slack")
    clock.advance(LATE)  # their sender hung past its lease
    taken, refused, limited = await outbox.claim("slack")
    await outbox.sent(taken, message_id="new-1")
    await outbox.failed(refused)  # refused for good: reported to whoever wrote it
    await outbox.failed(limited, retry_after=timedelta(seconds=30))  # a 429: no outcome yet

    for item in stale:  # the platform took them after all, and the first sender says so now
        await outbox.sent(item, message_id=f"old-{item.chat_id[1:]}")

    rows = await OutboxMessage.all().order_by("id")
    assert [(row.status, row.platform_message_id) for row in rows] == [
        ("sent", "new-1"),  # the newer holder's message id stays
        ("failed", None),  # failed stays failed
        ("sent", "old-3"),  # the user has it: not sent again
    ]
    clock.advance(timedelta(seconds=31))
    assert await outbox.claim("slack") == []
