"""A message corrected soon after it was sent, by a user or by an agent in a desk thread.

Slack sends an edit as a `message_changed` event whose `message` is the message as it now
reads, with `edited.ts` (a link's preview added by Slack changes it too, without `edited`).
An edit within `EDIT_WINDOW_SECONDS` of sending (a typo fixed) is read again like a new
message, as Telegram's are (bot/adapters/telegram/convert.py, `recent_edit`): a user's
corrected question is answered anew and reaches an agent marked as a correction; an agent's
corrected reply reaches the user. A later edit, usually cosmetic, is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["EDIT_WINDOW_SECONDS", "as_sent", "delivery_key", "edit_key"]

EDIT_WINDOW_SECONDS: Final = 120.0  # as Telegram's EDIT_WINDOW
_CHANGED: Final = "message_changed"


def as_sent(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The message an event is about: the event itself, or for an edit made within the
    window the edited message (in the event's channel); None for any other change. Whether
    it is an edit: `as_sent(event) is not event`."""
    if event.get("subtype") != _CHANGED:
        return event
    message = event.get("message")
    if not isinstance(message, Mapping):
        return None
    edited = message.get("edited")
    if not isinstance(edited, Mapping):  # Slack's own change (a link's preview), not a person's
        return None
    try:
        took = float(edited["ts"]) - float(message["ts"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= took <= EDIT_WINDOW_SECONDS:
        return None
    return {**message, "channel": event.get("channel"), "channel_type": event.get("channel_type")}


def edit_key(event: Mapping[str, Any]) -> str | None:
    """An edit's own delivery key: its message and when it was edited, the same in each
    event Slack sends of that one edit (it changes an edited message again to add a link's
    preview), so the correction is taken once; None for an event that is no edit."""
    message = event.get("message")
    if event.get("subtype") != _CHANGED or not isinstance(message, Mapping):
        return None
    edited = message.get("edited")
    when = edited.get("ts") if isinstance(edited, Mapping) else None
    return f"edit:{event.get('channel')}:{message.get('ts')}:{when}"


def delivery_key(body: Mapping[str, Any], channel: str, event: Mapping[str, Any]) -> str:
    """A message event's delivery key: an edit's own (`edit_key`), else Slack's event id,
    else the channel and the message's ts (`event`: the message, `as_sent`)."""
    changed = body.get("event") or {}
    return str(edit_key(changed) or body.get("event_id") or f"{channel}:{event.get('ts')}")
