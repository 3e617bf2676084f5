"""What a Telegram message says, with the address of each link whose words hide it.

A text link (words with an address under them: made with Ctrl+K, or kept in a forwarded
message) comes as its words in `text` and its address in an entity; read as the words
alone, it lost the address on its way to a Slack or web agent, or from an agent to the
user. It is read as Slack's links are (bot/adapters/slack/convert.py): "the guide
(https://…)", and as only its address when the words are that address.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, MessageEntity

__all__ = ["address_after", "shown_text", "with_addresses"]

_UTF16 = "utf-16-le"  # entities count UTF-16 code units


def shown_text(message: Message) -> str:
    """The message's text (or its file's caption), each text link's address after its words."""
    if message.text is not None:
        return with_addresses(message.text, message.entities)
    return with_addresses(message.caption or "", message.caption_entities)


def with_addresses(text: str, entities: Sequence[MessageEntity]) -> str:
    """`text` with " (address)" after the words of each text link in `entities`."""
    links = sorted(
        (e for e in entities if e.type == MessageEntity.TEXT_LINK and e.url), key=lambda e: e.offset
    )
    if not links:
        return text
    units, parts, start = text.encode(_UTF16), [], 0
    for link in links:
        end = 2 * (link.offset + link.length)
        if end <= start:  # overlapping entities: Telegram sends none
            continue
        words = units[2 * link.offset : end].decode(_UTF16, "replace")
        parts.append(units[start:end].decode(_UTF16, "replace"))
        parts.append(address_after(words, str(link.url)))
        start = end
    parts.append(units[start:].decode(_UTF16, "replace"))
    return "".join(parts)


def address_after(words: str, address: str) -> str:
    """What follows a text link's words: " (address)", or nothing when they are it."""
    return "" if _plain(words) == _plain(address) else f" ({address})"


def _plain(address: str) -> str:
    """An address compared without its scheme and its last slash."""
    return address.strip().partition("://")[2].rstrip("/").casefold() or address.casefold()
