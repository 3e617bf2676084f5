"""Pure translation for a Slack channel used as an agents' desk.

Out: an outbox item becomes Block Kit (a card's Claim button gets `DESK_PREFIX` in its
action_id, so Bolt routes its press to the desk, not to the dialog) and a `Target`: the
user's chat (see `targets.py` for chat ids) or the desk channel, in the card's thread.
In: a Claim press and a message in a card's thread become a `DeskInput` for `Desk.act`.
Thread commands start with "!": `!close`, `!kb <words or article id>`, `!note <text>`,
`!transfer <team>`, `!priority <level>`, `!ticket`;
anything else is a reply relayed to the user. `!take <ticket number>`, in a thread or at the
top of the desk channel, picks up an open ticket, `!resolve <ticket number> <note>`
resolves one without a chat, and `!priority <ticket number> <level>` sets its priority.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.adapters.slack.blocks import SlackMessage, reply_to_messages
from bot.adapters.slack.convert import PLATFORM, attachments_of, mentions_of, text_of
from bot.adapters.slack.edits import as_sent, delivery_key
from bot.adapters.slack.mrkdwn import mrkdwn_to_markdown
from bot.adapters.slack.targets import EPHEMERAL, Target
from bot.adapters.slack.user_commands import MARK, as_slack_lets_type
from bot.handoff.desk_port import DeskAction
from bot.handoff.outbox_port import OutboxItem
from bot.messages import Attachment, Reply, UserRef

__all__ = [
    "COMMAND_MARK",
    "DESK_PREFIX",
    "DeskInput",
    "channel_action",
    "desk_message",
    "desk_press",
    "dm_user",
    "item_messages",
    "item_target",
    "thread_action",
]

DESK_PREFIX: Final = "helpdesk-desk."
COMMAND_MARK: Final = MARK  # the users' commands on Slack have it too (user_commands.py)
_CARD_KEY: Final = "handoff:claim:"
_COMMANDS: Final = frozenset({"close", "kb", "note", "transfer", "ticket", "priority"})
_WITH_TEXT: Final = frozenset({"kb", "note", "transfer"})  # commands that need an argument
_SUBTYPES: Final = frozenset({None, "file_share", "thread_broadcast"})
_MARK: Final = re.escape(COMMAND_MARK)
_TAKE: Final = re.compile(rf"{_MARK}take\s+#?(\d{{1,18}})", re.IGNORECASE)
_TICKETS: Final = re.compile(rf"{_MARK}tickets", re.IGNORECASE)
# `!<command> <ticket number> <text>` at the top of the channel, and how its text is kept
# (`!priority`'s level as typed, `!resolve`'s note as its user reads it: Markdown)
_ON_TICKET: Final = {
    command: (re.compile(rf"{_MARK}{command}\s+#?(\d{{1,18}})(?:\s+(.*))?", re.I | re.S), text)
    for command, text in (("priority", str.strip), ("resolve", mrkdwn_to_markdown))
}


@dataclass(frozen=True, slots=True)
class DeskInput:
    """An agent's action from the desk: who, what, and where the card and its thread are."""

    agent: UserRef
    action: DeskAction | None  # None: a thread message whose handoff is still to be found
    channel: str
    thread_ts: str
    text: str = ""
    event_id: str = ""
    attachments: tuple[Attachment, ...] = ()  # the files of a thread message
    edited: bool = False  # a thread message corrected soon after it was sent
    mentions: tuple[str, ...] = ()  # the people it names by id, "@U123" in `text`


def item_messages(item: OutboxItem) -> list[SlackMessage]:
    """The item as Block Kit. Buttons in a user's chat (a DM, or a thread of theirs in a
    channel: the rating after a closed chat) are that user's and go to the bot like a reply's,
    and the bot's commands named there are written as Slack lets the user type them
    (`user_commands.py`); a card's buttons are routed to the desk (`DESK_PREFIX`)."""
    if _users_chat(item.chat_id):
        text = as_slack_lets_type(item.text, item.chat_id)
        return reply_to_messages(Reply(text, item.buttons), owner=item.user or "")
    messages = reply_to_messages(Reply(item.text, item.buttons), owner="desk")
    return [SlackMessage(m.text, tuple(_for_desk(b) for b in m.blocks)) for m in messages]


def _for_desk(block: dict[str, Any]) -> dict[str, Any]:
    if block.get("type") != "actions":
        return block
    elements = [{**e, "action_id": f"{DESK_PREFIX}{e['value']}"} for e in block.get("elements", ())]
    return {**block, "elements": elements}


def _users_chat(chat_id: str) -> bool:
    """A user's DM ("D…"), or a chat a user started in a channel ("C1/ts", "C1/ephemeral");
    any other chat is a desk channel."""
    return chat_id.startswith("D") or "/" in chat_id


def item_target(item: OutboxItem, *, thread: str | None) -> Target | None:
    """Where the item goes: a user's DM or mention thread, or the desk channel (a card, or a
    notice of no request such as an SLA warning, at the top; the rest in the card's
    `thread`); None when Slack offers no private way (see `dm_user`)."""
    channel, _, rest = item.chat_id.partition("/")
    if rest:  # a user's chat started by a mention ("C1/ts") or /helpdesk ("C1/ephemeral")
        return None if not rest[0].isdigit() else Target(channel, thread_ts=rest)
    if _users_chat(item.chat_id) or item.kind == "card" or item.handoff_id is None:
        return Target(channel)  # a user's chat, a card, or a desk notice of no request
    return Target(channel, thread_ts=thread) if thread else None


def dm_user(item: OutboxItem) -> str | None:
    """Whom to write in a DM instead: the user of a chat started with /helpdesk in a channel.
    The bot's answers there were visible to them only, through the command's response_url,
    which is gone by the time an agent writes; an ephemeral message reaches only a user who
    is active in that channel at that moment, a DM reaches them anyway."""
    rest = item.chat_id.partition("/")[2]
    return item.user if rest == EPHEMERAL and item.user else None


def desk_press(body: Mapping[str, Any]) -> DeskInput | None:
    """A press on a card's Claim button; None for anything else."""
    actions = body.get("actions") or ()
    action: Mapping[str, Any] = actions[0] if actions else {}
    value = str(action.get("value") or "")
    number = value.removeprefix(_CARD_KEY)
    if not value.startswith(_CARD_KEY) or not number.isdigit():
        return None
    user, container = body.get("user") or {}, body.get("container") or {}
    team = str(user.get("team_id") or (body.get("team") or {}).get("id") or "")
    message = body.get("message") or {}
    return DeskInput(
        agent=UserRef(PLATFORM, team, str(user.get("id") or "")),
        action=DeskAction("claim", int(number)),
        channel=str(container.get("channel_id") or (body.get("channel") or {}).get("id") or ""),
        thread_ts=str(container.get("message_ts") or message.get("ts") or ""),
        event_id=f"action:{body.get('trigger_id') or action.get('action_ts')}",
    )


def desk_message(
    body: Mapping[str, Any], *, desks: frozenset[str], bot_user_id: str | None = None
) -> DeskInput | None:
    """A person's message in a thread of a desk channel, or a `!take`, `!resolve` or
    `!tickets` anywhere in it; None for anything else."""
    changed = body.get("event") or {}
    event = as_sent(changed)  # an agent's correction: as it now reads
    if event is None:
        return None
    channel, thread = str(event.get("channel") or ""), str(event.get("thread_ts") or "")
    user = event.get("user")
    text = text_of(event, bot_user_id=bot_user_id)
    take = channel_action(text)
    if event.get("type") != "message" or channel not in desks or not (thread or take) or not user:
        return None
    if event.get("bot_id") or user == bot_user_id or event.get("subtype") not in _SUBTYPES:
        return None
    team = str(body.get("team_id") or event.get("team") or "")
    return DeskInput(
        agent=UserRef(PLATFORM, team, str(user)),
        action=take,
        channel=channel,
        thread_ts=thread,
        text=text,
        event_id=f"event:{delivery_key(body, channel, event)}",
        attachments=attachments_of(event.get("files") or ()),
        edited=event is not changed,
        mentions=mentions_of(str(event.get("text") or ""), bot_user_id=bot_user_id),
    )


def channel_action(text: str) -> DeskAction | None:
    """A command at the top of a desk channel: `!take <ticket number>` picks the ticket up,
    `!resolve <ticket number> <note>` resolves it (the core refuses a missing note),
    `!priority <ticket number> <level>` sets its priority (and refuses a wrong level),
    `!tickets` lists the open ones; None for anything else."""
    text = text.strip()
    if _TICKETS.fullmatch(text):
        return DeskAction("tickets", 0)
    for command, (pattern, as_text) in _ON_TICKET.items():
        if (found := pattern.fullmatch(text)) is not None:
            number, rest = int(found.group(1)), as_text(found.group(2) or "")
            return DeskAction(command, 0, ticket_id=number, text=rest)
    found = _TAKE.fullmatch(text)
    return None if found is None else DeskAction("take", 0, ticket_id=int(found.group(1)))


def thread_action(
    text: str, handoff_id: int, attachments: tuple[Attachment, ...] = (), *, edited: bool = False
) -> DeskAction | None:
    """A thread message as an action: a "!" command, else a reply (files alone are one);
    None for an unknown command (the agent is told the syntax) or an empty message."""
    if not text.startswith(COMMAND_MARK):
        if not (text.strip() or attachments):
            return None
        markdown = mrkdwn_to_markdown(text)  # as the agent saw it in Slack
        return DeskAction(
            "reply", handoff_id, text=markdown, attachments=attachments, edited=edited
        )
    word, _, rest = text[len(COMMAND_MARK) :].strip().partition(" ")
    kind, rest = word.casefold(), rest.strip()
    if kind not in _COMMANDS or (kind in _WITH_TEXT and not rest):
        return None
    if kind == "transfer":
        return DeskAction(kind, handoff_id, team=rest)
    if kind == "priority":  # none, or a wrong one: the core says which there are
        return DeskAction(kind, handoff_id, text=rest)
    return DeskAction(kind, handoff_id, text=rest if kind in _WITH_TEXT else "")
