"""Inline keyboards out, button presses in: the pure part of Telegram's buttons.

A keyboard sent to a user's chat names its owner in every button's callback_data
("<key>@<user id>"), because in a group everyone sees it: a press by anyone else is not
read (`pressed_by_other`), and the buttons stay for their owner. The core still checks the
key against the presser's own conversations; the owner only says who the buttons are for.
A keyboard without owners (a desk card's Claim, or one sent by an older version) is
anyone's to press.
"""

from __future__ import annotations

import re
from itertools import takewhile
from typing import Final

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.adapters.telegram.markdown import utf16_len
from bot.messages import Button

__all__ = ["MAX_ROW_LABEL", "keyboard", "pressed", "pressed_by_other"]

MAX_ROW_LABEL: Final = 16
# Up to this many one- or two-character labels (a 1-5 rating) fit one row of a phone screen.
_TINY_ROW: Final = 8
_OWNED: Final = re.compile(r"(.+)@(\d{1,20})")  # callback_data "<key>@<owner's user id>"


def keyboard(
    buttons: tuple[Button, ...], *, owner: str | None = None
) -> InlineKeyboardMarkup | None:
    """Short labels side by side (Helped | Didn't help; a rating's 1 2 3 4 5), longer ones
    one per row (after a row of tiny ones: a resolved ticket's 1-5, then "Still not
    solved"); with the `owner`'s user id in each callback_data when given."""
    if not buttons:
        return None
    data = [f"{b.key}@{owner}" if owner else b.key for b in buttons]
    if not all(1 <= len(d.encode()) <= 64 for d in data):
        raise ValueError("a button key must be 1-64 bytes (Telegram's callback_data)")
    keys = [
        InlineKeyboardButton(b.label, callback_data=d) for b, d in zip(buttons, data, strict=True)
    ]
    widths = [utf16_len(b.label) for b in buttons]
    side_by_side = (len(keys) <= 3 and max(widths) <= MAX_ROW_LABEL) or (
        len(keys) <= _TINY_ROW and max(widths) <= 2
    )
    if side_by_side:
        return InlineKeyboardMarkup([keys])
    tiny = len(list(takewhile(lambda width: width <= 2, widths[:_TINY_ROW])))
    tiny = tiny if tiny > 1 else 0  # one tiny label alone makes no row of them
    rows = [keys[:tiny]] if tiny else []
    return InlineKeyboardMarkup(rows + [[k] for k in keys[tiny:]])


def pressed_by_other(query: CallbackQuery) -> bool:
    """Whether `query` presses buttons another user owns (in a group)."""
    owned = _OWNED.fullmatch(query.data or "")
    return owned is not None and owned[2] != str(query.from_user.id)


def pressed(query: CallbackQuery) -> tuple[str, str]:
    """The core's key of the pressed button, and its label (for the transcript)."""
    data = query.data or ""
    owned = _OWNED.fullmatch(data)
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    rows = markup.inline_keyboard if markup is not None else ()
    label = next((b.text for row in rows for b in row if b.callback_data == data), "")
    return (owned[1] if owned else data), label
