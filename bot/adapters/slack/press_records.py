"""A Slack button press as recorded with its delivery, and read back after a crash (pure).

The core keeps a press like any user action (`Core.accept`, before the ack), but only its
neutral part; what the channel needs to show the press on the pressed message instead of
its buttons (the channel, the message's ts, its blocks and text, whether the presser owns
the buttons) goes with it as the message's `origin`. A press the recovery sweep answers
is then shown on its message as one answered at once. The response URL is a secret and is
not kept: a press on a message only its presser sees (ephemeral) keeps its buttons when
recovered.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from bot.adapters.slack.convert import ButtonPress
from bot.messages import IncomingMessage

__all__ = ["press_of", "recorded"]


def recorded(press: ButtonPress) -> ButtonPress:
    """`press` with its message carrying what `press_of` reads back."""
    note = {
        "channel": press.channel,
        "message_ts": press.message_ts,
        "by_owner": press.by_owner,
        "blocks": list(press.blocks),
        "text": press.text,
        "ephemeral": press.ephemeral,
    }
    return replace(press, message=replace(press.message, origin=json.dumps(note)))


def press_of(message: IncomingMessage) -> ButtonPress | None:
    """The press a recovered delivery was; None for a message, or a press recorded without
    its note (before this was kept)."""
    if message.button is None or not message.origin:
        return None
    try:
        note: dict[str, Any] = json.loads(message.origin)
        return ButtonPress(
            message=message,
            channel=str(note["channel"]),
            message_ts=note.get("message_ts"),
            by_owner=bool(note.get("by_owner")),
            blocks=tuple(note.get("blocks") or ()),
            text=str(note.get("text") or "…"),
            response_url=None,
            ephemeral=bool(note.get("ephemeral")),
        )
    except (ValueError, TypeError, KeyError):
        return None
