"""Short forms of users' text for cards, tickets and notices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from markdown_it.token import Token

from bot.markdown import literal, safe_markdown

__all__ = ["clip", "markdown_clip", "markdown_line", "one_line", "subject", "subject_markdown"]

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


class _Subjected(Protocol):
    """A ticket, or what is said of one (a desk's card, a withdrawal): it has a subject."""

    @property
    def subject(self) -> str: ...


def subject_markdown(ticket: _Subjected, *, untitled: str) -> str:
    """A ticket's subject for a phrase: Markdown that shows it as its user wrote it; for a
    ticket of none yet (a bare request for a person, nothing said since), `untitled`: "(no
    subject: asked for a person)" in the language of whoever reads it."""
    return literal(ticket.subject or untitled)


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


def markdown_clip(markdown: str, limit: int) -> str:
    """Markdown `markdown`, its lines kept, cut as `markdown_line` cuts one line: when it
    shows more than `limit` characters (line breaks aside), its start and "…". The blocks
    (paragraphs, lists, …) before the cut stay as written; the one it falls in is cut as a
    run of text with its line breaks (a code block: its lines, the block closed)."""
    text = markdown.strip()
    blocks = _blocks(text)
    if sum(shows for _, shows in blocks) <= limit:
        return text
    block, left = _cut_block(blocks, limit - 1)
    lines = text.split("\n")
    start, end = block.map or (0, len(lines))
    head = "\n".join(lines[:start])
    if block.type in ("fence", "code_block"):
        return f"{head}\n{_cut_code(block, left)}\n{_ELLIPSIS}".lstrip("\n")
    tokens = safe_markdown().parseInline("\n".join(lines[start:end]))[0].children or ()
    return f"{head}\n{_cut(tokens, left)}".strip() + _ELLIPSIS


def _blocks(text: str) -> list[tuple[Token, int]]:
    """The top-level blocks of Markdown `text` (each by its first token), with how many
    characters each shows."""
    blocks: list[tuple[Token, int]] = []
    for token in safe_markdown().parse(text):
        if token.level == 0 and token.nesting >= 0:
            blocks.append((token, 0))
        shows = [_shown(child) for child in token.children or ()]
        if token.type in ("fence", "code_block"):
            shows = token.content.split("\n")
        blocks[-1] = (blocks[-1][0], blocks[-1][1] + sum(map(len, shows)))
    return blocks


def _cut_block(blocks: Sequence[tuple[Token, int]], left: int) -> tuple[Token, int]:
    """The block that shows the `left`-th character, and how many of its own come before."""
    for block, shows in blocks:
        if shows > left:
            return block, left
        left -= shows
    return blocks[-1][0], blocks[-1][1]  # `left` is past the end: all of the last one


def _cut_code(block: Token, left: int) -> str:
    """A code block's first lines, `left` characters of them, as a closed fenced block."""
    kept: list[str] = []
    for line in block.content.split("\n"):
        if left <= 0:
            break
        kept.append(line[:left])
        left -= len(kept[-1])
    fence = block.markup or "```"
    return f"{fence}{block.info}\n" + "\n".join(kept).rstrip() + f"\n{fence}"


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
        elif token.type in ("softbreak", "hardbreak"):  # one shows as the other (breaks on)
            out.append("\n")
        elif shown := _shown(token)[:left]:
            left -= len(shown)
            shown = shown.rstrip() if left <= 0 else shown  # a mark closes on a non-space
            tick = token.markup if token.type == "code_inline" else ""
            out.append(f"{tick}{shown}{tick}" if tick else literal(shown))
    return "".join(out + closing[::-1])
