"""The webhook route on our own aiohttp server: checked, recorded, acknowledged, queued.

Telegram sends the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; a request
without it, or with another one, is refused with 403 before its body is read. An update is
recorded before the 200 goes back, so Telegram redelivers whatever we failed to record.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Final

from aiohttp import web
from telegram import Update

if TYPE_CHECKING:
    from bot.adapters.telegram.channel import TelegramChannel

__all__ = ["SECRET_HEADER", "secret_matches", "webhook_handler"]

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
log = logging.getLogger(__name__)


def secret_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; a missing secret on either side never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def webhook_handler(
    channel: TelegramChannel,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The aiohttp handler for Telegram's POSTs to TELEGRAM_WEBHOOK_URL."""

    async def handle(request: web.Request) -> web.Response:
        if not secret_matches(request.headers.get(SECRET_HEADER), channel.config.webhook_secret):
            log.warning(
                "telegram webhook: request without the right secret from %s", request.remote
            )
            return web.Response(status=403, text="forbidden")
        if channel.me is None or not channel.application.running:
            return web.Response(status=503, text="not started")
        try:
            update = Update.de_json(json.loads(await request.read()), channel.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return web.Response(status=400, text="not a Telegram update")
        if await channel.accept(update):
            await channel.application.update_queue.put(update)
        return web.Response(text="ok")

    return handle
