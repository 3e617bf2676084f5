"""What the engine takes in from a user's action before anything is decided: the conversation
it belongs to (found or made, in the language the user writes), the line it adds to the
transcript (the one an agent is relayed), and the dialog's view of it, a `Turn`, with a
pressed button's action found by its key.

The engine (`bot/engine.py`) calls these in the turn's transaction; `taken` (whether an
unaddressed message is the bot's at all) before it records anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Final, TypedDict

from bot.dialog_commands import OWN_BUTTONS, is_own_command
from bot.dialog_described import DESCRIBING
from bot.dialog_ratings import COMMENT_MINUTES, COMMENTING
from bot.handoff.files import with_markers
from bot.intake_buttons import ANSWERS_ONLY, pressed_turn, typed_answer
from bot.intake_language import fallback_language, language_of
from bot.intents import Intents
from bot.knowledge.article import Article
from bot.knowledge.base import MAX_QUERY_CHARS
from bot.messages import IncomingMessage
from bot.presses import as_pressed
from bot.redact import redact
from bot.storage import repo
from bot.storage.buttons import typed_rating
from bot.storage.models import UNRESOLVED_TICKET, ButtonAction, Conversation
from bot.turns import State, Turn
from bot.zones import valid_zone

__all__ = [
    "THREAD_QUIET",
    "bots_own",
    "conversation_for",
    "reply_language",
    "said",
    "taken",
    "turn_for",
]

log = logging.getLogger(__name__)
THREAD_QUIET: Final = timedelta(hours=24)  # after this long, a thread reply must address the bot


def said(message: IncomingMessage) -> str:
    """The user's action as the transcript keeps it and an agent reads it: the text or
    [button] and the files' names, secrets redacted."""
    text = message.text if message.button is None else as_pressed(message.text)
    return redact(with_markers(text, message.attachments))


async def taken(message: IncomingMessage) -> bool:
    """Whether the bot takes `message`: an unaddressed one (a thread reply without a mention)
    only from a user it is talking with in that chat: active within `THREAD_QUIET`, or with a
    request at the desk (months later, the same thread is colleagues' talk again). Only
    reads: a message not taken leaves no trace (no user, no delivery record)."""
    if not message.unaddressed:
        return True
    return await repo.has_conversation(**_chat_key(message), since=datetime.now(UTC) - THREAD_QUIET)


async def conversation_for(
    message: IncomingMessage,
    *,
    default_language: str,
    understood: Callable[[str], bool] | None = None,
    russian: Callable[[str], bool] | None = None,
) -> Conversation:
    """The user's conversation in the message's chat, in the language they chose, else the
    one this message is in (`language_of`, with `understood`, `russian`; a new one: the platform's
    hint, else `default_language`); a user marked unreachable who writes in their own chat
    is reachable again (not one who writes in a group: they may still block the bot in
    private)."""
    detected = language_of(message, understood=understood, russian=russian)
    conversation = await repo.conversation_for(
        **_chat_key(message),
        name=message.user_name,
        language=detected or fallback_language(message, default_language),
        timezone=valid_zone(message.timezone),
    )
    if conversation.user.unreachable and not message.group:  # they unblocked the bot, say
        conversation.user.unreachable = False
        await conversation.user.save(update_fields=["unreachable"])
    language = conversation.user.language or detected
    if language and language != conversation.language:
        conversation.language = language
    await _keep_where(conversation, message)
    return conversation


async def _keep_where(conversation: Conversation, message: IncomingMessage) -> None:
    """A group's title and address, new or changed, for its cards ("" for the user's own
    chat with the bot)."""
    where = (message.chat_title[:255], message.chat_link[:255]) if message.group else ("", "")
    if where != (conversation.chat_title, conversation.chat_link):
        conversation.chat_title, conversation.chat_link = where
        await conversation.save(update_fields=["chat_title", "chat_link"])


async def reply_language(message: IncomingMessage, *, default_language: str) -> str:
    """The language to answer `message` in when its turn could not run (it failed): the one
    `conversation_for` would have found, without writing: the user's choice, else this
    message's, else their conversation's here (or their latest one: a press may come from
    another chat of theirs); for a user the bot has not met, the platform's hint, else
    `default_language`. A read that fails too (the database may be what failed the turn)
    leaves the message's own language."""
    user = message.user
    try:
        found = await repo.known_conversation(**_chat_key(message))
    except Exception as exc:
        log.warning("no language read for %s's apology: %s", user.user_id, type(exc).__name__)
        found = None
    chosen = found.user.language if found is not None else None
    known = found.language if found is not None else None
    return chosen or language_of(message) or known or fallback_language(message, default_language)


class _ChatKey(TypedDict):
    platform: str
    workspace: str
    user_id: str
    chat_id: str


def _chat_key(message: IncomingMessage) -> _ChatKey:
    """Which user's conversation in which chat `message` is of, as `repo` asks for it."""
    user = message.user
    return _ChatKey(
        platform=user.platform,
        workspace=user.workspace,
        user_id=user.user_id,
        chat_id=message.chat_id,
    )


async def turn_for(
    conversation: Conversation,
    message: IncomingMessage,
    matches: tuple[tuple[Article, float], ...],
    *,
    intents: Intents,
    button: ButtonAction | None = None,
    pressed: bool = False,
) -> Turn | None:
    """The dialog's view of this action (a pressed one's `button`, as `repo.find_button`
    found it; `pressed`: its press was counted already); None for a button that was already
    used. A score typed under the rating buttons ("5") is a press of that button; typed
    again once they are used, it is "rated_again" (not a question for the KB)."""
    name = await _waiting(conversation)
    ended = name != conversation.state  # a wait that ended keeps no articles tried before it
    tried = () if ended else tuple(conversation.tried_articles)
    state = State(name, conversation.misses, conversation.last_question, tried)
    base = Turn(state=state, language=conversation.language, office=conversation.user.office)
    intent = None if message.button is not None else intents.classify(message.text)
    if message.button is None:
        typed = await typed_rating(conversation, message.text)
        button = typed or await typed_answer(conversation, state, intent)
    if message.button is not None or button is not None:
        return await pressed_turn(
            base, conversation, button, typed=message.button is None, pressed=pressed
        )
    if intent in ANSWERS_ONLY:  # answers to the bot's buttons (`typed_answer`): alone,
        intent = None  # a question, a description, what went wrong, as any words
    describing = state.name.startswith(DESCRIBING)  # then: more than "срочно!"?
    urging = intent is None and intents.urgency(message.text) is not None
    topic = intents.topic(message.text) if intent == "person" or describing or urging else ""
    return replace(
        base,
        text=message.text,
        matches=matches,
        intent=intent,
        topic=topic,
        urgent_alone=urging and not topic,
        truncated=len(message.text) > MAX_QUERY_CHARS,
        attachments=len(message.attachments),
    )


async def _waiting(conversation: Conversation) -> str:
    """The conversation's state's name; a wait for what went wrong after a low rating, or
    for what the problem is after a bare request for a person, ends after `COMMENT_MINUTES`
    (a message then is a new question)."""
    name = conversation.state
    since = datetime.now(UTC) - timedelta(minutes=COMMENT_MINUTES)
    if name.startswith((COMMENTING, DESCRIBING)) and conversation.updated_at < since:
        return "idle"
    if name.startswith(DESCRIBING):  # only while the ticket is open (what is said is added)
        ticket = await repo.user_ticket(conversation.user_id, int(name.split(":")[1] or 0))
        if ticket is None or ticket.status not in UNRESOLVED_TICKET:
            return "idle"
    return name


def bots_own(message: IncomingMessage, button: ButtonAction | None) -> bool:
    """A command the bot answers itself (/help, /lang, …), or a button under such an answer
    (`button`, the pressed one found): never relayed to an agent, even while one has the chat."""
    if message.button is None:
        return is_own_command(message.text)
    return button is not None and button.action in OWN_BUTTONS
