"""Short forms of users' text for cards, tickets and notices."""

from __future__ import annotations

__all__ = ["clip", "one_line", "subject"]

_SUBJECT_CHARS = 120


def clip(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with "…" when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int) -> str:
    """`text` with its whitespace (newlines too) made single spaces, clipped to `limit`."""
    return clip(" ".join(text.split()), limit)


def subject(question: str) -> str:
    """A ticket's subject: the question on one line, shortened; "-" for an empty one."""
    return one_line(question, _SUBJECT_CHARS) or "-"
