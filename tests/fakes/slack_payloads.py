"""Payloads Slack sends to the bot, built from the calls the bot made to the fake Web API."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.slack_api import BOT_ID, BOT_USER, TEAM, Call

__all__ = ["block_actions", "rich_text"]

_SHORTCODE = re.compile(r":([a-z0-9_+-]+):(?::skin-tone-([2-6]):)?")
_TONES = {"2": "1f3fb", "3": "1f3fc", "4": "1f3fd", "5": "1f3fe", "6": "1f3ff"}


def rich_text(text: str, emoji: dict[str, str]) -> list[dict[str, Any]]:
    """The rich_text block Slack's client attaches to a message a person typed as `text`
    (Slack's own form: an emoji as ":name:", a skin tone as ":name::skin-tone-4:"): each
    emoji named in `emoji` (name: its code points, "1f44d") is an emoji element with its
    `unicode` (a toned one with `skin_tone` too), the rest text elements."""
    elements: list[dict[str, Any]] = []
    end = 0
    for found in _SHORTCODE.finditer(text):
        if found.group(1) not in emoji:
            continue
        if found.start() > end:
            elements.append({"type": "text", "text": text[end : found.start()]})
        element = {"type": "emoji", "name": found.group(1), "unicode": emoji[found.group(1)]}
        if tone := found.group(2):
            element |= {"unicode": f"{element['unicode']}-{_TONES[tone]}", "skin_tone": int(tone)}
        elements.append(element)
        end = found.end()
    if end < len(text):
        elements.append({"type": "text", "text": text[end:]})
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": "typed", "elements": [section]}]


def block_actions(
    call: Call, button: dict[str, Any], block: dict[str, Any], *, user: str
) -> dict[str, Any]:
    """The block_actions payload Slack sends for a press on a message the bot posted."""
    message = {
        "type": "message",
        "user": BOT_USER,
        "bot_id": BOT_ID,
        "ts": call.response["ts"] if isinstance(call.response, dict) else "1700000005.000001",
        "text": call.args["text"],
        "blocks": call.args["blocks"],
    }
    container = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": call.args.get("channel"),
        "is_ephemeral": False,
    }
    if call.args.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"] = call.args["thread_ts"]
    action = {
        "type": "button",
        "block_id": block["block_id"],
        "action_id": button["action_id"],
        "value": button["value"],
        "text": button["text"],
        "action_ts": "1700000001.000001",
    }
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A0APP",
        "token": "legacy",
        "container": container,
        "trigger_id": f"trigger-{user}-{button['value']}",
        "channel": {"id": call.args.get("channel"), "name": "x"},
        "message": message,
        "response_url": "https://hooks.invalid/unused",
        "actions": [action],
    }
