"""Pure translation between Slack payloads and the neutral message values.

Incoming: an Events API envelope (a DM, an `app_mention`, a reply in a thread), a
`block_actions` payload (a button press) or a slash command becomes an `IncomingMessage`;
everything else is None.
Outgoing: a `Reply` becomes Block Kit messages (`reply_to_messages`, from `blocks.py`),
sent to the `Target` its chat names (`targets.py`: the chat ids are described there).
A text is read as Slack shows it in `reading.py` (markup, emoji, mentions by id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from bot.adapters.slack.blocks import (
    ACTION_PREFIX,
    OWNER_PREFIX,
    SlackMessage,
    pressed_blocks,
    reply_to_messages,
)
from bot.adapters.slack.edits import as_sent, delivery_key
from bot.adapters.slack.mrkdwn import styles_of, unmarked
from bot.adapters.slack.reading import (
    from_slack_text,
    mentions_in,
    mentions_of,
    text_of,
    with_names,
)
from bot.adapters.slack.targets import EPHEMERAL, Target, in_channel, target_for
from bot.adapters.slack.threads import message_chat
from bot.adapters.slack.user_commands import command_typed
from bot.messages import Attachment, IncomingMessage, UserRef

__all__ = [
    "ACTION_PREFIX",
    "PLATFORM",
    "ButtonPress",
    "SlackMessage",
    "Target",
    "attachments_of",
    "from_slack_text",
    "mentions_in",
    "mentions_of",
    "message_from_command",
    "message_from_event",
    "press_from_action",
    "pressed_blocks",
    "reply_to_messages",
    "target_for",
    "text_of",
    "with_names",
]

PLATFORM: Final = "slack"
_KIND_OF_MEDIA: Final = {"image": "photo", "video": "video", "audio": "audio"}


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A button press: the message for the core and what is needed to update the buttons."""

    message: IncomingMessage
    channel: str
    message_ts: str | None
    by_owner: bool
    blocks: tuple[dict[str, Any], ...]
    text: str
    response_url: str | None
    ephemeral: bool


def message_from_event(
    body: Mapping[str, Any], *, bot_user_id: str | None = None
) -> IncomingMessage | None:
    """A DM, a mention, or a reply in a thread (unaddressed, see `threads.py`) as a message;
    None for anything the bot must not answer."""
    changed = body.get("event") or {}
    event = as_sent(changed)  # a message corrected soon after sending: as it now reads
    if event is None:
        return None
    user, channel = event.get("user"), str(event.get("channel") or "")
    if not user or not channel or event.get("bot_id") or user == bot_user_id:
        return None
    found: tuple[str, bool] | None = None
    if event.get("type") == "message":
        found = message_chat(event, bot_user_id=bot_user_id)
    elif event.get("type") == "app_mention" and not channel.startswith("D"):
        found = f"{channel}/{event.get('thread_ts') or event.get('ts')}", False
    if found is None:
        return None
    chat_id, unaddressed = found
    message = IncomingMessage(
        user=UserRef(PLATFORM, str(body.get("team_id") or event.get("team") or ""), user),
        chat_id=chat_id,
        text=command_typed(_words(event, bot_user_id=bot_user_id)),
        event_id=f"event:{delivery_key(body, channel, event)}",
        attachments=attachments_of(event.get("files") or ()),
        unaddressed=unaddressed,
        edited=event is not changed,
    )
    return in_channel(message, name=str(event.get("channel_name") or ""))


def _words(event: Mapping[str, Any], *, bot_user_id: str | None) -> str:
    """A user's message as the words they saw: what Slack formatted without its marks."""
    styles = styles_of(event.get("blocks") or ())
    return unmarked(text_of(event, bot_user_id=bot_user_id), styles)


def attachments_of(files: Sequence[Mapping[str, Any]]) -> tuple[Attachment, ...]:
    """An event's `files`: a deleted file (a tombstone) or one Slack makes us look up with
    files.info has no download URL, so it can only be named."""
    found = []
    for file in files:
        mime = str(file.get("mimetype") or "")
        kind = _KIND_OF_MEDIA.get(mime.partition("/")[0], "document")
        ref = "" if file.get("mode") == "tombstone" else file.get("url_private_download")
        name = str(file.get("name") or file.get("title") or "")
        size = file.get("size")
        size = size if isinstance(size, int) and size > 0 else 0
        found.append(Attachment(PLATFORM, kind, name, mime, size, str(ref or "")))
    return tuple(found)


def message_from_command(body: Mapping[str, Any]) -> IncomingMessage:
    """`/helpdesk <question>`; without a question it asks for help."""
    user, channel = str(body["user_id"]), str(body["channel_id"])
    trigger = body.get("trigger_id") or f"{user}:{channel}:{body.get('text')}"
    return IncomingMessage(
        user=UserRef(PLATFORM, str(body.get("team_id") or ""), user),
        chat_id=f"{channel}/{EPHEMERAL}",
        text=from_slack_text(str(body.get("text") or "")) or "/help",
        user_name=str(body.get("user_name") or ""),
        event_id=f"command:{trigger}",
        later_in_private=True,  # an agent's messages go to a DM (desk_convert.dm_user)
    )


def press_from_action(body: Mapping[str, Any]) -> ButtonPress | None:
    """A press on one of our buttons; None for anything else."""
    action = _our_action(body)
    if action is None:
        return None
    key = str(action["value"])
    user, container = body.get("user") or {}, body.get("container") or {}
    message = body.get("message") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    incoming = IncomingMessage(
        user=UserRef(PLATFORM, _team_of(body), str(user.get("id") or "")),
        chat_id=_pressed_chat(channel, container, message),
        text=str((action.get("text") or {}).get("text") or ""),
        button=key,
        user_name=str(user.get("name") or user.get("username") or ""),
        event_id=f"action:{body.get('trigger_id') or action.get('action_ts')}",
    )
    owner = str(action.get("block_id") or "").removeprefix(OWNER_PREFIX).split(":", 1)[0]
    return ButtonPress(
        message=in_channel(incoming),
        channel=channel,
        message_ts=container.get("message_ts") or message.get("ts"),
        by_owner=channel.startswith("D") or owner == incoming.user.user_id,
        blocks=tuple(message.get("blocks") or ()),
        text=str(message.get("text") or "…"),  # Slack's copy of our (escaped) fallback text
        response_url=body.get("response_url"),
        ephemeral=bool(container.get("is_ephemeral")),
    )


def _our_action(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    actions = body.get("actions") or ()
    action: Mapping[str, Any] = actions[0] if actions else {}
    ours = str(action.get("action_id", "")).startswith(ACTION_PREFIX)
    return action if ours and action.get("value") else None


def _team_of(body: Mapping[str, Any]) -> str:
    user, team = body.get("user") or {}, body.get("team") or {}
    return str(user.get("team_id") or team.get("id") or "")


def _pressed_chat(channel: str, container: Mapping[str, Any], message: Mapping[str, Any]) -> str:
    """The chat of the pressed message: the DM, the thread, or the asker's private view."""
    if container.get("is_ephemeral"):
        return f"{channel}/{EPHEMERAL}"
    thread = container.get("thread_ts") or message.get("thread_ts")
    return f"{channel}/{thread}" if thread else channel
