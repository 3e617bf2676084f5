"""A `Reply` as Block Kit: mrkdwn sections, then an actions block of its buttons.

Each button carries `Button.key` (its value, and its action_id after a prefix); the core
resolves keys and refuses stale or forged ones. The actions block's id names the user the
buttons were for, so a press by someone else is answered privately and leaves them in place
(the core checks identity itself; this only decides what the channel shows). Limits: section
text 3000 characters, 50 blocks a message, 25 buttons a block, 75 characters a label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from bot.adapters.slack.mrkdwn import escape, markdown_to_mrkdwn
from bot.adapters.slack.split import split_text
from bot.messages import Reply

__all__ = [
    "ACTION_PREFIX",
    "OWNER_PREFIX",
    "SlackMessage",
    "pressed_blocks",
    "reply_to_messages",
]

ACTION_PREFIX: Final = "helpdesk."
OWNER_PREFIX: Final = "helpdesk:"
SECTION_CHARS: Final = 3000
BLOCKS_PER_MESSAGE: Final = 50
BUTTONS_PER_BLOCK: Final = 25
LABEL_CHARS: Final = 75
FALLBACK_CHARS: Final = 300


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One Slack message: Block Kit blocks and the notification text."""

    text: str
    blocks: tuple[dict[str, Any], ...]


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
