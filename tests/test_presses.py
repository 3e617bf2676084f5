"""A pressed button's transcript line: its label in brackets for the desk, bare for its user."""

from __future__ import annotations

from bot.intake import said
from bot.messages import IncomingMessage, UserRef
from bot.presses import as_pressed, as_seen


def _message(text: str, *, button: str | None = None) -> IncomingMessage:
    return IncomingMessage(UserRef("web", "", "u1"), "u1", text, button=button)


def test_a_press_is_kept_bracketed_and_shown_as_its_label() -> None:
    kept = said(_message("Didn't help", button="b1"))
    assert kept == as_pressed("Didn't help") == "[Didn't help]"
    assert as_seen(kept, pressed=True) == "Didn't help"


def test_typed_brackets_are_shown_as_typed() -> None:
    kept = said(_message("[Didn't help]"))
    assert kept == "[Didn't help]" and as_seen(kept, pressed=False) == "[Didn't help]"
