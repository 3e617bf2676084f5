"""How a pressed button stands in the transcript: its label in brackets ("[Didn't help]"),
which tells an agent reading it that it was pressed rather than typed; the user's own page
shows it as the button said it. Written here once for both sides (`intake.said`, which keeps
it, and `storage.history`, which shows a chat to its user again)."""

from __future__ import annotations

__all__ = ["as_pressed", "as_seen"]


def as_pressed(label: str) -> str:
    """A button's `label` as the transcript keeps its press."""
    return f"[{label}]"


def as_seen(text: str, *, pressed: bool) -> str:
    """A transcript line as its user saw it: a press as its bare label, anything else as
    kept (a typed "[x]" is the user's own)."""
    bracketed = pressed and text.startswith("[") and text.endswith("]")
    return text[1:-1] if bracketed else text
