"""Neutral values that cross the seam between the adapters and the core.

Adapters turn platform payloads into `IncomingMessage` and send `Reply` values with their
own SDK; the core never sees a platform type. A file that came with a message is an
`Attachment` (`bot/attachments.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.attachments import ATTACHMENT_KINDS, Attachment

__all__ = [
    "ATTACHMENT_KINDS",
    "Attachment",
    "Button",
    "ChatLine",
    "Core",
    "HandledBefore",
    "IncomingMessage",
    "Reply",
    "UserRef",
    "locale_language",
    "message_from_payload",
    "message_to_payload",
]


@dataclass(frozen=True, slots=True)
class UserRef:
    """Who is talking: identity is (platform, workspace, user id), never a display name."""

    platform: str
    workspace: str
    user_id: str


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One thing a user did: a text message, or a button press (`button` holds its key).

    `event_id` is the platform's unique id for the delivery (Telegram update id, Slack event
    id, a web client's message id); the core records it before handling so a redelivery is
    handled once. `locale` is the platform's language hint for the user, if it has one, and
    `timezone` its idea of the user's time zone (an IANA name the core checks before use).
    `attachments` are the files (photos, documents, voice…) that came with the message.
    `unaddressed`: the user did not address the bot (a reply in a Slack thread without a
    mention): the core takes it only from a user who has a conversation in this chat, and
    keeps nothing of anyone else's. `edited`: this is the new text of an earlier message.
    `group`: the chat is a group others read too, not the user's own chat with the bot: a
    turn there does not show that the bot reaches them in private (their mark stays).
    `origin`: the channel's own note of where the action happened, opaque to the core and
    kept with the delivery, so one recovered after a crash can be finished as one handled
    at once (Slack: the pressed message, to show the press on it instead of its buttons).
    `forwarded_from`: the message is one the user passed on (Telegram's forward), written
    first by this person or chat; "" for the user's own words. `chat_title`: a `group`'s
    title, for the desk ("" when the platform gives none). `chat_link`: a `group`'s address
    the desk names it with (Slack's link to a channel: its name is not in the event; a Slack
    desk shows it by that, others by the words for an untitled channel, or its title).
    `later_in_private`: the chat
    shows the bot's answers to this message only, and only now (Slack's /helpdesk): what
    IT writes later goes to the user's private chat with the bot. `album`: the platform's
    id of the files sent together with this one (Telegram's media group: one update each).
    """

    user: UserRef
    chat_id: str
    text: str = ""
    button: str | None = None
    user_name: str = ""
    event_id: str | None = None
    locale: str | None = None
    timezone: str | None = None
    attachments: tuple[Attachment, ...] = ()
    unaddressed: bool = False
    edited: bool = False
    group: bool = False
    origin: str = ""
    forwarded_from: str = ""
    chat_title: str = ""
    chat_link: str = ""
    later_in_private: bool = False
    album: str = ""


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply. `key` is an opaque short id the core resolves on its side."""

    label: str
    key: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says: Markdown text (KB answers are Markdown) and optional buttons.

    `outbox_id` is set on a durable reply (see `Core.handle`): the outbox item that keeps it
    until the platform takes it, which the channel reports sent or puts off. `refusal`: the
    reply says the user's action was not taken (a button used already or stale, a turn that
    failed), so a channel leaves the pressed message as it is; never kept in the outbox.
    `aside`: a word to the user about what they just did (a button pressed again, or no
    longer valid), not for the chat: a channel that can show it to them alone (Telegram's
    answer to the press) does so instead of posting it; an aside is a refusal.
    """

    text: str
    buttons: tuple[Button, ...] = field(default=())
    outbox_id: int | None = None
    refusal: bool = False
    aside: bool = False


@dataclass(frozen=True, slots=True)
class ChatLine:
    """A line of a chat as its user saw it: `author` "user" (their words, plain text), "bot"
    (a reply) or "agent" (a message from IT or the queue, with `outbox_id`), in Markdown;
    `at`: when it was written."""

    author: str
    text: str
    outbox_id: int | None = None
    at: datetime | None = None


class HandledBefore(list[Reply]):
    """What `Core.handle` returns for a delivery it handled before: no replies, and nothing
    the turn showed is to be shown again (a pressed message's label). An empty list of its
    own, so a channel tells it from a turn run now whose kept replies all wait their turn."""


def locale_language(locale: str | None) -> str:
    """The language code of a platform's locale hint ("ru-RU", "en_US" → "ru", "en"; "" for
    none): what the core and the channels pick a language by."""
    return (locale or "")[:2].casefold()


class Core(Protocol):
    """What a channel adapter may ask of the core; nothing else crosses the seam."""

    async def accept(self, message: IncomingMessage) -> bool:
        """Record a delivery before acknowledging it; False for a redelivery, and for an
        unaddressed message not taken (nothing recorded: `handle` answers it with [])."""

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        """The replies to one user action (`HandledBefore()`, empty, for a delivery
        handled before: by an earlier delivery of it, or by recovery).

        `durable`: the replies are kept in the outbox with the turn, and leased to the
        caller to send at once (each has its `outbox_id`); those that must wait behind
        earlier ones of the chat are left out, for the outbox's sender. Asides are not kept.
        """

    async def pending(self, platform: str, *, older_than: timedelta) -> list[IncomingMessage]:
        """Accepted deliveries a crash left unhandled."""

    async def mark_unreachable(self, user: UserRef, *, unreachable: bool = True) -> None:
        """The user blocked the bot or left (`unreachable=False`: they unblocked it)."""

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A chat changed its id."""


def message_to_payload(message: IncomingMessage, *, text: str | None = None) -> dict[str, object]:
    """A JSON-ready copy of `message` (with `text` instead of its text, if given)."""
    return {
        "user": [message.user.platform, message.user.workspace, message.user.user_id],
        "chat_id": message.chat_id,
        "text": message.text if text is None else text,
        "button": message.button,
        "user_name": message.user_name,
        "event_id": message.event_id,
        "locale": message.locale,
        "timezone": message.timezone,
        "attachments": [a.to_json() for a in message.attachments],
        "unaddressed": message.unaddressed,
        "edited": message.edited,
        "group": message.group,
        "origin": message.origin,
        "forwarded_from": message.forwarded_from,
        "chat_title": message.chat_title,
        "chat_link": message.chat_link,
        "later_in_private": message.later_in_private,
        "album": message.album,
    }


def message_from_payload(payload: dict[str, Any]) -> IncomingMessage:
    """The message `message_to_payload` stored."""
    platform, workspace, user_id = payload["user"]
    return IncomingMessage(
        user=UserRef(platform, workspace, user_id),
        chat_id=payload["chat_id"],
        text=payload.get("text", ""),
        button=payload.get("button"),
        user_name=payload.get("user_name", ""),
        event_id=payload.get("event_id"),
        locale=payload.get("locale"),
        timezone=payload.get("timezone"),
        attachments=tuple(
            Attachment.from_json(a, platform=platform) for a in payload.get("attachments", ())
        ),
        unaddressed=bool(payload.get("unaddressed", False)),
        edited=bool(payload.get("edited", False)),
        group=bool(payload.get("group", False)),
        origin=str(payload.get("origin") or ""),
        forwarded_from=str(payload.get("forwarded_from") or ""),
        chat_title=str(payload.get("chat_title") or ""),
        chat_link=str(payload.get("chat_link") or ""),
        later_in_private=bool(payload.get("later_in_private", False)),
        album=str(payload.get("album") or ""),
    )
