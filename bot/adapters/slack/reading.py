"""What people write in Slack, read as plain text: Slack's markup (`<@U…>`, `<#C…|name>`,
`<!here>`, links, dates), its entities and its emoji shortcodes as what Slack shows, and
the people a text mentions by id, to be named once their names are looked up (users.info,
in `profiles.py`). Pure: no network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from bot.adapters.slack.edits import as_sent
from bot.adapters.slack.emoji import emoji_of, with_emoji

__all__ = ["from_slack_text", "mentions_in", "mentions_of", "text_of", "with_names"]

_MARKUP: Final = re.compile(r"<([@#!])?([^>|]*)(?:\|([^>]*))?>")
_MENTION: Final = re.compile(r"<@([A-Z0-9]+)>")  # a user named by their id alone


def _link(address: str, label: str | None) -> str:
    """A link as plain text: what it shows when that is its address (Slack makes a typed
    or pasted address a link labelled with it), else its words and, after them, the address,
    which the words alone lose."""
    if not label or label == address:
        return label or address
    bare = address.partition(":")[2].lstrip("/")  # without "https://" or "mailto:"
    if label.rstrip("/") in (bare.rstrip("/"), address.rstrip("/")):
        return label
    return f"{label} ({address})"


def from_slack_text(
    text: str, *, bot_user_id: str | None = None, blocks: Sequence[Any] = ()
) -> str:
    """Slack's markup to plain text: the bot's mention dropped, `<…>` as what it shows, and
    the shortcodes of the standard emoji in the message's `blocks` as the emoji."""

    def plain(match: re.Match[str]) -> str:
        sigil, value, label = match.group(1), match.group(2), match.group(3)
        if sigil == "@" and value == bot_user_id:
            return ""
        if sigil == "!" and value.startswith("date^"):
            return label or ""  # a date shown in the reader's time zone: its fallback text
        if sigil:
            return f"{'#' if sigil == '#' else '@'}{(label or value).lstrip('@#')}"
        return _link(value, label)

    text = _MARKUP.sub(plain, with_emoji(text, emoji_of(blocks)))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def mentions_of(text: str, *, bot_user_id: str | None = None) -> tuple[str, ...]:
    """The people a Slack text names by id alone ("<@U123>", as Slack sends a mention):
    `from_slack_text` shows them as "@U123" until `with_names` is given their names."""
    return tuple(u for u in dict.fromkeys(_MENTION.findall(text)) if u != bot_user_id)


def mentions_in(body: Mapping[str, Any], *, bot_user_id: str | None) -> tuple[str, ...]:
    """The people a message event's text (as it now reads) names by id (`mentions_of`)."""
    event = as_sent(body.get("event") or {}) or {}
    return mentions_of(str(event.get("text") or ""), bot_user_id=bot_user_id)


def with_names(text: str, names: Mapping[str, str]) -> str:
    """A text of `from_slack_text` with each "@U123" of `names` as "@Their Name"."""
    if not names:
        return text
    ids = "|".join(re.escape(user) for user in names)
    return re.sub(rf"@({ids})(?![A-Za-z0-9])", lambda m: f"@{names[m[1]]}", text)


def text_of(event: Mapping[str, Any], *, bot_user_id: str | None = None) -> str:
    """What a person wrote in a message event, as plain text (`from_slack_text`)."""
    blocks = event.get("blocks")
    text = str(event.get("text") or "")
    return from_slack_text(text, bot_user_id=bot_user_id, blocks=blocks or ())
