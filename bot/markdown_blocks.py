"""Markdown's blocks as lines of text: list items with their markers, quotes with "> ",
headings, code and table rows, each line's inline text written in a `Style`. Slack's mrkdwn
(`adapters/slack/mrkdwn.py`) is one style; `plain` is the text a terminal shows (the command
line prints stored Markdown through it, so an escaped "\\*" shows as the "*" it stands for).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from bot.markdown import safe_markdown

__all__ = ["BlockWriter", "Style", "plain"]


@dataclass(frozen=True, slots=True)
class Style:
    """How one output writes what the block walk does not decide itself."""

    inline: Callable[[Sequence[Token], bool], str]  # an inline's children, with emphasis marks?
    heading: Callable[[str], str]  # a heading's text (written without marks) as a line
    code: Callable[[str], str]  # a fenced or indented code block's content
    bullet: str  # a bulleted list item's marker


class BlockWriter:
    """Walks the block tokens, keeping list markers, quote depth and table rows."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [ordered (0/1), next number]
        self.marker = ""
        self.quote = 0
        self.row: list[str] | None = None
        self.heading = False

    def render(self, tokens: Sequence[Token]) -> str:
        for token in tokens:
            self._block(token)
        return re.sub(r"\n{3,}", "\n\n", "".join(self.out)).strip()

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind == "inline":
            self._inline(token)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([int(kind.startswith("ordered")), int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            self.out.append("" if self.lists else "\n")
        elif kind == "list_item_open":
            self.marker = self._next_marker()
        elif kind in ("heading_open", "heading_close"):
            self.heading = kind == "heading_open"
            self.out.append("" if self.heading else "\n")
        elif kind == "paragraph_close" and not token.hidden:
            self.out.append("\n")
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quote += 1 if kind.endswith("open") else -1
        elif kind in ("fence", "code_block"):
            self._lines(self.style.code(token.content.rstrip()))
            self.out.append("\n")
        else:
            self._table(kind)

    def _table(self, kind: str) -> None:
        if kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._lines(" | ".join(self.row))
            self.row = None
        elif kind == "table_close":
            self.out.append("\n")

    def _next_marker(self) -> str:
        if not self.lists:
            return ""
        current = self.lists[-1]
        if not current[0]:
            return self.style.bullet
        current[1] += 1
        return f"{current[1] - 1}. "

    def _inline(self, token: Token) -> None:
        children, inline = token.children or (), self.style.inline
        if self.row is not None:
            self.row.append(inline(children, True))
        elif self.heading:
            self._lines(self.style.heading(inline(children, False)))
        else:
            self._lines(inline(children, True))

    def _lines(self, text: str) -> None:
        indent = "    " * max(len(self.lists) - 1, 0)
        quote = "> " * self.quote
        first, rest = quote + indent + self.marker, quote + indent + " " * len(self.marker)
        self.marker = ""
        lines = text.split("\n")
        self.out.append("\n".join([first + lines[0], *(rest + line for line in lines[1:])]))
        self.out.append("\n")


def _plain_inline(tokens: Sequence[Token], _marks: bool) -> str:
    """What a reader sees of an inline: its text and code, no emphasis marks, and a link's
    address after its label (a terminal cannot click a label)."""
    stack: list[tuple[str, list[str]]] = [("", [])]
    for token in tokens:
        out = stack[-1][1]
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "image":
            out.append(_plain_inline(token.children or (), _marks))
        elif token.type == "link_open":
            stack.append((str(token.attrGet("href") or ""), []))
        elif token.type == "link_close" and len(stack) > 1:
            href, label = stack.pop()
            stack[-1][1].append(_link(href, "".join(label)))
    return "".join(part for _, parts in stack for part in parts)


def _link(href: str, label: str) -> str:
    """A link's label, then its address unless the label is that already (an autolink)."""
    address = href.removeprefix("mailto:")
    return label if label in (href, address) else f"{label} ({address})"


_PLAIN = Style(inline=_plain_inline, heading=lambda text: text, code=lambda text: text, bullet="- ")


def plain(markdown: str) -> str:
    """`markdown` as plain text, as a reader sees it rendered: escapes undone, no emphasis
    marks, lists, quotes and code kept as lines."""
    return BlockWriter(_PLAIN).render(safe_markdown().parse(markdown))
