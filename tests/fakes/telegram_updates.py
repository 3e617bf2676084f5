"""Builders for Bot API updates, shaped as Telegram sends them (dates in seconds, `is_bot`,
entities with UTF-16 offsets, `chat_instance` on callback queries)."""

from __future__ import annotations

import re
import time
from itertools import count
from typing import Any

from tests.fakes.telegram_api import FakeBotAPI

__all__ = ["Updates"]

_ENTITY = re.compile(r"(?P<command>^/\w+(?:@\w+)?)|(?P<mention>@\w{5,32})")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """The bot_command and mention entities Telegram would attach to `text`."""
    found = []
    for match in _ENTITY.finditer(text):
        kind = "bot_command" if match.group("command") else "mention"
        offset = _utf16(text[: match.start()])
        found.append({"type": kind, "offset": offset, "length": _utf16(match.group())})
    return found


class Updates:
    """Makes updates for one fake server; `api.push(update)` or post them to a webhook."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self._ids = count(1)

    def user(self, user_id: int, name: str = "Anna", language: str = "ru") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": language}

    def private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        self.api.chats[user["id"]] = chat
        return chat

    def group(self, chat_id: int, title: str = "Branch 12", kind: str = "group") -> dict[str, Any]:
        chat = {"id": chat_id, "type": kind, "title": title}
        self.api.chats[chat_id] = chat
        return chat

    def message(
        self,
        user: dict[str, Any],
        text: str | None = None,
        *,
        chat: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A `message` update; `extra` adds fields (photo, caption, reply_to_message...)."""
        body: dict[str, Any] = {"message_id": next(self._ids), "from": user}
        body |= {"chat": chat or self.private_chat(user), "date": int(time.time())}
        if text is not None:
            body |= {"text": text, "entities": entities(text)} if entities(text) else {"text": text}
        return {"update_id": self.api.next_update_id(), "message": body | extra}

    def photo(self, user: dict[str, Any], caption: str | None = None) -> dict[str, Any]:
        sizes = [{"file_id": "AgAD1", "file_unique_id": "u1", "width": 90, "height": 90}]
        extra: dict[str, Any] = {"photo": sizes} | ({"caption": caption} if caption else {})
        return self.message(user, None, **extra)

    def edited(self, update: dict[str, Any], text: str, *, after: int = 30) -> dict[str, Any]:
        """The `edited_message` update of an earlier message, `after` seconds later."""
        message = update["message"] | {"text": text, "edit_date": update["message"]["date"] + after}
        return {"update_id": self.api.next_update_id(), "edited_message": message}

    def blocked(self, user: dict[str, Any]) -> dict[str, Any]:
        """The my_chat_member update Telegram sends when `user` blocks the bot."""
        return self._membership(user, {"status": "member"}, {"status": "kicked", "until_date": 0})

    def unblocked(self, user: dict[str, Any]) -> dict[str, Any]:
        """The my_chat_member update Telegram sends when `user` unblocks (restarts) the bot."""
        return self._membership(user, {"status": "kicked", "until_date": 0}, {"status": "member"})

    def _membership(
        self, user: dict[str, Any], old: dict[str, Any], new: dict[str, Any]
    ) -> dict[str, Any]:
        member = {"user": self.api.me}
        change = {
            "chat": self.private_chat(user),
            "from": user,
            "date": 1,
            "old_chat_member": member | old,
            "new_chat_member": member | new,
        }
        return {"update_id": self.api.next_update_id(), "my_chat_member": change}

    def press(self, user: dict[str, Any], message: dict[str, Any], label: str) -> dict[str, Any]:
        """A callback_query for the button labelled `label` under a message the bot sent."""
        rows = message["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in rows for b in row if b["text"] == label)
        query = {"id": f"cq{next(self._ids)}", "from": user, "message": message, "data": data}
        query["chat_instance"] = f"ci{message['chat']['id']}"
        return {"update_id": self.api.next_update_id(), "callback_query": query}
