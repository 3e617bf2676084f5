"""Cutting mrkdwn into pieces Slack takes (a section's text is at most 3000 characters).

Pieces end at line breaks where possible, then at spaces; never inside an entity (`&amp;`)
or a link (`<url|label>`), and a code block cut in two is closed and reopened.
"""

from __future__ import annotations

from typing import Final

__all__ = ["split_text"]

_FENCE: Final = "```"


def split_text(text: str, limit: int = 3000) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks, then spaces, never inside an
    entity or a link; a code block cut in two is closed and reopened."""
    pieces: list[str] = []
    current = ""
    room = limit - (len(_FENCE) + 1) * 2  # a piece inside a code block gets one at each end
    for line in text.split("\n"):
        while len(line) > room:
            if current:
                pieces.append(current)
                current = ""
            head, line = _cut(line, room)
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > room:
            pieces.append(current)
            candidate = line
        current = candidate
    if current.strip():
        pieces.append(current)
    return _balance_fences([p for p in pieces if p.strip()])


def _cut(line: str, limit: int) -> tuple[str, str]:
    """Cut a too long line at a space before `limit`, outside `<…>` and `&…;`."""
    end = limit
    space = line.rfind(" ", 0, limit)
    if space > limit // 2:
        end = space
    opened, entity = line.rfind("<", 0, end), line.rfind("&", 0, end)
    if opened > line.rfind(">", 0, end):
        end = opened or end
    if entity > line.rfind(";", 0, end) and end - entity < 8:
        end = entity or end
    return line[:end], line[end:].lstrip(" ")


def _balance_fences(pieces: list[str]) -> list[str]:
    balanced: list[str] = []
    inside = False
    for piece in pieces:
        text = f"{_FENCE}\n{piece}" if inside else piece
        if piece.count(_FENCE) % 2:
            inside = not inside
        balanced.append(f"{text}\n{_FENCE}" if inside else text)
    return balanced
