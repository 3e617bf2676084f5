"""Pure translation between Telegram updates and the neutral message values.

`to_incoming` turns an `Update` into an `IncomingMessage` (or None when the bot should not
read it: group chatter not addressed to the bot, another bot's command, service messages);
`to_outgoing` turns a `Reply` into Telegram HTML messages with an inline keyboard. Nothing
here touches the network.

Keyboards and presses are in `buttons.py`, the files a message carries in `media.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from telegram import (
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
    User,
)

from bot.adapters.telegram.buttons import keyboard, pressed, pressed_by_other
from bot.adapters.telegram.forwards import forwarded_from
from bot.adapters.telegram.links import shown_text
from bot.adapters.telegram.markdown import render_blocks, split_html
from bot.adapters.telegram.media import PLATFORM, attachments_of
from bot.messages import IncomingMessage, Reply, UserRef

__all__ = [
    "COMMAND",
    "EDIT_WINDOW",
    "PLATFORM",
    "BotIdentity",
    "Outgoing",
    "answer_under",
    "chat_move",
    "event_id",
    "is_group_chat",
    "pressed_message",
    "recent_edit",
    "reply_under",
    "to_incoming",
    "to_outgoing",
    "user_ref",
]

# An edit this soon after sending is a corrected question (a typo fixed); a later one is
# usually cosmetic, and answering an old question again would confuse.
EDIT_WINDOW: Final = timedelta(minutes=2)
# Read in a group even without "@bot": a command picked from the menu comes bare when the
# group has one bot, so every command the menu offers (bot/channels.py) must be here.
OUR_COMMANDS: Final = frozenset({"start", "help", "lang", "cancel", "ask", "tickets", "office"})
COMMAND: Final = re.compile(r"/(\w+)(?:@(\w+))?(?:\s+(.*))?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who the bot is (from getMe): needed to see mentions, replies and addressed commands."""

    id: int
    username: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Telegram message to send: HTML text and, on the last part, the keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def is_group_chat(chat_id: str) -> bool:
    """Groups and supergroups have negative ids; private chats positive ones."""
    return chat_id.startswith("-")


def to_incoming(update: Update, me: BotIdentity) -> IncomingMessage | None:
    """The user action in `update`, or None when the bot is not meant to read it."""
    if update.callback_query is not None:
        return _from_button(update, me)
    message = update.message or recent_edit(update.edited_message)
    sender = message.from_user if message else None
    if message is None or sender is None or sender.is_bot:
        return None
    text = _addressed_text(message, me)
    if text is None:
        return None
    return IncomingMessage(
        user=user_ref(me, sender),
        chat_id=str(message.chat.id),
        text=text,
        user_name=sender.full_name,
        event_id=event_id(me, update),
        locale=sender.language_code,
        attachments=attachments_of(message),
        edited=update.message is None,
        group=message.chat.type != "private",
        forwarded_from=forwarded_from(message),
        chat_title=message.chat.title or "",
        album=message.media_group_id or "",
    )


def user_ref(me: BotIdentity, user: User) -> UserRef:
    """A Telegram user as the core knows them: the bot's id is the workspace."""
    return UserRef(PLATFORM, str(me.id), str(user.id))


def event_id(me: BotIdentity, update: Update) -> str:
    """The dedup key of an update: update ids are unique per bot."""
    return f"{me.id}:{update.update_id}"


def answer_under(update: Update) -> int | None:
    """The message the bot's answer goes under: in a group, the question (or the message
    whose button was pressed), so that everyone sees whose answer is whose; none in a
    private chat."""
    message = update.effective_message
    if message is None or message.chat.type == "private":
        return None
    return message.message_id


def reply_under(message_id: int | None) -> ReplyParameters | None:
    """Send as a reply to `message_id`, or still send if that message is gone."""
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)


def recent_edit(message: Message | None) -> Message | None:
    """An edited message with words (a text, or a file's caption: read as its question),
    if the edit came within EDIT_WINDOW of the message; a live location's moves are not."""
    if message is None or message.edit_date is None:
        return None
    if message.text is None and message.caption is None:
        return None
    return message if message.edit_date - message.date <= EDIT_WINDOW else None


def _from_button(update: Update, me: BotIdentity) -> IncomingMessage | None:
    query = update.callback_query
    assert query is not None  # noqa: S101 - checked by the caller
    if query.message is None or not query.data or pressed_by_other(query):
        return None
    key, label = pressed(query)
    return IncomingMessage(
        user=user_ref(me, query.from_user),
        chat_id=str(query.message.chat.id),
        text=label,
        button=key,
        user_name=query.from_user.full_name,
        event_id=event_id(me, update),
        locale=query.from_user.language_code,
        group=query.message.chat.type != "private",
        chat_title=query.message.chat.title or "",
        origin=str(query.message.message_id),  # the pressed message: see `pressed_message`
    )


def pressed_message(message: IncomingMessage) -> int | None:
    """The id of the message whose button a press recovered after a crash was (kept with
    it as its `origin`), to take the keyboard off and answer under; None for a message."""
    if message.button is None or not message.origin.isdigit():
        return None
    return int(message.origin)


def _addressed_text(message: Message, me: BotIdentity) -> str | None:
    """The text for the core, without the bot's name; None if not addressed to the bot."""
    raw = shown_text(message)
    mention = re.compile(rf"(?<![\w@.])@{re.escape(me.username)}\b", re.IGNORECASE)
    mentioned = bool(mention.search(raw))
    command = COMMAND.fullmatch(raw.strip())
    if command is None:
        text, addressed = raw, mentioned
    else:
        name, target, rest = command.group(1).casefold(), command.group(2), command.group(3)
        if target and target.casefold() != me.username.casefold():
            return None  # another bot's command
        addressed = mentioned or bool(target) or name in OUR_COMMANDS
        text = (rest or "") if name == "ask" else f"/{name} {rest or ''}"
    reply_to = message.reply_to_message
    replied = bool(reply_to and reply_to.from_user and reply_to.from_user.id == me.id)
    if message.chat.type != "private" and not (addressed or replied):
        return None
    return re.sub(r" {2,}", " ", mention.sub("", text)).strip()


def to_outgoing(reply: Reply, *, owner: str | None = None) -> list[Outgoing]:
    """The messages that say `reply`: HTML parts within Telegram's limit, keyboard last
    (the buttons of user `owner`, if given)."""
    parts = split_html(render_blocks(reply.text)) or ["…"]
    markup = keyboard(reply.buttons, owner=owner)
    return [Outgoing(part) for part in parts[:-1]] + [Outgoing(parts[-1], markup)]


def chat_move(update: Update) -> tuple[str, str] | None:
    """(old, new) chat id when the update says a group became a supergroup."""
    message = update.message
    if message is None or message.migrate_to_chat_id is None:
        return None
    return str(message.chat.id), str(message.migrate_to_chat_id)
