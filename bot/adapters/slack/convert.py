"""Pure translation between Slack payloads and the neutral message values.

Incoming: an Events API envelope (a DM or an `app_mention`), a `block_actions` payload (a
button press) or a slash command becomes an `IncomingMessage`; everything else is None.
Outgoing: a `Reply` becomes Block Kit messages (mrkdwn sections, then an actions block whose
buttons carry `Button.key`), split within Slack's limits.

Chats (`IncomingMessage.chat_id`), and so the user's conversations, are:
  "D123"             a direct message with the bot; replies go to the DM
  "C123/1700.0001"   a thread in a channel started by a mention; replies go to the thread
  "C123/ephemeral"   /helpdesk used in channel C123; replies are visible to the asker only
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from bot.adapters.slack.mrkdwn import escape, markdown_to_mrkdwn, split_text
from bot.messages import IncomingMessage, Reply, UserRef

__all__ = [
    "ACTION_PREFIX",
    "PLATFORM",
    "ButtonPress",
    "SlackMessage",
    "Target",
    "from_slack_text",
    "message_from_command",
    "message_from_event",
    "press_from_action",
    "pressed_blocks",
    "reply_to_messages",
    "target_for",
]

PLATFORM: Final = "slack"
ACTION_PREFIX: Final = "helpdesk."
OWNER_PREFIX: Final = "helpdesk:"
EPHEMERAL: Final = "ephemeral"
SECTION_CHARS: Final = 3000
BLOCKS_PER_MESSAGE: Final = 50
BUTTONS_PER_BLOCK: Final = 25
LABEL_CHARS: Final = 75
FALLBACK_CHARS: Final = 300
_TAKEN_SUBTYPES: Final = frozenset({"file_share", "thread_broadcast"})
_MARKUP: Final = re.compile(r"<([@#!])?([^>|]*)(?:\|([^>]*))?>")


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One Slack message: Block Kit blocks and the notification text."""

    text: str
    blocks: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Target:
    """Where replies go: a channel (a thread in it), only to one user, or a response_url."""

    channel: str
    thread_ts: str | None = None
    ephemeral_user: str | None = None
    response_url: str | None = None


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A button press: the message for the core and what is needed to update the buttons."""

    message: IncomingMessage
    channel: str
    message_ts: str | None
    by_owner: bool
    blocks: tuple[dict[str, Any], ...]
    response_url: str | None
    ephemeral: bool


def from_slack_text(text: str, *, bot_user_id: str | None = None) -> str:
    """Slack's markup to plain text: the bot's mention dropped, `<…>` as what it shows."""

    def plain(match: re.Match[str]) -> str:
        sigil, value, label = match.group(1), match.group(2), match.group(3)
        if sigil == "@" and value == bot_user_id:
            return ""
        if sigil:
            return f"{'#' if sigil == '#' else '@'}{label or value}"
        return label or value

    text = _MARKUP.sub(plain, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def message_from_event(
    body: Mapping[str, Any], *, bot_user_id: str | None = None
) -> IncomingMessage | None:
    """A DM or a mention as a message; None for anything the bot must not answer."""
    event = body.get("event") or {}
    user, channel = event.get("user"), str(event.get("channel") or "")
    if not user or not channel or event.get("bot_id") or user == bot_user_id:
        return None
    if event.get("type") == "message":
        subtype = event.get("subtype")
        if event.get("channel_type") != "im" or (subtype and subtype not in _TAKEN_SUBTYPES):
            return None
        chat_id = channel
    elif event.get("type") == "app_mention" and not channel.startswith("D"):
        chat_id = f"{channel}/{event.get('thread_ts') or event.get('ts')}"
    else:
        return None
    event_id = body.get("event_id") or f"{channel}:{event.get('ts')}"
    return IncomingMessage(
        user=UserRef(PLATFORM, str(body.get("team_id") or event.get("team") or ""), user),
        chat_id=chat_id,
        text=from_slack_text(str(event.get("text") or ""), bot_user_id=bot_user_id),
        event_id=f"event:{event_id}",
        attachments=tuple(str(f.get("name") or "file") for f in event.get("files") or ()),
    )


def message_from_command(body: Mapping[str, Any]) -> IncomingMessage:
    """`/helpdesk <question>`; without a question it asks for help."""
    user, channel = str(body["user_id"]), str(body["channel_id"])
    trigger = body.get("trigger_id") or f"{user}:{channel}:{body.get('text')}"
    return IncomingMessage(
        user=UserRef(PLATFORM, str(body.get("team_id") or ""), user),
        chat_id=f"{channel}/{EPHEMERAL}",
        text=str(body.get("text") or "").strip() or "/help",
        user_name=str(body.get("user_name") or ""),
        event_id=f"command:{trigger}",
    )


def press_from_action(body: Mapping[str, Any]) -> ButtonPress | None:
    """A press on one of our buttons; None for anything else."""
    actions = body.get("actions") or ()
    action = actions[0] if actions else {}
    key = str(action.get("value") or "")
    if not key or not str(action.get("action_id", "")).startswith(ACTION_PREFIX):
        return None
    user, container = body.get("user") or {}, body.get("container") or {}
    message = body.get("message") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    ephemeral = bool(container.get("is_ephemeral"))
    thread = container.get("thread_ts") or message.get("thread_ts")
    chat_id = f"{channel}/{EPHEMERAL}" if ephemeral else f"{channel}/{thread}" if thread else channel
    team = user.get("team_id") or (body.get("team") or {}).get("id") or ""
    trigger = body.get("trigger_id") or f"{action.get('action_ts')}:{user.get('id')}"
    incoming = IncomingMessage(
        user=UserRef(PLATFORM, str(team), str(user.get("id") or "")),
        chat_id=chat_id,
        text=str((action.get("text") or {}).get("text") or ""),
        button=key,
        user_name=str(user.get("name") or user.get("username") or ""),
        event_id=f"action:{trigger}",
    )
    owner = str(action.get("block_id") or "").removeprefix(OWNER_PREFIX).split(":", 1)[0]
    return ButtonPress(
        message=incoming,
        channel=channel,
        message_ts=container.get("message_ts") or message.get("ts"),
        by_owner=channel.startswith("D") or owner == incoming.user.user_id,
        blocks=tuple(message.get("blocks") or ()),
        response_url=body.get("response_url"),
        ephemeral=ephemeral,
    )


def target_for(message: IncomingMessage, *, response_url: str | None = None) -> Target:
    """Where the replies to `message` go, from its chat id (see the module's docstring)."""
    channel, _, rest = message.chat_id.partition("/")
    if rest == EPHEMERAL:
        return Target(channel, ephemeral_user=message.user.user_id, response_url=response_url)
    return Target(channel, thread_ts=rest or None)


def reply_to_messages(reply: Reply, *, owner: str) -> list[SlackMessage]:
    """Block Kit messages for one reply; its buttons (for `owner`) come last."""
    sections = split_text(markdown_to_mrkdwn(reply.text), SECTION_CHARS)
    blocks: list[dict[str, Any]] = [_section(text) for text in sections]
    for start in range(0, len(reply.buttons), BUTTONS_PER_BLOCK):
        chunk = reply.buttons[start : start + BUTTONS_PER_BLOCK]
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{OWNER_PREFIX}{owner}:{start}",
                "elements": [_button(b.label, b.key) for b in chunk],
            }
        )
    chunks = [blocks[i : i + BLOCKS_PER_MESSAGE] for i in range(0, len(blocks), BLOCKS_PER_MESSAGE)]
    return [SlackMessage(_fallback(chunk), tuple(chunk)) for chunk in chunks]


def pressed_blocks(blocks: Sequence[Mapping[str, Any]], label: str) -> list[dict[str, Any]]:
    """The message's blocks without its buttons, and a note of the one pressed."""
    kept = [dict(b) for b in blocks if b.get("type") != "actions"]
    note = {"type": "mrkdwn", "text": f"› {escape(label)}", "verbatim": True}
    return [*kept, {"type": "context", "elements": [note]}]


def _section(text: str) -> dict[str, Any]:
    # verbatim: Slack must not turn names or "@channel" in the text into mentions.
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _button(label: str, key: str) -> dict[str, Any]:
    text = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": f"{ACTION_PREFIX}{key}",
        "value": key,
    }


def _fallback(blocks: Sequence[Mapping[str, Any]]) -> str:
    """The notification text: the first section (escaped already), cut."""
    texts = [b["text"]["text"] for b in blocks if b.get("type") == "section"]
    pieces = split_text(texts[0], FALLBACK_CHARS) if texts else []
    return pieces[0] if pieces else "…"
