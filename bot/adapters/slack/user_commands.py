"""The bot's own commands (/cancel, /lang ru, /tickets…) as a Slack user can type them.

Slack's composer takes a message that starts with "/" for one of its slash commands and
refuses one it does not know ("/cancel is not a valid command"), so a Slack user could not do
what the bot's texts said ("write /cancel to leave the queue"). On Slack they are written with
the mark the Slack desk's commands have, "!cancel", and a user's "!cancel" is read as
"/cancel"; in a `/helpdesk` conversation (its answers visible to the user only, in a channel,
where the user can only write through the command) they read "/helpdesk /cancel", which
Slack passes on to the bot as "/cancel".
"""

from __future__ import annotations

import re
from typing import Final

from bot.adapters.slack.targets import EPHEMERAL
from bot.dialog_commands import USER_COMMANDS

__all__ = ["MARK", "SLASH_COMMAND", "as_slack_lets_type", "command_typed"]

SLASH_COMMAND: Final = "/helpdesk"
MARK: Final = "!"  # a command's mark on Slack, the desk's (`desk_convert.COMMAND_MARK`) too
_NAMES = "|".join(USER_COMMANDS)
# A command named in the bot's text: "/cancel", not a path's or an address's "/help"
_NAMED: Final = re.compile(rf"(?<![\w/.:~-])/({_NAMES})\b", re.IGNORECASE)
_TYPED: Final = re.compile(rf"\s*{re.escape(MARK)}(({_NAMES})\b.*)", re.IGNORECASE | re.DOTALL)


def as_slack_lets_type(text: str, chat_id: str) -> str:
    """`text` for a user's chat, its commands written so that Slack lets the user send them."""
    prefix = f"{SLASH_COMMAND} /" if chat_id.endswith(f"/{EPHEMERAL}") else MARK
    return _NAMED.sub(lambda named: prefix + named[1], text)


def command_typed(text: str) -> str:
    """A user's "!cancel" (or " !lang ru") as the command "/cancel"; any other text as it is."""
    typed = _TYPED.fullmatch(text)
    return f"/{typed[1]}" if typed else text
