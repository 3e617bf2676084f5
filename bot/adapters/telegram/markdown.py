"""Markdown (CommonMark, as KB answers are written) → Telegram HTML, in message-sized parts.

Telegram understands a handful of tags (b, i, s, code, pre, a, blockquote) and nothing else,
so headings become bold lines and lists become "•" / "1." lines. Every piece of text and every
link is escaped; links are limited to safe schemes. `split_html` cuts the result into parts of
at most 4096 characters on paragraph boundaries (a longer paragraph between words), closing
and reopening the tags a cut passes through so that every part is valid on its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Final

from markdown_it.token import Token

from bot.markdown import safe_markdown

__all__ = ["MAX_MESSAGE_CHARS", "render_blocks", "split_html", "utf16_len"]

MAX_MESSAGE_CHARS: Final = 4096
SAFE_SCHEMES: Final = frozenset({"http", "https", "mailto", "tg"})
_INLINE_TAGS: Final = {
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "s_open": "<s>",
    "s_close": "</s>",
    "link_close": "</a>",
}
# What a too long block is cut between: tags, entities, and text in pieces of at most 256
# characters that end after a space where there is one (so that a cut falls between words, as
# Slack's do), a longer word cut where it must be.
_ATOM = re.compile(r"<[^>]*>|&[#\w]+;|[^<&\n]{0,255}[^\S\n]|[^<&\n]{1,256}\n?|\n")
_TAG = re.compile(r"<(/?)(\w+)")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _inline(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    for token in tokens:
        if token.type in _INLINE_TAGS:
            out.append(_INLINE_TAGS[token.type])
        elif token.type == "link_open":
            out.append(f'<a href="{html.escape(str(token.attrGet("href") or ""))}">')
        elif token.type == "code_inline":
            out.append(f"<code>{_escape(token.content)}</code>")
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "image":
            out.append(_inline(token.children or ()))
        else:  # text, html_inline (shown as typed) and anything new: plain, escaped
            out.append(_escape(token.content))
    return "".join(out)


def _list_marker(lists: list[list[int]]) -> str:
    indent = "  " * (len(lists) - 1)
    counter = lists[-1]
    if not counter:
        return f"{indent}• "
    counter[0] += 1
    return f"{indent}{counter[0] - 1}. "


_BLOCK_TAGS: Final = {
    "heading_open": "<b>",
    "heading_close": "</b>\n",
    "blockquote_open": "<blockquote>",
    "blockquote_close": "</blockquote>\n",
    "list_item_close": "\n",
    "hr": "———\n",
}


def _block_part(token: Token, lists: list[list[int]]) -> str:
    """The HTML one block-level token adds (`lists` holds the open lists' counters)."""
    kind = token.type
    if kind in _BLOCK_TAGS:
        return _BLOCK_TAGS[kind]
    if kind == "inline":
        return _inline(token.children or ())
    if kind in ("bullet_list_open", "ordered_list_open"):
        lists.append([int(token.attrGet("start") or 1)] if kind == "ordered_list_open" else [])
        return "\n" if len(lists) > 1 else ""
    if kind in ("bullet_list_close", "ordered_list_close"):
        lists.pop()
        return ""
    if kind == "list_item_open":
        return _list_marker(lists)
    if kind == "paragraph_close":
        return "" if token.hidden else "\n"
    if kind in ("fence", "code_block"):
        return f"<pre>{_escape(token.content.rstrip(chr(10)))}</pre>\n"
    return _escape(token.content) if kind == "html_block" else ""


def render_blocks(text: str) -> list[str]:
    """Markdown → Telegram HTML, one string per top-level block (paragraph, list, ...)."""
    blocks: list[str] = []
    parts: list[str] = []
    lists: list[list[int]] = []
    # Telegram has no tables: their source stays readable text.
    for token in safe_markdown(SAFE_SCHEMES, ("strikethrough",)).parse(text):
        parts.append(_block_part(token, lists))
        if token.level == 0 and token.nesting <= 0:
            block = _tidy("".join(parts))
            if block:
                blocks.append(block)
            parts = []
    return blocks


def _tidy(block: str) -> str:
    """No blank lines inside a block, none at its ends, none before a closing tag."""
    block = re.sub(r"\n+(</\w+>)", r"\1", block)
    return re.sub(r"\n{2,}", "\n", block).strip("\n")


def split_html(blocks: Sequence[str], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Blocks packed into parts of at most `limit` UTF-16 units, cut between blocks."""
    pieces = [p for block in blocks for p in _split_block(block, limit)]
    parts: list[str] = []
    for piece in pieces:
        if parts and utf16_len(parts[-1]) + 2 + utf16_len(piece) <= limit:
            parts[-1] += "\n\n" + piece
        else:
            parts.append(piece)
    return parts


def _split_block(block: str, limit: int) -> list[str]:
    """One block cut between lines, tags or words; tags open at a cut are closed and reopened."""
    if utf16_len(block) <= limit:
        return [block]
    parts: list[str] = []
    current = ""
    stack: list[tuple[str, str]] = []
    for atom in _ATOM.findall(block):
        closing = "".join(f"</{name}>" for name, _ in reversed(stack))
        if current.strip() and utf16_len(current + atom + closing) + 16 > limit:
            parts.append(current.rstrip() + closing)
            current = "".join(opening for _, opening in stack)
            atom = atom if _TAG.match(atom) else atom.lstrip(" ")  # no part starts with a space
        current += atom
        tag = _TAG.match(atom)
        if tag and tag.group(1):
            stack.pop()
        elif tag:
            stack.append((tag.group(2), atom))
    parts.append(current.rstrip("\n"))
    return parts
