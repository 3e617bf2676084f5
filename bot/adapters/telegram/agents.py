"""The agents' desk in Telegram groups.

`DeskGroups` turns what agents do in a desk group (see `desk_convert.py`) into
`DeskPort.act` calls and answers there: a button press with a toast (an alert for a
refusal), a message in the card's reply chain with a reply only when refused or when
nothing else shows the result (`answers_agent`: a note, the ticket list); relays, claims,
closes and transfers show up as the core's own desk notices, which the outbox sender
(`sender.py`) delivers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from telegram import Update
from telegram.error import ChatMigrated

from bot.adapters.telegram.convert import PLATFORM, BotIdentity, chat_move
from bot.adapters.telegram.desk_convert import USAGE, DeskOrder, desk_chat_of, desk_order
from bot.errors import DeliveryError
from bot.handoff.desk_port import DeskAction, DeskPort, DeskResult, answers_agent
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.adapters.telegram.channel import TelegramChannel

__all__ = ["DeskGroups"]

log = logging.getLogger(__name__)
_TOAST_CHARS: Final = 200  # answerCallbackQuery's text limit


class DeskGroups:
    """The desk groups of the configured teams."""

    def __init__(
        self, channel: TelegramChannel, desk: DeskPort, *, wake: Callable[[], None]
    ) -> None:
        """`wake` tells the outbox sender that an action may have queued messages."""
        self.sender, self.desk, self.wake = channel.outbox, desk, wake
        self.chats, self.usage = channel.config.desk_chats, channel.config.desk_usage

    def owns(self, update: Update) -> bool:
        """Whether `update` happened in a desk group (the bot reads it as the desk)."""
        return desk_chat_of(update) in self.chats

    async def on_update(self, update: Update, me: BotIdentity) -> None:
        """Do what an agent asked for in a desk group; chatter there is ignored."""
        if (move := chat_move(update)) is not None:
            _desk_moved(*move)
            return
        order = desk_order(update, me)
        if order is None:
            return
        if order.kind == USAGE:  # as a Slack desk answers an unknown `!` command
            await self._tell(order, self.usage)
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
            name=order.name,
            edited=order.edited,
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
        if answers_agent(order.kind, result):
            await self._tell(order, result.text)

    async def _tell(self, order: DeskOrder, text: str) -> None:
        """Answer the agent under the message that gave `order`."""
        if not text:
            return
        try:
            await self.sender.send(order.chat_id, Reply(text), reply_to=order.message_id)
        except (DeliveryError, ChatMigrated) as exc:
            log.warning("telegram desk %s: answer not delivered: %s", order.chat_id, exc)


def _desk_moved(old: str, new: str) -> None:
    """A desk group became a supergroup, with a new chat id: the bot still sends cards there
    (Telegram says where the group went), but reads what agents do there as users' chats
    until the configuration names the new id, so say what to change."""
    log.error(
        'telegram: the desk group %s became a supergroup, chat %s: set desk = "telegram:%s" '
        "for its team in the configuration and restart; until then agents' presses and "
        "replies there are not read as the desk's",
        old,
        new,
        new,
    )
