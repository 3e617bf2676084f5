"""Pure conversions for the terminal chat: a typed line in, replies out as text."""

from __future__ import annotations

from collections.abc import Sequence

from bot.markdown_blocks import plain
from bot.messages import Button, Reply

__all__ = ["parse_line", "render"]


def parse_line(line: str, buttons: Sequence[Button]) -> tuple[str, str | None]:
    """(text, button key): a line that is the number of an offered button presses it."""
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        button = buttons[int(stripped) - 1]
        return button.label, button.key
    return line, None


def render(replies: Sequence[Reply]) -> str:
    """The replies as plain text (their Markdown as a reader sees it rendered: a path's "\\"
    once, a link's address after its label), buttons numbered from 1 across all of them."""
    lines: list[str] = []
    number = 0
    for reply in replies:
        lines.append(plain(reply.text))
        for button in reply.buttons:
            number += 1
            lines.append(f"  [{number}] {button.label}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
