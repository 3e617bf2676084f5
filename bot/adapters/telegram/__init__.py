"""The Telegram channel on python-telegram-bot: private chats, groups, inline keyboards.

`TelegramChannel(core, TelegramConfig(token=..., ...))` is built by the composition root;
`mount(web_app)` adds the webhook route before the web server starts, `start()` / `stop()`
run it. Conversion lives in `convert.py` and `markdown.py` (pure functions).
"""

from __future__ import annotations

from bot.adapters.telegram.channel import TelegramChannel
from bot.adapters.telegram.settings import TelegramConfig

__all__ = ["TelegramChannel", "TelegramConfig"]
