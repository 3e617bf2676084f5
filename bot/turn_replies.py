"""What the bot replies to one message in its conversation: the transcript kept, the user's
turn passed to live agents (`Takeover`) or decided by the dialog and carried out
(`Effects`), and where IT's messages will reach the user said. The engine (`engine.py`)
calls it inside the turn's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.dialog import Dialog
from bot.effects import Effects
from bot.handoff.port import Takeover
from bot.intake import bots_own, conversation_for, said, turn_for
from bot.intake_language import found_in, matched_as_russian
from bot.intents import Intents
from bot.knowledge.article import Article
from bot.messages import IncomingMessage, Reply
from bot.storage import events, repo
from bot.storage.models import Conversation
from bot.turns import Say

__all__ = ["TurnReplies"]


def _asides(replies: list[Reply]) -> list[Reply]:
    """The replies to a press not taken: refusals, for the presser alone (`Reply.aside`)."""
    return [replace(reply, refusal=True, aside=True) for reply in replies]


async def _later_in_album(message: IncomingMessage) -> bool:
    """A file of an album after the first (Telegram sends each as its own message) with no
    words of its own: the album's first file got the answer, or the request for words."""
    if not message.album or message.button is not None:
        return False
    user, album = message.user, f"album:{message.user.workspace}:{message.chat_id}"
    first = await events.first_of(user.platform, f"{album}:{message.album}")
    return not first and not any(char.isalnum() for char in message.text)


@dataclass(frozen=True, slots=True)
class TurnReplies:
    """The engine's parts a turn's replies need."""

    dialog: Dialog
    intents: Intents
    effects: Effects
    default_language: str
    takeover: Takeover | None  # live agents: they, not the dialog, get the user's turns

    async def reply(
        self, message: IncomingMessage, matches: tuple[tuple[Article, float], ...], *, durable: bool
    ) -> list[Reply]:
        """The replies to `message` (its KB `matches` found already), its conversation's
        transcript and state kept; `durable` ones kept in the outbox too."""
        offices = (*self.dialog.offices, *self.dialog.office_aliases)
        understood = found_in(matches, self.intents, names=offices)
        conversation = await conversation_for(
            message,
            default_language=self.default_language,
            understood=understood,
            russian=matched_as_russian(matches),
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
        if await _later_in_album(message):  # in the transcript, for a person, as the rest
            await conversation.save()
            return []
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
