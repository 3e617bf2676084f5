"""Pure translation of what agents do in a Telegram desk group into desk orders.

A team whose desk is "telegram:<chat id>" works in that group: the Claim button under a card,
and messages in the card's reply chain (a reply to the card, or to any message the bot posted
under it). A plain reply is relayed to the user; `/kb <words or article id>` (sends a KB
article), `/close`, `/note <text>`, `/transfer <team>`, `/priority <level>`, `/ticket` (and
`/claim`) act on the handoff. `/take <ticket number>`, anywhere in the group, picks up an
open ticket, `/resolve <ticket number> <note>` resolves one without a chat,
`/priority <ticket number> <level>` sets its priority, and `/tickets` lists them.
Everything else in the group is chatter the bot does not read. A message edited soon after
it was sent (EDIT_WINDOW) is read again: the user gets the agent's corrected reply too.
Nothing here touches the network or the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from telegram import Message, Update, User

from bot.adapters.telegram.convert import (
    COMMAND,
    BotIdentity,
    event_id,
    recent_edit,
    user_ref,
)
from bot.adapters.telegram.formatting import reply_markdown
from bot.adapters.telegram.links import shown_text, with_addresses
from bot.adapters.telegram.media import attachments_of
from bot.markdown import literal
from bot.messages import Attachment, UserRef

__all__ = ["USAGE", "DeskOrder", "desk_chat_of", "desk_order", "display_name"]

COMMANDS: Final = frozenset(
    {"claim", "close", "kb", "note", "transfer", "ticket", "take", "tickets", "resolve", "priority"}
)
_ANYWHERE: Final = frozenset({"take", "tickets", "resolve"})  # a reply to a card or not
USAGE: Final = "usage"  # the kind of a reply that starts with a command the desk does not know
_BUTTON = re.compile(r"handoff:([a-z]{1,16}):(\d{1,18})")
_TICKET = re.compile(r"#?(\d{1,18})(?:\s+(.*))?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class DeskOrder:
    """One agent action: on handoff `handoff_id` (a button), on the thread of `ref`, or
    (kinds "take" and "resolve", whose `text` is the note) on ticket `ticket_id`.

    `kind` is empty for a button key that is not ours (a forged or stale one): the core
    refuses it; `USAGE` for a reply that starts with a command the desk does not know: the
    agent is told the desk's commands. `event_id` makes a redelivered update act once.
    `attachments` are the files of a reply (a photo alone, without a caption, is a reply
    too). `name`: the agent's, for the texts that name them (their id stays who they are).
    """

    agent: UserRef
    chat_id: str
    kind: str
    event_id: str
    handoff_id: int | None = None
    ref: str | None = None
    text: str = ""
    team: str = ""
    message_id: int | None = None
    query_id: str | None = None
    edited: bool = False  # an edited message (within the edit window): a correction
    ticket_id: int = 0
    attachments: tuple[Attachment, ...] = ()
    name: str = ""


def desk_chat_of(update: Update) -> str | None:
    """The chat id an update happened in (a button's message's chat), if any."""
    chat = update.effective_chat
    return None if chat is None else str(chat.id)


def desk_order(update: Update, me: BotIdentity) -> DeskOrder | None:
    """What the agent asked for in a desk group, or None when it is not for the desk."""
    query = update.callback_query
    if query is not None:
        if query.message is None or not query.data:
            return None
        found = _BUTTON.fullmatch(query.data)
        return DeskOrder(
            agent=user_ref(me, query.from_user),
            name=display_name(query.from_user),
            chat_id=str(query.message.chat.id),
            kind=found.group(1) if found else "",
            event_id=event_id(me, update),
            handoff_id=int(found.group(2)) if found else 0,
            message_id=query.message.message_id,
            query_id=query.id,
        )
    message = update.message or recent_edit(update.edited_message)  # a typo fixed: again
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    return _on_ticket(message, me, update) or _from_reply(message, me, update)


def _on_ticket(message: Message, me: BotIdentity, update: Update) -> DeskOrder | None:
    """`/take <number>`, `/resolve <number> <note>` (no number is ticket 0), `/tickets` or
    `/priority <number> <level>` anywhere in the group, a reply or not (`/priority <level>`
    is a reply's, on its request)."""
    parsed = _parse(with_addresses(message.text or "", message.entities), me)
    if parsed is None:
        return None
    kind, number = parsed[0], _TICKET.fullmatch(parsed[1])
    if kind not in _ANYWHERE and not (kind == "priority" and number):
        return None
    note = (number.group(2) or "") if number and kind == "resolve" else ""
    level = (number.group(2) or "").strip() if number and kind == "priority" else ""
    return replace(
        _order(message, me, update, kind),
        ticket_id=int(number.group(1)) if number else 0,
        text=literal(note) or level,  # a note: the words typed, as a reply's Markdown
    )


def _from_reply(message: Message, me: BotIdentity, update: Update) -> DeskOrder | None:
    reply_to = message.reply_to_message
    if reply_to is None or reply_to.from_user is None or reply_to.from_user.id != me.id:
        return None
    raw, files = shown_text(message), attachments_of(message)
    parsed = _parse(raw, me) if raw else ("reply", "")
    if parsed is None or (parsed[0] == "reply" and not (parsed[1] or files)):
        return None
    kind, text = parsed
    if kind == "reply":  # Markdown to the desk: the formatting Telegram gave, the rest typed
        text = reply_markdown(message)
    return replace(
        _order(message, me, update, kind),
        ref=str(reply_to.message_id),
        text=text if kind != "transfer" else "",
        team=text if kind == "transfer" else "",
        attachments=files if kind == "reply" else (),
    )


def _order(message: Message, me: BotIdentity, update: Update, kind: str) -> DeskOrder:
    """The order `kind` an agent gave with `message`: who, where and which event; what
    else it says, the caller adds."""
    assert message.from_user is not None  # noqa: S101 - checked by the caller
    return DeskOrder(
        agent=user_ref(me, message.from_user),
        name=display_name(message.from_user),
        chat_id=str(message.chat.id),
        kind=kind,
        event_id=event_id(me, update),
        message_id=message.message_id,
        edited=update.message is None,
    )


def display_name(user: User) -> str:
    """The name Telegram shows for the agent: "First Last", else "@username" (a first name
    is required, but may be blank)."""
    full = " ".join(user.full_name.split())
    return full or (f"@{user.username}" if user.username else "")


def _parse(raw: str, me: BotIdentity) -> tuple[str, str] | None:
    """(kind, argument) of a reply: a desk command, or ("reply", text); None to ignore."""
    command = COMMAND.fullmatch(raw)
    if command is None:
        return ("reply", raw) if raw else None
    name, target, rest = command.group(1).casefold(), command.group(2), command.group(3)
    if target and target.casefold() != me.username.casefold():
        return None  # another bot's command
    if name not in COMMANDS:  # a typo, or words that start with a path ("/tmp is full")
        return USAGE, ""
    return name, (rest or "").strip()
