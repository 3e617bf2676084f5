"""Who first wrote a message a Telegram user forwarded, as the desk names them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import (
    Chat,
    Message,
    MessageOrigin,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    User,
)

from bot.adapters.telegram.forwards import forwarded_from

AT = datetime(2026, 11, 27, tzinfo=UTC)
GROUP = Chat(-5, Chat.GROUP, title="Branch 12")


@pytest.mark.parametrize(
    ("origin", "name"),
    [
        (None, ""),
        (MessageOriginUser(AT, User(7, "Carol", False, last_name="Jones")), "Carol Jones"),
        (MessageOriginHiddenUser(AT, "Dan K."), "Dan K."),
        (MessageOriginChat(AT, GROUP), "Branch 12"),
        (MessageOriginChannel(AT, Chat(-100, Chat.CHANNEL, title="IT news"), 3), "IT news"),
        (MessageOriginChannel(AT, Chat(-100, Chat.CHANNEL, title="IT"), 3, "Eve"), "IT (Eve)"),
    ],
)
def test_the_origin_of_a_forward_is_named(origin: MessageOrigin | None, name: str) -> None:
    message = Message(1, AT, Chat(1, Chat.PRIVATE), text="error 809", forward_origin=origin)
    assert forwarded_from(message) == name
