"""Short forms of users' text for cards, tickets and notices."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from bot.markdown import literal, safe_markdown

__all__ = ["clip", "markdown_line", "one_line", "subject"]

_SUBJECT_CHARS = 120
_ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with "…" when longer."""
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def one_line(text: str, limit: int) -> str:
    """`text` with its whitespace (newlines too) made single spaces, clipped to `limit`."""
    return clip(" ".join(text.split()), limit)


def subject(question: str) -> str:
    """A ticket's subject: the question on one line, shortened; "-" for an empty one."""
    return one_line(question, _SUBJECT_CHARS) or "-"


def markdown_line(markdown: str, limit: int) -> str:
    """Markdown `markdown` on one line, as `one_line` does plain text: when it shows more than
    `limit` characters, its start and "…", still Markdown. A cut in the source could fall
    between a backslash and what it escapes, or inside "**…**", showing "\\" or "**"; this
    cuts what it shows, and closes the marks it leaves open."""
    line = " ".join(markdown.split())
    tokens = safe_markdown().parseInline(line)[0].children or ()
    if sum(len(_shown(token)) for token in tokens) <= limit:
        return line
    return _cut(tokens, limit - 1).rstrip() + _ELLIPSIS


def _shown(token: Token) -> str:
    """The characters of an inline token a reader sees (an image: its description)."""
    return token.content if token.type in ("text", "code_inline", "image") else ""


def _cut(tokens: Sequence[Token], left: int) -> str:
    """The tokens as Markdown again, up to `left` characters shown; open marks closed."""
    out: list[str] = []
    closing: list[str] = []  # what closes each mark still open, innermost last
    for token in tokens:
        if left <= 0:
            break
        if token.nesting == 1:  # emphasis, strikethrough, a link
            link = token.type == "link_open"
            out.append("[" if link else token.markup)
            closing.append(f"]({token.attrGet('href')})" if link else token.markup)
        elif token.nesting == -1:
            out.append(closing.pop())
        elif shown := _shown(token)[:left]:
            left -= len(shown)
            shown = shown.rstrip() if left <= 0 else shown  # a mark closes on a non-space
            tick = token.markup if token.type == "code_inline" else ""
            out.append(f"{tick}{shown}{tick}" if tick else literal(shown))
    return "".join(out + closing[::-1])
