"""Agents' desk events on Slack, as recorded before the ack and read back after a crash.

A Claim press or a message in a card's thread is recorded with the core's `DeskInbox`
under the `event_id` its `Desk.act` will carry, before Slack gets its acknowledgement; the
act marks it done. What a crash left between the two is read back here and acted on again
(still once: the act checks the record). The stored body is Slack's, without the secrets
it carries (the legacy verification token, response URLs). Pure: no network, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from bot.adapters.slack.desk_convert import DeskInput, desk_message, desk_press

__all__ = ["desk_record", "work_of"]

_SECRET: Final = frozenset({"token", "response_url", "response_urls"})


def desk_record(body: Mapping[str, Any], *, bot_user_id: str | None) -> dict[str, object]:
    """What to keep of a desk event: Slack's body, minus its secrets, and who the bot is."""
    kept = {key: value for key, value in body.items() if key not in _SECRET}
    return {"body": kept, "bot_user_id": bot_user_id}


def work_of(record: Mapping[str, object], *, desks: frozenset[str]) -> DeskInput | None:
    """The agent's action in a record `desk_record` made; None if it is not one any more."""
    body, bot = record.get("body"), record.get("bot_user_id")
    if not isinstance(body, dict):
        return None
    bot_user_id = bot if isinstance(bot, str) else None
    return desk_press(body) or desk_message(body, desks=desks, bot_user_id=bot_user_id)
