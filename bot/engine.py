"""Runs one turn end to end: record the delivery, load the state, decide, store, reply.

The adapters call `Engine.handle` with an `IncomingMessage` and send the `Reply` values it
returns. Everything the turn changes is written in one transaction, together with the
delivery's record, so a redelivered event is handled once and a crash loses nothing.
Channels that must acknowledge before the work is done call `Engine.accept` first; those
that must not lose a reply ask for durable ones, kept in the outbox by the same transaction
(see `bot/handoff/replies.py`). What a turn reads of the message and the conversation, up to
the dialog's `Turn`, is in `bot/intake.py`; what it replies, in `bot/turn_replies.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from tortoise.transactions import in_transaction

from bot.dialog import Dialog
from bot.dialog_commands import is_command
from bot.effects import Effects
from bot.handoff.port import Takeover
from bot.intake import reply_language, taken
from bot.intents import Intents
from bot.knowledge.article import Article
from bot.knowledge.base import MAX_QUERY_CHARS, Knowledge
from bot.messages import (
    HandledBefore,
    IncomingMessage,
    Reply,
    UserRef,
    message_from_payload,
    message_to_payload,
)
from bot.offload import Offload
from bot.redact import redact
from bot.storage import events, repo
from bot.turn_replies import TurnReplies
from bot.wellformed import mended

__all__ = ["Engine"]

log = logging.getLogger(__name__)


def _payload(message: IncomingMessage) -> dict[str, object]:
    """What is kept of a delivery: enough to handle it again, secrets redacted."""
    return message_to_payload(message, text=redact(message.text[: MAX_QUERY_CHARS * 4]))


@dataclass(frozen=True, slots=True)
class Engine:
    """The conversation engine: one `handle` per user action."""

    dialog: Dialog
    knowledge: Knowledge  # a loaded KB, or the live one the bot runs on
    intents: Intents
    effects: Effects
    default_language: str = "ru"
    takeover: Takeover | None = None  # live agents: they, not the dialog, get the user's turns
    offload: Offload = field(default_factory=Offload)  # matching, off the event loop

    async def accept(self, message: IncomingMessage) -> bool:
        """Record a delivery before acknowledging it; False for a redelivery (drop it), and
        for an unaddressed message the bot does not take (not recorded).

        For channels that must acknowledge before the work is done: `handle` it after the
        acknowledgement, and `pending` finds it again if the process dies in between.
        """
        message = mended(message)  # storable: no lone surrogates (bot/wellformed.py)
        if not await taken(message):
            return False
        if message.event_id is None:
            return True
        return await events.accept(message.user.platform, message.event_id, _payload(message))

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        """The bot's replies to one user action (`HandledBefore()` for a delivery handled
        before); durable ones are kept in the outbox (see `Core.handle`).

        The one place a turn's failure is caught: its writes are rolled back, the failure is
        logged with the delivery, and the user gets an apology instead of silence, in their
        conversation's language (not kept: the delivery is not handled, and recovery tries it
        again).
        """
        message = mended(message)  # storable: no lone surrogates (bot/wellformed.py)
        try:
            return await self._handle(message, durable=durable)
        except Exception:
            log.exception(
                "failed to handle %s delivery %s from %s",
                message.user.platform,
                message.event_id,
                message.user.user_id,
            )
            if message.event_id is not None:  # recovery gives up on it after MAX_FAILURES
                await events.note_failure(message.user.platform, message.event_id)
            language = await reply_language(message, default_language=self.default_language)
            return [Reply(self.dialog.phrases.get(language, "error"), refusal=True)]

    async def _handle(self, message: IncomingMessage, *, durable: bool) -> list[Reply]:
        if not await taken(message):  # before anything is matched or stored
            return []
        # In a background thread (see bot/offload.py), so a slow match (a huge KB, a long
        # text) does not stall the other chats.
        text = message.text if message.button is None else ""
        matches = await self.offload.run(self._matches, text)
        async with in_transaction():
            event = None
            if message.event_id is not None:
                platform, key = message.user.platform, message.event_id
                event = await events.claim(platform, key, _payload(message))
                if event is None:
                    log.info("delivery %s:%s was handled before", platform, key)
                    return HandledBefore()
            replies = await self._turns.reply(message, matches, durable=durable)
            if event is not None:
                await events.mark_handled(event)
        return replies

    @property
    def _turns(self) -> TurnReplies:
        """What replies to a message in its conversation, from the engine's parts."""
        return TurnReplies(
            self.dialog, self.intents, self.effects, self.default_language, self.takeover
        )

    async def pending(self, platform: str, *, older_than: timedelta) -> list[IncomingMessage]:
        """Deliveries accepted but never handled (the process died): handle them again."""
        found = await events.unhandled(platform, older_than=older_than)
        return [message_from_payload(event.payload) for event in found if event.payload]

    async def mark_unreachable(self, user: UserRef, *, unreachable: bool = True) -> None:
        """The platform says the user blocked the bot or left: their requests that wait for
        or have an agent end, and no agent picks up their tickets for a chat, until they
        unblock it (`unreachable=False`) or write to it again (a turn in their own chat
        clears the mark: see intake.conversation_for)."""
        user_key = (user.platform, user.workspace, user.user_id)
        async with in_transaction():
            await repo.set_unreachable(*user_key, unreachable=unreachable)
            if unreachable and self.takeover is not None:
                await self.takeover.gone(user)

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A chat got a new id (a Telegram group became a supergroup): follow it."""
        await repo.move_chat(platform, old_chat_id, new_chat_id)

    def _matches(self, text: str) -> tuple[tuple[Article, float], ...]:
        if not text.strip() or is_command(text):
            return ()
        return tuple(self.knowledge.search(text, limit=5))
