"""Emoji in what people type in Slack. Slack's clients write an emoji in a message's `text`
as its shortcode (":+1:", ":+1::skin-tone-4:", even one typed or pasted as 👍), and in the
message's rich_text `blocks` as an element with its code points
(https://docs.slack.dev/reference/block-kit/block-elements/emoji-element). The bot reads
the emoji itself: a 👍 alone is an acknowledgement, and an agent's 🙂 reaches a Telegram
or web user as 🙂, not as ":slightly_smiling_face:". A custom emoji has no code points and
stays its shortcode.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["emoji_of", "with_emoji"]

_SHORTCODE: Final = re.compile(r":[\w+'-]+:(?::skin-tone-[2-6]:)?")


def emoji_of(blocks: Iterable[Any]) -> dict[str, str]:
    """The standard emoji of a message's blocks: each one's characters, by the way the
    message's `text` writes it (":+1:", or ":+1::skin-tone-4:" with a skin tone)."""
    found: dict[str, str] = {}
    pending = list(blocks)
    while pending:
        item = pending.pop()
        if not isinstance(item, Mapping):
            continue
        elements = item.get("elements")
        pending.extend(elements if isinstance(elements, list) else ())
        name, points = str(item.get("name") or ""), str(item.get("unicode") or "")
        if item.get("type") != "emoji" or not name or not points:
            continue
        tone = item.get("skin_tone")
        key = f":{name}:" + (f":skin-tone-{tone}:" if tone and "::" not in name else "")
        try:
            found[key] = "".join(chr(int(point, 16)) for point in points.split("-"))
        except ValueError:  # not code points: the shortcode stays
            continue
    return found


def with_emoji(text: str, emoji: Mapping[str, str]) -> str:
    """`text` with the shortcodes of `emoji` (from `emoji_of`) as their characters."""
    if not emoji:
        return text
    return _SHORTCODE.sub(lambda code: emoji.get(code[0], code[0]), text)
