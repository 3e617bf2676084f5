"""CommonMark (the KB's and the bot's texts) → Slack mrkdwn, escaped and split within limits.

Everything that came from a user or the KB is escaped (`&`, `<`, `>`), so `<!channel>`,
`<@U…>` or `<https://evil|https://good>` written in a text arrive as harmless characters.
The only `<…>` sequences in the result are links this module builds itself, and only for
http, https and mailto targets; a link whose label looks like another address shows its real
target instead (https://api.slack.com/reference/surfaces/formatting#escaping).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import quote

from markdown_it.token import Token

from bot.markdown import WEB_SCHEMES, safe_markdown

__all__ = ["escape", "markdown_to_mrkdwn"]

_INLINE_MARKS: Final = {"strong": "*", "em": "_", "s": "~"}
# In escaped text: `&` is "&amp;" (a query's), and `|` ends it (Slack reads the rest as the label).
_BARE_URL: Final = re.compile(r"\bhttps?://(?:[^\s<>&|]|&amp;)*[^\s<>&|.,;:!?)\]'\"]")
_ADDRESS_LIKE: Final = re.compile(
    r"(://|^www\.|[\w.+-]+@[\w-]+(\.[\w-]+)+|^[\w-]+(\.[\w-]+)+(/|$))", re.IGNORECASE
)
_FENCE: Final = "```"


def escape(text: str) -> str:
    """The three characters Slack reads as markup, as the entities Slack expects."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _url(href: str) -> str:
    """A link target safe inside `<…|…>`: no `|`, `<`, `>`, spaces; `&` as an entity."""
    return escape(quote(href, safe="/:@?#=&%+~;,!$'()*[]-._"))


def _link(href: str, label: str) -> str:
    url = _url(href)
    plain_href = href.removeprefix("mailto:").rstrip("/").casefold()
    plain_label = label.strip().removeprefix("mailto:").rstrip("/").casefold()
    if not plain_label or plain_label in (plain_href, escape(plain_href)):
        return f"<{url}>"
    if _ADDRESS_LIKE.search(plain_label):  # a label that names another address misleads
        return f"<{url}>"
    return f"<{url}|{label}>"


def _text(content: str) -> str:
    """Plain text: escaped, with bare web addresses made clickable (verbatim sections)."""
    escaped = escape(content)
    return _BARE_URL.sub(lambda m: f"<{m.group(0)}>", escaped)


def _inline(tokens: Sequence[Token], *, marks: bool = True) -> str:
    """The inline children of one block: emphasis, code, links and text."""
    stack: list[tuple[str, list[str]]] = [("", [])]
    for token in tokens:
        kind, _, edge = token.type.rpartition("_")
        out = stack[-1][1]
        if token.type == "text":
            out.append(_text(token.content) if len(stack) == 1 else escape(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "code_inline":
            out.append(f"`{escape(token.content)}`")
        elif token.type == "image":
            out.append(_link(str(token.attrGet("src") or ""), escape(token.content)))
        elif token.type == "link_open":
            stack.append((str(token.attrGet("href") or ""), []))
        elif token.type == "link_close" and len(stack) > 1:
            href, label = stack.pop()
            stack[-1][1].append(_link(href, "".join(label)))
        elif kind in _INLINE_MARKS and edge in ("open", "close") and marks:
            out.append(_INLINE_MARKS[kind])
    return "".join(part for _, parts in stack for part in parts)


class _Blocks:
    """Walks the block tokens, keeping list markers, quote depth and table rows."""

    def __init__(self) -> None:
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
            self._lines(f"{_FENCE}\n{escape(token.content.rstrip())}\n{_FENCE}")
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
            return "• "
        current[1] += 1
        return f"{current[1] - 1}. "

    def _inline(self, token: Token) -> None:
        children = token.children or ()
        if self.row is not None:
            self.row.append(_inline(children))
        elif self.heading:
            self._lines(f"*{_inline(children, marks=False)}*")
        else:
            self._lines(_inline(children))

    def _lines(self, text: str) -> None:
        indent = "    " * max(len(self.lists) - 1, 0)
        quote = "> " * self.quote
        first, rest = quote + indent + self.marker, quote + indent + " " * len(self.marker)
        self.marker = ""
        lines = text.split("\n")
        self.out.append("\n".join([first + lines[0], *(rest + line for line in lines[1:])]))
        self.out.append("\n")


def markdown_to_mrkdwn(text: str) -> str:
    """Render Markdown as Slack mrkdwn; every character of `text` is escaped."""
    return _Blocks().render(safe_markdown(WEB_SCHEMES).parse(text))
