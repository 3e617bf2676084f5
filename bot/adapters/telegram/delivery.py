"""Sends the core's replies to Telegram: paced, retried, and failures reported to the core.

A blocked user is marked unreachable (no retry); a group that became a supergroup is followed
to its new id and the message sent there; anything else is logged with the chat it was for.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, CallbackQuery, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import ChatMigrated

from bot.adapters.telegram.convert import PLATFORM, Outgoing, is_group_chat, to_outgoing
from bot.adapters.telegram.pacing import Pacer, RetryPolicy, call_with_retry
from bot.errors import DeliveryError, Unreachable
from bot.messages import Core, IncomingMessage, Reply

__all__ = ["Outbox"]

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class Outbox:
    """Everything the adapter says to Telegram goes through here."""

    def __init__(
        self,
        bot: Bot,
        core: Core,
        *,
        pacer: Pacer | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.bot = bot
        self.core = core
        self.pacer = pacer or Pacer()
        self.policy = policy or RetryPolicy()

    async def deliver(self, message: IncomingMessage, replies: Sequence[Reply]) -> None:
        """Send `replies` to the chat of `message`, in order; failures end the delivery."""
        chat_id = message.chat_id
        try:
            for reply in replies:
                for part in to_outgoing(reply):
                    chat_id = await self._send(chat_id, part)
        except Unreachable as exc:
            log.info("telegram chat %s is unreachable: %s", chat_id, exc)
            if not is_group_chat(chat_id):
                await self.core.mark_unreachable(message.user)
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram chat %s: reply not delivered: %s", chat_id, exc)

    async def close_buttons(self, query: CallbackQuery) -> None:
        """Answer a button press and take the keyboard off its message (no second press)."""
        await self._quietly(lambda: self.bot.answer_callback_query(query.id), "answer button")
        message = query.message
        if isinstance(message, Message) and message.reply_markup is not None:
            await self._quietly(
                lambda: self.bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
                ),
                "remove buttons",
            )

    async def _send(self, chat_id: str, part: Outgoing) -> str:
        """Send one message; the chat id it went to (a migrated group's new one)."""
        try:
            await self._send_to(chat_id, part)
        except ChatMigrated as exc:
            new_id = str(exc.new_chat_id)
            log.info("telegram chat %s became %s", chat_id, new_id)
            await self.core.move_chat(PLATFORM, chat_id, new_id)
            await self._send_to(new_id, part)
            return new_id
        return chat_id

    async def _send_to(self, chat_id: str, part: Outgoing) -> None:
        await self.pacer.wait(chat_id, group=is_group_chat(chat_id))
        await call_with_retry(
            lambda: self.bot.send_message(
                int(chat_id),
                part.text,
                parse_mode=ParseMode.HTML,
                reply_markup=part.markup,
                link_preview_options=_NO_PREVIEW,
            ),
            policy=self.policy,
            what="sendMessage",
        )

    async def _quietly(self, call: Callable[[], Awaitable[object]], what: str) -> None:
        # A late press ("query is too old") or an already edited message must not stop
        # the replies that follow.
        try:
            await call_with_retry(call, policy=self.policy, what=what)
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram: could not %s: %s", what, exc)
