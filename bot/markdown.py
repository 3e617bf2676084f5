"""The one way KB and bot texts are parsed as Markdown before an adapter renders them.

CommonMark with raw HTML off (a `<script>` in a text stays text), single newlines as line
breaks (as chat apps show them), the extensions a platform can show (tables, strikethrough),
and links or images only for the schemes it allows, so `javascript:` never becomes a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

__all__ = ["EXTENSIONS", "WEB_SCHEMES", "as_lines", "literal", "safe_markdown"]

WEB_SCHEMES = frozenset({"http", "https", "mailto"})
EXTENSIONS = ("table", "strikethrough")
# What would turn a person's plain words into markup: emphasis, code, links, strikethrough,
# and the backslash that escapes ("\\fs01\share" must keep both of its backslashes).
_MARKUP = re.compile(r"([\\`*_\[\]~<&])")
# What would turn a line of them into a block: a heading ("# 1"), a list item ("+ x", "- x",
# "2) x"), a quote, a table's row ("|a|b|"), a rule or a heading's underline ("---", "===",
# also a table's "--|--"); "#1" or "-5" is none.
_BLOCK_MARK = re.compile(
    r"^([ \t]*)(#(?=#{0,5}(?:[ \t]|$))|[+-](?=[ \t]|$)|[>|]|[-=](?=[-=|: \t]*$))", re.MULTILINE
)
_NUMBERED = re.compile(r"^([ \t]*\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)


class _SafeMarkdown(MarkdownIt):
    def __init__(self, schemes: frozenset[str], extensions: tuple[str, ...]) -> None:
        super().__init__("commonmark", {"html": False, "breaks": True})
        self.enable(list(extensions))
        self._schemes = schemes

    # camelCase: this overrides the method markdown-it calls for every link and image.
    def validateLink(self, url: str) -> bool:
        try:
            return urlsplit(url.strip()).scheme.lower() in self._schemes
        except ValueError:
            return False


@cache
def _parser(schemes: frozenset[str], extensions: tuple[str, ...]) -> MarkdownIt:
    return _SafeMarkdown(schemes, extensions)


def safe_markdown(
    schemes: Iterable[str] = WEB_SCHEMES, extensions: tuple[str, ...] = EXTENSIONS
) -> MarkdownIt:
    """A shared parser whose links may only use `schemes`; do not change it, it is shared."""
    return _parser(frozenset(schemes), extensions)


def literal(text: str) -> str:
    """`text` as Markdown that shows it as written: what a user or an agent typed, put into
    a phrase, so a path like "\\\\fs01\\share\\*.pst" reaches the reader unchanged."""
    return as_lines(_MARKUP.sub(r"\\\1", text))


def as_lines(text: str) -> str:
    """Markdown with no blocks: each line of `text` a line of chat, not a heading, quote,
    list, rule or table (as a person's chat message means it); its inline marks kept."""
    return _NUMBERED.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\1\\\2", text))
