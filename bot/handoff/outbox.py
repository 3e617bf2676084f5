"""The transactional outbox: messages to chats, written with the turn, delivered after.

The core writes with `put` inside the turn's transaction, so a card, a relay, a notice or a
reply of the bot (see `replies.py`) exists exactly when the change that caused it was
committed. Channel adapters deliver with the `Outbox` port: `claim` leases a batch for their
platform (a crashed sender's lease runs out and the items come back), `sent` records the
platform's message id, `failed` puts an item off (a 429's Retry-After, a network error),
`progress` notes the parts of a long one taken so far (`outbox_items.py` builds the items).
`sent` and `failed` say whether messages held behind the item may go now (`order.py`): the
sender is then woken.
A sender delivers what it leased within its `SendWindow` (see `lease.py`), so no other
instance takes an item while it is still being sent.

A lease's number is the item's `attempts` (1 after `put(..., leased=True)`, one more at
each claim), and a long item's progress its `parts_sent`: `outbox_port.py` says what a
sender does with them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot.handoff.cards import plan_edits
from bot.handoff.lease import LEASE
from bot.handoff.order import conversation_in, plan_order, release
from bot.handoff.outbox_items import handed_out, missed
from bot.handoff.outbox_port import PUT_LEASE, Missed, OutboxItem
from bot.messages import Attachment, Button
from bot.storage.models import Conversation, Handoff, OutboxMessage

__all__ = ["DbOutbox", "put"]

MAX_ATTEMPTS = 10


async def put(
    platform: str,
    chat_id: str,
    text: str,
    *,
    kind: str,
    handoff: Handoff | None = None,
    buttons: Sequence[Button] = (),
    now: datetime | None = None,
    attachment: Attachment | None = None,
    conversation: Conversation | None = None,
    leased: bool = False,
) -> int:
    """Queue one message; call inside the transaction of the change it reports. Its id.

    A message to a user's chat is kept in order with the rest of that chat (`order.py`):
    its `conversation` is found from `handoff` or the chat when not given (give it for a
    message of no handoff to a chat several users talk in: whose it is).
    `leased`: the caller sends it itself at once (counted as an attempt, within a
    `SendWindow` opened before this call) and reports the outcome under lease PUT_LEASE;
    senders leave it alone for LEASE, then take it (the caller died)."""
    now = now or datetime.now(UTC)
    conversation = conversation or await conversation_in(platform, chat_id, handoff)
    row = await OutboxMessage.create(
        platform=platform,
        chat_id=chat_id,
        text=text,
        kind=kind,
        handoff=handoff,
        conversation=conversation,
        buttons=[[b.label, b.key] for b in buttons],
        attachment=None if attachment is None else attachment.to_json(),
        available_at=now + LEASE if leased else now,
        attempts=PUT_LEASE if leased else 0,
    )
    return row.id


@dataclass(frozen=True, slots=True)
class DbOutbox:
    """The outbox over the database; safe with several instances on PostgreSQL.

    `on_give_up` is called, in the same transaction, with an item that failed for good
    (`undelivered.ReportUndelivered` tells the side that sent it)."""

    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    on_give_up: Callable[[OutboxMessage], Awaitable[None]] | None = None

    async def claim(
        self,
        platform: str,
        *,
        chat_id: str | None = None,
        limit: int = 20,
        lease: timedelta = LEASE,
    ) -> list[OutboxItem]:
        """`Outbox.claim`; `lease`: how long the items are the caller's (see `received`)."""
        now = self.clock()
        async with in_transaction():
            query = OutboxMessage.filter(platform=platform, status="pending", available_at__lte=now)
            if chat_id is not None:
                query = query.filter(chat_id=chat_id)
            rows = await query.order_by("id").limit(limit).select_for_update(skip_locked=True)
            rows, cards = await _settle(rows, now=now)
            if rows:  # leased: the rows are locked, so one UPDATE counts each attempt once
                await OutboxMessage.filter(id__in=[r.id for r in rows]).update(
                    attempts=F("attempts") + 1, available_at=now + lease
                )
            for row in rows:
                row.attempts += 1  # as written: the number of this lease
        return await handed_out(rows, cards)

    async def sent(self, item: OutboxItem, *, message_id: str | None = None) -> bool:
        """Record the item sent, with its message id (a card's: its handoff's thread);
        whether messages held behind it are due now (`order.release`: wake the sender).

        A late report (the sender's lease ran out and another instance claimed the item
        since) is still recorded while the item is pending: the platform has the message,
        and recording it keeps it from going out again (a holder sending it at that moment
        still sends its copy: at least once, as always). It never overwrites an outcome
        already recorded, a newer holder's or not: the message id that is there stays (a
        card's thread does not move), and an item that failed for good stays failed (its
        failure was reported to whoever wrote it)."""
        async with in_transaction():
            row = await OutboxMessage.filter(id=item.id).select_for_update().first()
            if row is None or row.status != "pending":
                return False
            row.status, row.sent_at, row.platform_message_id = "sent", self.clock(), message_id
            await row.save(update_fields=["status", "sent_at", "platform_message_id"])
            if row.kind == "card" and row.handoff_id is not None and message_id:
                await Handoff.filter(id=row.handoff_id).update(desk_ref=message_id)
            freed = await release(row, now=self.clock())
        return freed  # committed: a claim now sees it sent, and those behind it due

    async def received(self, platform: str, chat_id: str, ids: Collection[int]) -> None:
        """A chat that takes its messages by asking for them (the web page, under a short
        lease) has shown the items `ids`: those still pending are sent. Only the chat's own
        items count: the ids come from the browser, and another chat's change nothing."""
        if ids:
            await OutboxMessage.filter(
                platform=platform, chat_id=chat_id, id__in=list(ids), status="pending"
            ).update(status="sent", sent_at=self.clock())

    async def missed(
        self, platform: str, chat_id: str, *, after: int | None, handed: Collection[int]
    ) -> Missed:
        """`PageOutbox.missed` (`outbox_items.missed`)."""
        return await missed(platform, chat_id, after=after, handed=handed)

    async def failed(
        self, item: OutboxItem, *, retry_after: timedelta | None = None, parts_sent: int = 0
    ) -> bool:
        """Put the item off by `retry_after` (None: fail it for good), noting `parts_sent`;
        only for the holder of its latest lease: a sender whose lease another instance has
        taken since is ignored, so it neither puts off nor drops what the other is sending
        (nor a newer outcome). Whether messages held behind it are due now (failed for
        good, like `sent`)."""
        async with in_transaction():
            row = await OutboxMessage.filter(id=item.id).select_for_update().first()
            if row is None or row.status != "pending" or row.attempts != item.lease:
                return False
            row.parts_sent = max(row.parts_sent, parts_sent)
            if retry_after is None or row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.available_at = self.clock() + retry_after
            await row.save(update_fields=["status", "available_at", "parts_sent"])
            if row.status == "failed" and self.on_give_up is not None:
                await self.on_give_up(row)
            freed = row.status == "failed" and await release(row, now=self.clock())
        return freed

    async def progress(self, item: OutboxItem, *, parts_sent: int) -> None:
        """Note that the platform has taken `parts_sent` of the item's parts (one UPDATE), for
        the holder of its latest lease only, like `failed`: should the sender die before the
        rest, the next lease goes on after them."""
        await OutboxMessage.filter(
            id=item.id, status="pending", attempts=item.lease, parts_sent__lt=parts_sent
        ).update(parts_sent=parts_sent)


async def _settle(
    rows: list[OutboxMessage], *, now: datetime
) -> tuple[list[OutboxMessage], dict[int, str]]:
    """The rows to hand out, and the card each card edit among them changes (its message
    id): an edit waits while its card is not sent, and fails when the card never went; any
    other message waits behind an earlier one of its conversation (`order.py`)."""
    plan = await plan_edits(rows, now=now)
    plan.later |= await plan_order(rows, now=now)
    for row in rows:
        if row.id in plan.dead:
            row.status = "failed"
            await row.save(update_fields=["status"])
        elif row.id in plan.later:
            row.available_at = plan.later[row.id]
            await row.save(update_fields=["available_at"])
    return [r for r in rows if r.id not in plan.dead and r.id not in plan.later], plan.refs
