"""A Telegram agent's reply as Markdown: the formatting Telegram gave it kept, the rest typed.

Telegram sends what an agent made bold, italic, struck out or code as entities beside the
plain text; read as the text alone, a Slack or web user got it plain. Here each entity
becomes its Markdown mark around the words it covers (an underline or a spoiler, which
Markdown has not, stays plain), everything else is `literal` (a typed "*.pst" or "# 1"
shows as typed), and a text link keeps its address after its words (`links.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Final

from telegram import Message, MessageEntity

from bot.adapters.telegram.links import address_after
from bot.markdown import literal

__all__ = ["reply_markdown"]

_UTF16: Final = "utf-16-le"  # entities count UTF-16 code units
_MARKS: Final = {
    MessageEntity.BOLD: "**",
    MessageEntity.ITALIC: "*",
    MessageEntity.STRIKETHROUGH: "~~",
}
_CODE: Final = frozenset({MessageEntity.CODE, MessageEntity.PRE})
_READ: Final = frozenset({*_MARKS, *_CODE, MessageEntity.TEXT_LINK})


def reply_markdown(message: Message) -> str:
    """The message's text (or its file's caption) as Markdown that shows it as Telegram did."""
    if message.text is not None:
        return entities_markdown(message.text, message.entities)
    return entities_markdown(message.caption or "", message.caption_entities)


def entities_markdown(text: str, entities: Sequence[MessageEntity]) -> str:
    """`text` as Markdown, cut where `entities` start and end, each piece with its marks."""
    read = [e for e in entities if e.type in _READ]
    if not read:
        return literal(text)
    units = text.encode(_UTF16, "surrogatepass")  # a lone surrogate is mended later
    cuts = sorted({0, len(units) // 2} | {e.offset for e in read} | {_end(e) for e in read})
    parts = []
    for start, end in itertools.pairwise(cuts):
        covering = [e for e in read if e.offset <= start and end <= _end(e)]
        parts.append(_piece(units[2 * start : 2 * end].decode(_UTF16, "surrogatepass"), covering))
        for link in (e for e in covering if e.type == MessageEntity.TEXT_LINK and _end(e) == end):
            words = units[2 * link.offset : 2 * end].decode(_UTF16, "surrogatepass")
            parts.append(literal(address_after(words, str(link.url or ""))))
    return "".join(parts)


def _end(entity: MessageEntity) -> int:
    return entity.offset + entity.length


def _piece(words: str, covering: Sequence[MessageEntity]) -> str:
    """Words with the marks of the entities that cover them all, around what is not space
    (a mark next to a space would not be one)."""
    kinds = {e.type for e in covering}
    core = words.strip()
    if not core:
        return literal(words)
    if kinds & _CODE:
        return _code(words, block=MessageEntity.PRE in kinds)
    opening = "".join(mark for kind, mark in _MARKS.items() if kind in kinds)
    lead, trail = words[: len(words) - len(words.lstrip())], words[len(words.rstrip()) :]
    return f"{literal(lead)}{opening}{literal(core)}{opening[::-1]}{literal(trail)}"


def _code(words: str, *, block: bool) -> str:
    """Code as typed, in marks longer than any run of backticks in it."""
    ticks = "`" * (_run(words) + 1)
    if block:
        fence = "`" * max(3, len(ticks))
        return f"\n{fence}\n{words.strip(chr(10))}\n{fence}\n"
    return f"{ticks} {words} {ticks}" if "`" in words else f"`{words}`"


def _run(words: str) -> int:
    """The longest run of backticks in `words`."""
    best = run = 0
    for char in words:
        run = run + 1 if char == "`" else 0
        best = max(best, run)
    return best
