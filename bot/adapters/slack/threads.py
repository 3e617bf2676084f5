"""Which chat a Slack `message` event is in: a DM, or a reply in a thread of a channel or of
a group DM (an mpim, served like a channel); a user's own message (with a file, or a thread
reply also sent to the channel) is taken, any other subtype (an edit, a deletion, a join)
is not.

A reply in a thread that does not mention the bot is "unaddressed" (`IncomingMessage`): the
adapter cannot know whether the thread is one the bot talks in (that is the database's), so
the core takes it only from a user who has a conversation there, and keeps nothing of anyone
else's. A reply that mentions the bot also comes as an `app_mention`, and is taken from that
one only. A message at the top of a channel or a group DM is never the bot's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["message_chat"]

_TAKEN_SUBTYPES: Final = frozenset({"file_share", "thread_broadcast"})
# Public and private channels (`message.channels`, `message.groups`), and group DMs
# (`message.mpim`): several people read these, so the bot answers a mention there in a
# thread, and goes on in that thread with the asker only.
_THREADED: Final = frozenset({"channel", "group", "mpim"})


def message_chat(event: Mapping[str, Any], *, bot_user_id: str | None) -> tuple[str, bool] | None:
    """The chat id of a `message` event and whether it is unaddressed: a DM's channel, or
    "C123/1700.0001" for a reply in that thread without the bot's mention; None for others."""
    channel, kind = str(event.get("channel") or ""), event.get("channel_type")
    subtype = event.get("subtype")
    if subtype and subtype not in _TAKEN_SUBTYPES:  # edits, deletions, joins, bots' posts
        return None
    if kind == "im":
        return channel, False
    thread = str(event.get("thread_ts") or "")
    if kind not in _THREADED or not thread or thread == event.get("ts"):
        return None
    if not bot_user_id or _mentions(str(event.get("text") or ""), bot_user_id):
        return None  # unknown bot: a mention could not be told apart (and answered twice)
    return f"{channel}/{thread}", True


def _mentions(text: str, user_id: str) -> bool:
    """Whether Slack markup `text` mentions `user_id` (`<@U123>` or `<@U123|name>`)."""
    return re.search(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", text) is not None
