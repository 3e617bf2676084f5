"""How the channel introduces itself to Telegram when it starts: the command menu in each
language, then the webhook (registered with its secret) or long polling."""

from __future__ import annotations

import logging
from functools import partial

from telegram import Bot
from telegram.ext import Updater

from bot.adapters.telegram.pacing import RetryPolicy, call_with_retry
from bot.adapters.telegram.polling import polling_failed
from bot.adapters.telegram.settings import ALLOWED_UPDATES, TelegramConfig
from bot.errors import DeliveryError

__all__ = ["connect", "register_commands"]

log = logging.getLogger(__name__)


async def register_commands(bot: Bot, config: TelegramConfig, *, policy: RetryPolicy) -> None:
    """The command menu (setMyCommands) per language; a refusal is logged, not fatal."""
    for language, commands in config.commands.items():
        try:
            await call_with_retry(
                partial(bot.set_my_commands, commands, language_code=language or None),
                policy=policy,
                what="setMyCommands",
            )
        except DeliveryError as exc:  # a self-hosted Bot API may not have it
            log.warning("telegram: commands not registered (%r): %s", language, exc)


async def connect(
    updater: Updater | None, bot: Bot, config: TelegramConfig, *, policy: RetryPolicy
) -> None:
    """Register the webhook, or start long polling."""
    if config.mode == "webhook":
        await call_with_retry(
            lambda: bot.set_webhook(
                config.webhook_url or "",
                secret_token=config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            ),
            policy=policy,
            what="setWebhook",
        )
    elif updater is not None:
        await updater.start_polling(
            timeout=config.poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=polling_failed,
        )
