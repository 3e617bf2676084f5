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

from bot.adapters.telegram.convert import (
    PLATFORM,
    Outgoing,
    is_group_chat,
    reply_under,
    to_outgoing,
)
from bot.adapters.telegram.pacing import RetryPolicy, call_with_retry
from bot.errors import DeliveryError, Unreachable
from bot.handoff.outbox_port import Parts
from bot.messages import Core, IncomingMessage, Reply
from bot.pacing import Pace, Pacer

__all__ = ["Outbox"]

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_NOT_MODIFIED = "message is not modified"


class Outbox:
    """Everything the adapter says to Telegram goes through here."""

    def __init__(
        self,
        bot: Bot,
        core: Core,
        *,
        pacer: Pace | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.bot = bot
        self.core = core
        self.pacer = pacer or Pacer()
        self.policy = policy or RetryPolicy()

    async def deliver(
        self, message: IncomingMessage, replies: Sequence[Reply], *, under: int | None = None
    ) -> None:
        """Send `replies` to the chat of `message` (under message `under`), in order;
        failures end the delivery."""
        chat_id = message.chat_id
        try:
            for reply in replies:
                for part in to_outgoing(reply, owner=message.user.user_id):
                    chat_id, _ = await self._send(chat_id, part, under, self.policy)
        except Unreachable as exc:
            log.info("telegram chat %s is unreachable: %s", chat_id, exc)
            if not is_group_chat(chat_id):
                await self.core.mark_unreachable(message.user)
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram chat %s: reply not delivered: %s", chat_id, exc)

    async def send(
        self,
        chat_id: str,
        reply: Reply,
        *,
        reply_to: int | None = None,
        patient: bool = True,
        parts: Parts | None = None,
        owner: str | None = None,
    ) -> int:
        """Send one reply (under message `reply_to`); the id of its last part (the keyboard's,
        whose buttons are user `owner`'s when given).

        With `parts`, only the parts Telegram has not taken yet go, and each one it takes is
        counted there, and recorded if it records (an outbox item sent again goes on where it
        stopped).
        Errors are raised: `Unreachable`, `RateLimited` when not `patient` (the caller puts
        the message off instead of waiting), `DeliveryError` for the rest.
        """
        policy = self.policy if patient else self.policy.impatient()
        parts = Parts() if parts is None else parts
        to = chat_id  # a group that became a supergroup moves the rest of the parts with it

        async def send_one(part: Outgoing) -> int:
            nonlocal to
            to, message_id = await self._send(to, part, reply_to, policy)
            return message_id

        sent = await parts.send(to_outgoing(reply, owner=owner), send_one)
        return sent[-1] if sent else 0

    async def edit(self, chat_id: str, message_id: int, reply: Reply) -> None:
        """Replace a message the bot sent (a desk card) with `reply`, keyboard and all (none
        takes the buttons off). A card long enough to be sent in parts keeps its first parts:
        `message_id` is its last one (the keyboard's), which gets the last part of `reply`.

        Errors are raised like `send`'s when not patient; Telegram saying the message is
        already like that counts as done.
        """
        part = to_outgoing(reply)[-1]
        policy = self.policy.impatient()
        await self.pacer.wait(chat_id, group=is_group_chat(chat_id))
        try:
            await call_with_retry(
                lambda: self.bot.edit_message_text(
                    part.text,
                    chat_id=int(chat_id),
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=part.markup,
                    link_preview_options=_NO_PREVIEW,
                ),
                policy=policy,
                what="editMessageText",
            )
        except DeliveryError as exc:
            if _NOT_MODIFIED not in str(exc).casefold():
                raise

    async def close_buttons(self, query: CallbackQuery, text: str = "") -> None:
        """Answer a button press (with a toast `text`) and take the keyboard off its message
        (no second press)."""
        await self.answer_button(query.id, text)
        message = query.message
        if isinstance(message, Message) and message.reply_markup is not None:
            await self.remove_buttons(str(message.chat.id), message.message_id)

    async def answer_button(self, query_id: str, text: str = "", *, alert: bool = False) -> None:
        """Answer a button press (a toast with `text`, or an alert the user must close)."""
        await self._quietly(
            lambda: self.bot.answer_callback_query(
                query_id, text=text or None, show_alert=alert and bool(text)
            ),
            "answer button",
        )

    async def remove_buttons(self, chat_id: str, message_id: int) -> None:
        """Take the keyboard off a message the bot sent."""
        await self._quietly(
            lambda: self.bot.edit_message_reply_markup(
                chat_id=int(chat_id), message_id=message_id, reply_markup=None
            ),
            "remove buttons",
        )

    async def _send(
        self, chat_id: str, part: Outgoing, reply_to: int | None, policy: RetryPolicy
    ) -> tuple[str, int]:
        """Send one message; the chat id it went to (a migrated group's new one), its id."""
        try:
            return chat_id, await self._send_to(chat_id, part, reply_to, policy)
        except ChatMigrated as exc:
            new_id = str(exc.new_chat_id)
            log.info("telegram chat %s became %s", chat_id, new_id)
            await self.core.move_chat(PLATFORM, chat_id, new_id)
            return new_id, await self._send_to(new_id, part, reply_to, policy)

    async def _send_to(
        self, chat_id: str, part: Outgoing, reply_to: int | None, policy: RetryPolicy
    ) -> int:
        await self.pacer.wait(chat_id, group=is_group_chat(chat_id))
        sent = await call_with_retry(
            lambda: self.bot.send_message(
                int(chat_id),
                part.text,
                parse_mode=ParseMode.HTML,
                reply_markup=part.markup,
                link_preview_options=_NO_PREVIEW,
                reply_parameters=reply_under(reply_to),
            ),
            policy=policy,
            what="sendMessage",
        )
        return sent.message_id

    async def _quietly(self, call: Callable[[], Awaitable[object]], what: str) -> None:
        # A late press ("query is too old") or an already edited message must not stop
        # the replies that follow. Nor may a 429's wait: Telegram forgets a press it has
        # not had an answer to within seconds, and the keyboard only goes to tidy up.
        try:
            await call_with_retry(call, policy=self.policy.impatient(), what=what)
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram: could not %s: %s", what, exc)
