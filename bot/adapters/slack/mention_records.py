"""The people a Slack user's message mentions by id, recorded with its delivery and read
back after a crash (pure).

Slack sends a mention as "<@U0CAROL>"; the text the core keeps says "@U0CAROL"
(`reading.py`), and the name is looked up (users.info) after the ack, in the turn. A
message a crash left unanswered is answered from its record, where that id is no longer
markup: so the ids go with it as its `origin`, and the recovered turn names them too
("@Carol Jones"), as the turn run at once does. The desk's events keep Slack's whole body
(`desk_records.py`) and need none of this.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from bot.messages import IncomingMessage

__all__ = ["mentions_noted", "noted"]


def noted(message: IncomingMessage, mentions: Sequence[str]) -> IncomingMessage:
    """`message` carrying the ids of the people it `mentions`, for `mentions_noted`."""
    if not mentions:
        return message
    return replace(message, origin=json.dumps({"mentions": list(mentions)}))


def mentions_noted(message: IncomingMessage) -> tuple[str, ...]:
    """The ids `noted` kept with a recovered message; none for a press (its origin is the
    pressed message: `press_records.py`) or a message recorded without them."""
    if message.button is not None or not message.origin:
        return ()
    try:
        note = json.loads(message.origin)
    except ValueError:
        return ()
    mentions = note.get("mentions") if isinstance(note, dict) else None
    return tuple(str(m) for m in mentions) if isinstance(mentions, list) else ()
