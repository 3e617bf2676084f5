"""The transactional outbox: messages to chats, written with the turn, delivered after.

The core writes with `put` inside the turn's transaction, so a card, a relay, a notice or a
reply of the bot (see `replies.py`) exists exactly when the change that caused it was
committed. Channel adapters deliver with the `Outbox` port: `claim` leases a batch for their
platform (a crashed sender's lease runs out and the items come back), `sent` records the
platform's message id, `failed` puts an item off (a 429's Retry-After, a network error).
A sender delivers what it leased within its `SendWindow` (see `lease.py`), so no other
instance takes an item while it is still being sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot.handoff.cards import CARD, CARD_EDIT, plan_edits
from bot.handoff.lease import LEASE
from bot.handoff.replies import plan_replies
from bot.messages import Attachment, Button
from bot.storage.models import Conversation, Handoff, OutboxMessage

__all__ = ["DbOutbox", "Outbox", "OutboxItem", "put"]

MAX_ATTEMPTS = 10


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to deliver: Markdown `text` to `chat_id` on `platform`.

    `thread` is the desk's id of the handoff card this belongs under (None: post at the top,
    or the card itself), `kind` is "card", "relay", "notice", "reply" (the bot's answer in a
    user's chat) or "card_edit" (see `bot/handoff/cards.py`: `thread` is then the card to
    change, `text` its new text).
    With an `attachment` the item passes that file on, and `text` is the line said instead
    when it cannot go (too large, gone, or a chat without uploads).
    """

    id: int
    platform: str
    chat_id: str
    text: str
    kind: str
    handoff_id: int | None = None
    thread: str | None = None
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    # The handoff's (or the reply's) user, their id on the platform: whose buttons these are,
    # and for a chat that names no one a message can go to by itself (Slack's /helpdesk in a
    # channel: the channel sender opens a DM).
    user: str | None = None


class Outbox(Protocol):
    """What a channel adapter needs to deliver the core's outbound messages."""

    async def claim(
        self, platform: str, *, chat_id: str | None = None, limit: int = 20
    ) -> list[OutboxItem]:
        """Lease up to `limit` due items of `platform` (of one chat, if given), oldest first."""
        ...

    async def sent(self, item_id: int, *, message_id: str | None = None) -> None:
        """The platform took the item; `message_id` is its id there."""
        ...

    async def failed(self, item_id: int, *, retry_after: timedelta | None = None) -> None:
        """Delivery failed: try again after `retry_after`, or never (None)."""
        ...


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

    `leased`: the caller sends it itself at once (counted as an attempt, within a
    `SendWindow` opened before this call) and reports the outcome; senders leave it alone
    for LEASE, then take it (the caller died)."""
    now = now or datetime.now(UTC)
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
        attempts=int(leased),
    )
    return row.id


def _item(row: OutboxMessage, thread: str | None, user: str | None) -> OutboxItem:
    buttons = tuple(Button(label, key) for label, key in row.buttons)
    file = None if row.attachment is None else Attachment.from_json(row.attachment)
    return OutboxItem(
        row.id,
        row.platform,
        row.chat_id,
        row.text,
        row.kind,
        row.handoff_id,
        thread,
        buttons,
        file,
        user,
    )


@dataclass(frozen=True, slots=True)
class DbOutbox:
    """The outbox over the database; safe with several instances on PostgreSQL.

    `on_give_up` is called, in the same transaction, with an item that failed for good
    (`undelivered.ReportUndelivered` tells the side that sent it)."""

    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    on_give_up: Callable[[OutboxMessage], Awaitable[None]] | None = None

    async def claim(
        self, platform: str, *, chat_id: str | None = None, limit: int = 20
    ) -> list[OutboxItem]:
        now = self.clock()
        async with in_transaction():
            query = OutboxMessage.filter(platform=platform, status="pending", available_at__lte=now)
            if chat_id is not None:
                query = query.filter(chat_id=chat_id)
            rows = await query.order_by("id").limit(limit).select_for_update(skip_locked=True)
            rows, cards = await _settle(rows, now=now)
            if rows:  # leased: the rows are locked, so one UPDATE counts each attempt once
                await OutboxMessage.filter(id__in=[r.id for r in rows]).update(
                    attempts=F("attempts") + 1, available_at=now + LEASE
                )
        refs, users = await _handoffs([r.handoff_id for r in rows if r.handoff_id is not None])
        askers = await _askers([r.conversation_id for r in rows if r.conversation_id is not None])
        return [
            _item(
                r,
                cards.get(r.id) or _thread_of(r, refs),
                users.get(r.handoff_id) or askers.get(r.conversation_id),
            )
            for r in rows
        ]

    async def sent(self, item_id: int, *, message_id: str | None = None) -> None:
        async with in_transaction():
            row = await OutboxMessage.get_or_none(id=item_id)
            if row is None:
                return
            row.status, row.sent_at, row.platform_message_id = "sent", self.clock(), message_id
            await row.save(update_fields=["status", "sent_at", "platform_message_id"])
            if row.kind == "card" and row.handoff_id is not None and message_id:
                await Handoff.filter(id=row.handoff_id).update(desk_ref=message_id)

    async def failed(self, item_id: int, *, retry_after: timedelta | None = None) -> None:
        async with in_transaction():
            row = await OutboxMessage.filter(id=item_id).select_for_update().first()
            if row is None or row.status != "pending":
                return
            if retry_after is None or row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.available_at = self.clock() + retry_after
            await row.save(update_fields=["status", "available_at"])
            if row.status == "failed" and self.on_give_up is not None:
                await self.on_give_up(row)


async def _settle(
    rows: list[OutboxMessage], *, now: datetime
) -> tuple[list[OutboxMessage], dict[int, str]]:
    """The rows to hand out, and the card each card edit among them changes (its message
    id): an edit waits while its card is not sent, and fails when the card never went; a
    reply waits behind an earlier one of its chat."""
    plan = await plan_edits(rows, now=now)
    plan.later |= await plan_replies(rows, now=now)
    for row in rows:
        if row.id in plan.dead:
            row.status = "failed"
            await row.save(update_fields=["status"])
        elif row.id in plan.later:
            row.available_at = plan.later[row.id]
            await row.save(update_fields=["available_at"])
    return [r for r in rows if r.id not in plan.dead and r.id not in plan.later], plan.refs


def _thread_of(row: OutboxMessage, refs: dict[int | None, str]) -> str | None:
    return None if row.kind in (CARD, CARD_EDIT) else refs.get(row.handoff_id)


async def _handoffs(
    handoff_ids: list[int],
) -> tuple[dict[int | None, str], dict[int | None, str]]:
    """Each handoff's card on the desk (its message id, once sent), and its user as their
    platform knows them; one query."""
    if not handoff_ids:
        return {}, {}
    rows = await Handoff.filter(id__in=handoff_ids).values_list(
        "id", "desk_ref", "user__external_id"
    )
    refs: dict[int | None, str] = {int(h): str(ref) for h, ref, _ in rows if ref}
    return refs, {int(h): str(user) for h, _, user in rows}


async def _askers(conversation_ids: list[int]) -> dict[int | None, str]:
    """The user of each conversation (replies answer in it), as their platform knows them."""
    if not conversation_ids:
        return {}
    rows = await Conversation.filter(id__in=conversation_ids).values_list("id", "user__external_id")
    return {int(c): str(user) for c, user in rows}
