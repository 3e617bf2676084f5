"""The agents' desk in Telegram groups, and delivery of the core's outbox to Telegram.

`DeskGroups` does two things for the channel:
- it turns what agents do in a desk group (see `desk_convert.py`) into `DeskPort.act` calls
  and answers there: a button press with a toast (an alert for a refusal), a message in the
  card's reply chain with a reply only when refused or when nothing else shows the result
  (a note); relays, claims, closes and transfers show up as the core's own desk notices;
- it delivers the outbox items of platform "telegram" (cards with the Claim button, relays
  and notices in the card's reply chain, messages to users, card edits that show on the
  card what became of its handoff), paced like every reply. A 429
  puts the item off by Telegram's `retry_after`; a blocked user is marked unreachable and
  the item dropped; the message id goes back with `sent`, so a card gets its thread.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from telegram import Update
from telegram.error import ChatMigrated

from bot.adapters.telegram.convert import PLATFORM, BotIdentity, is_group_chat
from bot.adapters.telegram.desk_convert import DeskOrder, desk_chat_of, desk_order
from bot.adapters.telegram.files import TelegramUploads
from bot.adapters.telegram.pacing import RateLimited
from bot.errors import DeliveryError, FileUnavailable, Unreachable
from bot.files import FileSource
from bot.handoff.cards import CARD_EDIT
from bot.handoff.desk import DeskAction, DeskPort, DeskResult
from bot.handoff.outbox import Outbox, OutboxItem
from bot.handoff.pump import OutboxPump
from bot.messages import Reply, UserRef

if TYPE_CHECKING:
    from bot.adapters.telegram.channel import TelegramChannel

__all__ = ["DeskGroups"]

log = logging.getLogger(__name__)
RETRY_LATER: Final = timedelta(seconds=30)
_TOAST_CHARS: Final = 200  # answerCallbackQuery's text limit


class DeskGroups(OutboxPump):
    """The desk groups of the configured teams, and the outbox sender for Telegram."""

    name = "telegram"

    def __init__(
        self, channel: TelegramChannel, desk: DeskPort, outbox: Outbox, files: FileSource
    ) -> None:
        super().__init__(every=channel.config.outbox_every)
        self.bot, self.sender = channel.bot, channel.outbox
        self.desk, self.outbox = desk, outbox
        self.uploads = TelegramUploads(channel.bot, files, pacer=channel.outbox.pacer)
        self.chats = channel.config.desk_chats

    def owns(self, update: Update) -> bool:
        """Whether `update` happened in a desk group (the bot reads it as the desk)."""
        return desk_chat_of(update) in self.chats

    async def on_update(self, update: Update, me: BotIdentity) -> None:
        """Do what an agent asked for in a desk group; chatter there is ignored."""
        order = desk_order(update, me)
        if order is None:
            return
        handoff_id = order.handoff_id
        if handoff_id is None and order.ref is not None:
            handoff_id = await self.desk.thread_of(f"{PLATFORM}:{order.chat_id}", order.ref)
        action = DeskAction(
            order.kind,
            handoff_id or 0,
            text=order.text,
            team=order.team,
            ticket_id=order.ticket_id,
            attachments=order.attachments,
        )
        result = await self.desk.act(order.agent, action, event_id=order.event_id)
        self.wake()
        await self._answer(order, result)

    async def _answer(self, order: DeskOrder, result: DeskResult) -> None:
        if order.query_id is not None:
            # A claim's card loses its button by the core's card edit, in outbox order.
            await self.sender.answer_button(
                order.query_id, result.text[:_TOAST_CHARS], alert=not result.ok
            )
            return
        if result.text and (not result.ok or order.kind in ("note", "tickets")):
            try:
                await self.sender.send(order.chat_id, Reply(result.text), reply_to=order.message_id)
            except (DeliveryError, ChatMigrated) as exc:
                log.warning("telegram desk %s: answer not delivered: %s", order.chat_id, exc)

    async def deliver_due(self, limit: int = 20) -> int:
        """Deliver one batch of due items; how many there were."""
        items = await self.outbox.claim(PLATFORM, limit=limit)
        for item in items:
            await self._deliver(item)
        return len(items)

    async def _deliver(self, item: OutboxItem) -> None:
        reply_to = int(item.thread) if item.thread and item.thread.isdigit() else None
        reply = Reply(item.text, item.buttons)
        try:
            if item.kind == CARD_EDIT:
                await self._edit(item, reply)
                message_id = reply_to or 0
            elif item.attachment is not None:
                message_id = await self._send_file(item, reply_to)
            else:
                message_id = await self.sender.send(
                    item.chat_id, reply, reply_to=reply_to, patient=False
                )
        except RateLimited as exc:
            await self.outbox.failed(item.id, retry_after=timedelta(seconds=exc.retry_after))
        except Unreachable as exc:
            log.info("telegram chat %s is unreachable: %s", item.chat_id, exc)
            await self.outbox.failed(item.id)
            if not is_group_chat(item.chat_id):
                me = str(self.bot.id)
                await self.sender.core.mark_unreachable(UserRef(PLATFORM, me, item.chat_id))
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram chat %s: outbox item %s not sent: %s", item.chat_id, item.id, exc)
            await self.outbox.failed(item.id, retry_after=RETRY_LATER)
        else:
            await self.outbox.sent(item.id, message_id=str(message_id))

    async def _send_file(self, item: OutboxItem, reply_to: int | None) -> int:
        """Pass the item's file on; when it cannot go, say so (the item's text) instead."""
        assert item.attachment is not None  # noqa: S101 - checked by the caller
        policy = self.sender.policy.impatient()  # a 429 puts the item off
        try:
            return await self.uploads.send(
                item.chat_id, item.attachment, reply_to=reply_to, policy=policy
            )
        except FileUnavailable as exc:
            log.info("telegram chat %s: file not passed on: %s", item.chat_id, exc)
        return await self.sender.send(
            item.chat_id, Reply(item.text), reply_to=reply_to, patient=False
        )

    async def _edit(self, item: OutboxItem, reply: Reply) -> None:
        """Change the card (`item.thread`, its message id) to the item's text and buttons."""
        if item.thread is None or not item.thread.isdigit():
            raise DeliveryError(f"card edit {item.id}: no card message to edit")
        await self.sender.edit(item.chat_id, int(item.thread), reply)
