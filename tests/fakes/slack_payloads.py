"""Payloads Slack sends to the bot, built from the calls the bot made to the fake Web API."""

from __future__ import annotations

from typing import Any

from tests.fakes.slack_api import BOT_ID, BOT_USER, TEAM, Call

__all__ = ["block_actions"]


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
