"""The in-memory adapter: a chat a test (or a script) drives by pushing text and buttons.

chat = MemoryChat(engine.handle)
replies = await chat.say("впн не работает")
replies = await chat.press("Helped")
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable

from bot.messages import IncomingMessage, Reply, UserRef

__all__ = ["Handler", "MemoryChat"]

Handler = Callable[[IncomingMessage], Awaitable[list[Reply]]]
_event_ids = itertools.count(1)


class MemoryChat:
    """One user's chat with the bot; `replies` holds everything the bot said, in order."""

    def __init__(
        self,
        handler: Handler,
        *,
        user_id: str = "u1",
        platform: str = "memory",
        workspace: str = "test",
        chat_id: str | None = None,
        name: str = "Test User",
        locale: str | None = None,
        timezone: str | None = None,
        events: str | None = None,
    ) -> None:
        self.handler = handler
        self.events = events or platform  # the prefix of its messages' event ids
        self.user = UserRef(platform, workspace, user_id)
        self.chat_id = chat_id or user_id
        self.name = name
        self.locale = locale
        self.timezone = timezone  # what the platform would say the user's zone is
        self.replies: list[Reply] = []
        self.last: list[Reply] = []

    async def send(self, message: IncomingMessage) -> list[Reply]:
        """Deliver a prepared message (for redelivery tests) and keep the replies."""
        self.last = await self.handler(message)
        self.replies.extend(self.last)
        return self.last

    def message(self, text: str = "", *, button: str | None = None) -> IncomingMessage:
        """The message this chat would send next."""
        return IncomingMessage(
            user=self.user,
            chat_id=self.chat_id,
            text=text,
            button=button,
            user_name=self.name,
            event_id=f"{self.events}-{next(_event_ids)}",
            locale=self.locale,
            timezone=self.timezone,
        )

    async def say(self, text: str) -> list[Reply]:
        """The user writes `text`."""
        return await self.send(self.message(text))

    async def press(self, label: str | int, *, among: list[Reply] | None = None) -> list[Reply]:
        """The user presses a button of the last replies, by label (or prefix) or index."""
        buttons = [b for reply in (among or self.last) for b in reply.buttons]
        if isinstance(label, int):
            button = buttons[label]
        else:
            found = [b for b in buttons if b.label == label or b.label.startswith(label)]
            if not found:
                labels = [b.label for b in buttons]
                raise LookupError(f"no button {label!r} among {labels}")
            button = found[0]
        return await self.send(self.message(button.label, button=button.key))
