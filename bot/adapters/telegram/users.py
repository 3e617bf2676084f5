"""What users do in their own chats with the bot (private chats and branch groups; the desk
groups are `agents.py`'s): a message or a button press becomes a turn of the core, whose
durable replies are sent at once (see `sender.py`).

A press on someone else's buttons is not read: only its presser gets an alert. Any other
press is answered after its turn, before the replies go (Telegram forgets an unanswered
press within seconds), with the turn's asides: a word only the presser sees (a button
already used, or no longer valid), so none of it is posted for everyone in a group; then
its keyboard goes (no second press; one during the turn is refused by the core, as an
aside).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import CallbackQuery, Update

from bot.adapters.telegram.buttons import pressed_by_other
from bot.adapters.telegram.convert import (
    PLATFORM,
    BotIdentity,
    answer_under,
    chat_move,
    pressed_message,
    to_incoming,
)
from bot.adapters.telegram.membership import blocked_by, unblocked_by
from bot.messages import IncomingMessage, Reply

if TYPE_CHECKING:
    from bot.adapters.telegram.channel import TelegramChannel

__all__ = ["UserChats"]

log = logging.getLogger(__name__)


class UserChats:
    """The users' side of one bot."""

    def __init__(self, channel: TelegramChannel) -> None:
        self.core, self.config = channel.core, channel.config
        self.outbox, self.sender = channel.outbox, channel.sender

    async def on_update(self, update: Update, me: BotIdentity) -> None:
        """Serve a user's message or press; follow a chat that moved; note a blocked bot,
        and one unblocked."""
        query = update.callback_query
        if query is not None and pressed_by_other(query):  # the keyboard stays for its owner
            text = self.config.not_yours_for(query.from_user.language_code)
            await self.outbox.answer_button(query.id, text, alert=True)
            return
        message = to_incoming(update, me)
        if message is not None:
            await self.serve(message, apologise=True, under=answer_under(update), query=query)
            return
        if query is not None:
            await self.outbox.close_buttons(query)
        if (move := chat_move(update)) is not None:
            await self.core.move_chat(PLATFORM, *move)
        elif (user := blocked_by(update, me)) is not None:
            await self.core.mark_unreachable(user)
        elif (user := unblocked_by(update, me)) is not None:
            await self.core.mark_unreachable(user, unreachable=False)

    async def recovered(self, message: IncomingMessage) -> None:
        """Serve what a crash left recorded but unhandled, without an apology; a press as
        one served at once: its keyboard taken off, the answer under it in a group."""
        pressed = pressed_message(message)
        under = pressed if message.group else None
        await self.serve(message, apologise=False, under=under, pressed=pressed)

    async def serve(
        self,
        message: IncomingMessage,
        *,
        apologise: bool,
        under: int | None = None,
        query: CallbackQuery | None = None,
        pressed: int | None = None,
    ) -> None:
        """The one place the Telegram loop catches: log with context, apologise, go on.
        The replies go under message `under`, if given; press `query` is answered first (a
        turn's asides without one, in recovery, are too late for anyone: dropped) and its
        keyboard taken off (or that of message `pressed`, a press recovered)."""
        window = self.sender.window()  # before the turn leases its replies
        try:
            replies = await self.core.handle(message, durable=True)
        except Exception:
            log.exception(
                "telegram: update %s in chat %s failed", message.event_id, message.chat_id
            )
            replies = [Reply(self.config.apology_for(message.locale))] if apologise else []
        if query is not None:
            await self.outbox.close_buttons(query, "\n".join(r.text for r in replies if r.aside))
        elif pressed is not None:
            await self.outbox.remove_buttons(message.chat_id, pressed)
        self.sender.wake()  # the turn may have queued a card, a relay or replies behind others
        said = [reply for reply in replies if not reply.aside]
        await self.sender.deliver_now(message, said, window, under=under)
