"""Runs one turn end to end: record the delivery, load the state, decide, store, reply.

The adapters call `Engine.handle` with an `IncomingMessage` and send the `Reply` values it
returns. Everything the turn changes is written in one transaction, together with the
delivery's record, so a redelivered event is handled once and a crash loses nothing.
Channels that must acknowledge before the work is done call `Engine.accept` first; those
that must not lose a reply ask for durable ones, kept in the outbox by the same transaction
(see `bot/handoff/replies.py`). What a turn reads of the message and the conversation, up to
the dialog's `Turn`, is in `bot/intake.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta

from tortoise.transactions import in_transaction

from bot.dialog import Dialog
from bot.dialog_commands import is_command
from bot.effects import Effects
from bot.handoff.port import Takeover
from bot.intake import (
    bots_own,
    conversation_for,
    reply_language,
    said,
    taken,
    turn_for,
)
from bot.intake_language import found_in
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
from bot.storage.models import Conversation
from bot.turns import Say
from bot.wellformed import mended

__all__ = ["Engine"]

log = logging.getLogger(__name__)


def _payload(message: IncomingMessage) -> dict[str, object]:
    """What is kept of a delivery: enough to handle it again, secrets redacted."""
    return message_to_payload(message, text=redact(message.text[: MAX_QUERY_CHARS * 4]))


def _asides(replies: list[Reply]) -> list[Reply]:
    """The replies to a press not taken: refusals, for the presser alone (`Reply.aside`)."""
    return [replace(reply, refusal=True, aside=True) for reply in replies]


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
            replies = await self._converse(message, matches, durable=durable)
            if event is not None:
                await events.mark_handled(event)
        return replies

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

    async def _converse(
        self, message: IncomingMessage, matches: tuple[tuple[Article, float], ...], *, durable: bool
    ) -> list[Reply]:
        offices = (*self.dialog.offices, *self.dialog.office_aliases)
        understood = found_in(matches, self.intents, names=offices)
        conversation = await conversation_for(
            message, default_language=self.default_language, understood=understood
        )
        limit = self.effects.max_stored_chars
        pressed, forwarded = message.button is not None, message.forwarded_from
        await repo.add_transcript(
            conversation, "in", said(message), limit=limit, pressed=pressed, forwarded=forwarded
        )
        replies = await self._replies(conversation, message, matches)
        if not durable or any(reply.refusal for reply in replies):
            return replies  # a refusal goes at once, never behind earlier replies: not kept
        return await self.effects.keep(conversation, replies)

    async def _replies(
        self,
        conversation: Conversation,
        message: IncomingMessage,
        matches: tuple[tuple[Article, float], ...],
    ) -> list[Reply]:
        key, relayed, pressed = message.button, None, False
        button = None if key is None else await repo.find_button(key, conversation)  # read once
        if self.takeover is not None and not bots_own(message, button):
            if button is not None:  # a press an agent may read uses its buttons up too
                pressed = await repo.press_button(button) == "ok"
                if not pressed:
                    return await self._pressed_again(conversation)
            relayed = await self.takeover.intercept(
                conversation.id,
                said(message),
                message.attachments,
                edited=message.edited,
                forwarded=message.forwarded_from,
            )
        if relayed is not None:
            await conversation.save()
            says = [Say(text) for text in relayed] + self._told_where(conversation, message)
            return await self.effects.say(conversation, says)
        turn = await turn_for(
            conversation, message, matches, intents=self.intents, button=button, pressed=pressed
        )
        if turn is None:
            return await self._pressed_again(conversation)
        decision, was = self.dialog.decide(turn), conversation.user.office
        replies = await self.effects.apply(conversation, decision)
        if self.takeover and decision.office not in (None, was) and decision.handoff is None:
            await self.takeover.moved(conversation.id, was=was)  # a request of theirs waits
        if decision.handoff is not None:  # a person, or a ticket: IT will write later
            replies += await self.effects.say(conversation, self._told_where(conversation, message))
        return _asides(replies) if decision.refused else replies

    def _told_where(self, conversation: Conversation, message: IncomingMessage) -> list[Say]:
        """Where IT's messages will reach a user whose chat shows only the bot's answers
        at once (`later_in_private`): "here", as the bot's other texts say, is not there."""
        if not message.later_in_private:
            return []
        return [Say(self.dialog.phrases.get(conversation.language, "later_in_private"))]

    async def _pressed_again(self, conversation: Conversation) -> list[Reply]:
        """Buttons used already (a double tap): the first press stands; told to the presser."""
        used = Say(self.dialog.phrases.get(conversation.language, "button_used"))
        return _asides(await self.effects.say(conversation, [used]))

    def _matches(self, text: str) -> tuple[tuple[Article, float], ...]:
        if not text.strip() or is_command(text):
            return ()
        return tuple(self.knowledge.search(text, limit=5))
