"""Delivering the core's outbox to Telegram, and a turn's durable replies at once.

The items of platform "telegram" are cards with the Claim button, relays and notices in the
card's reply chain, the bot's replies and other messages to users, and card edits that show
on the card what became of its handoff; all paced like every message. A 429 puts the item
off by Telegram's `retry_after` and any other failure by RETRY_LATER (the outbox gives up
after its attempts); a blocked user is marked unreachable and the item dropped; the message
id goes back with `sent`, so a card gets its thread. Buttons outside the desk groups are
their user's (see `buttons.py`).

A turn's durable replies (see `bot/handoff/replies.py`) take the same way at once, as the
items they are (`deliver_now`): nothing waits in process, so a put-off reply is the
outbox's to retry. An item put off holds back the later ones of its conversation (a user's
chat, a handoff's thread on the desk: `bot/handoff/order.py`) in the same round, so they
keep their order; the outbox holds them back in later rounds, and the sender is woken for
them once the item is sent (or failed for good).

What is leased (a claimed batch, a turn's replies) is delivered within a `SendWindow` opened
before the lease was taken (`bot/handoff/lease.py`): an item Telegram has not taken when the
window closes is put off by RETRY_LATER, and so is every item after it in the round.

Every report carries the item's lease, so a late one (the lease ran out and another instance
took the item) cannot undo that instance's work. A text longer than a message is sent in
parts; each part Telegram takes while more are to come is recorded at once, so the next
attempt (after a put-off, or after this process died half-way) sends only the rest
(`bot/handoff/outbox_port.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Final

from telegram.error import ChatMigrated

from bot.adapters.telegram.convert import PLATFORM, is_group_chat
from bot.adapters.telegram.delivery import Outbox as Telegram
from bot.adapters.telegram.files import TelegramUploads
from bot.adapters.telegram.pacing import RateLimited
from bot.errors import DeliveryError, FileUnavailable, Unreachable
from bot.files import FileSource
from bot.handoff.cards import CARD_EDIT
from bot.handoff.lease import SEND_WITHIN, SendWindow
from bot.handoff.outbox_port import Lane, Outbox, OutboxItem, Parts, leased_reply, progress_of
from bot.handoff.pump import OutboxPump
from bot.messages import IncomingMessage, Reply, UserRef

__all__ = ["OutboxSender"]

log = logging.getLogger(__name__)
RETRY_LATER: Final = timedelta(seconds=30)


class OutboxSender(OutboxPump):
    """Claims Telegram's outbox items and sends them; `run` loops until `stop`."""

    name = "telegram"

    def __init__(
        self,
        outbox: Outbox,
        telegram: Telegram,
        files: FileSource,
        *,
        every: timedelta,
        desks: frozenset[str] = frozenset(),
    ) -> None:
        """`desks`: the desk groups' chat ids, whose buttons (Claim) are any agent's."""
        super().__init__(every=every)
        self.outbox, self.telegram, self.desks = outbox, telegram, desks
        self.uploads = TelegramUploads(telegram.bot, files, pacer=telegram.pacer)
        self.send_within = SEND_WITHIN  # the time what is leased has, inside the lease

    def window(self) -> SendWindow:
        """The time for what is leased next (open it before the claim or the turn)."""
        return SendWindow(self.send_within)

    async def deliver_due(self, limit: int = 20) -> int:
        """Deliver one batch of due items; how many there were."""
        window = self.window()
        items = await self.outbox.claim(PLATFORM, limit=limit)
        await self.deliver(items, window)
        return len(items)

    async def deliver_now(
        self,
        message: IncomingMessage,
        replies: Sequence[Reply],
        window: SendWindow,
        *,
        under: int | None = None,
    ) -> None:
        """Send a turn's replies to the chat of `message` at once (under message `under`):
        durable ones as their outbox items (within `window`, opened before the turn), others
        (an apology, kept nowhere) directly. A reply put off goes later, under nothing."""
        if any(reply.outbox_id is None for reply in replies):
            await self.telegram.deliver(message, replies, under=under)
        else:
            user = message.user.user_id  # whose buttons they are
            thread = None if under is None else str(under)
            items = [
                replace(leased_reply(PLATFORM, message.chat_id, reply), user=user, thread=thread)
                for reply in replies
            ]
            await self.deliver(items, window)

    async def deliver(self, items: Sequence[OutboxItem], window: SendWindow) -> None:
        """Send `items` in order, each reported sent, put off or failed to the outbox."""
        held: dict[Lane, timedelta] = {}  # conversations waiting behind a put-off item
        for item in items:
            wait = None if window.open else RETRY_LATER  # closed: the rest waits, in order
            if wait is None and item.lane is not None:
                wait = held.get(item.lane)
            if wait is not None:
                self.wake_if(await self.outbox.failed(item, retry_after=wait))
                continue
            wait = await self._deliver(item, window)
            if wait is not None and item.lane is not None:
                held[item.lane] = wait

    async def _deliver(self, item: OutboxItem, window: SendWindow) -> timedelta | None:
        """Send one item within `window`; how long it was put off (None: sent, or dropped
        for good)."""
        parts = progress_of(item, self.outbox)  # what Telegram took before, and takes now
        try:
            async with window.bound():
                message_id = await self._send(item, parts)
        except TimeoutError:
            log.warning("telegram chat %s: outbox item %s not sent in time", item.chat_id, item.id)
            return await self._put_off(item, RETRY_LATER, parts)
        except RateLimited as exc:
            return await self._put_off(item, timedelta(seconds=exc.retry_after), parts)
        except Unreachable as exc:
            log.info("telegram chat %s is unreachable: %s", item.chat_id, exc)
            self.wake_if(await self.outbox.failed(item))
            if not is_group_chat(item.chat_id):
                user = UserRef(PLATFORM, str(self.telegram.bot.id), item.chat_id)
                await self.telegram.core.mark_unreachable(user)
            return None
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram chat %s: outbox item %s not sent: %s", item.chat_id, item.id, exc)
            return await self._put_off(item, RETRY_LATER, parts)
        self.wake_if(await self.outbox.sent(item, message_id=str(message_id)))
        return None

    async def _put_off(self, item: OutboxItem, wait: timedelta, parts: Parts) -> timedelta:
        self.wake_if(await self.outbox.failed(item, retry_after=wait, parts_sent=parts.taken))
        return wait

    async def _send(self, item: OutboxItem, parts: Parts) -> int:
        """Send (or edit) the message of `item`, the parts of its text not taken yet (counted
        in `parts`); its message id."""
        reply_to = int(item.thread) if item.thread and item.thread.isdigit() else None
        reply = Reply(item.text, item.buttons)
        if item.kind == CARD_EDIT:
            await self._edit(item, reply)
            return reply_to or 0
        if item.attachment is not None:
            return await self._send_file(item, reply_to)
        owner = None if item.chat_id in self.desks else item.user
        return await self.telegram.send(
            item.chat_id, reply, reply_to=reply_to, patient=False, parts=parts, owner=owner
        )

    async def _send_file(self, item: OutboxItem, reply_to: int | None) -> int:
        """Pass the item's file on; when it cannot go, say so (the item's text) instead."""
        assert item.attachment is not None  # noqa: S101 - checked by the caller
        policy = self.telegram.policy.impatient()  # a 429 puts the item off
        try:
            return await self.uploads.send(
                item.chat_id, item.attachment, reply_to=reply_to, policy=policy
            )
        except FileUnavailable as exc:
            log.info("telegram chat %s: file not passed on: %s", item.chat_id, exc)
        return await self.telegram.send(
            item.chat_id, Reply(item.text), reply_to=reply_to, patient=False
        )

    async def _edit(self, item: OutboxItem, reply: Reply) -> None:
        """Change the card (`item.thread`, its message id) to the item's text and buttons."""
        if item.thread is None or not item.thread.isdigit():
            raise DeliveryError(f"card edit {item.id}: no card message to edit")
        await self.telegram.edit(item.chat_id, int(item.thread), reply)
