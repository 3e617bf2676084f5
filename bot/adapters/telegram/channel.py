"""The Telegram channel: python-telegram-bot's Application, fed by and feeding the core.

Every update the bot should read is recorded with `core.accept` before Telegram is told it
arrived (polling: inside `get_updates`, see `polling.py`; webhook: before the 200), then
queued to the Application, whose one handler serves a user's update (`users.py`: the turn's
durable replies, kept in the outbox with it, are sent at once; one that cannot go now is
retried by the outbox sender, `sender.py`, which also delivers everything else the core
queued).
Updates a crash left between the two are found with `core.pending` and handled again, every
`recover_every`. An agent's order in a desk group goes the same way through the desk inbox
instead (see `desk_records.py`). What the channel tells Telegram as it starts (the command
menu, the webhook or polling) is in `startup.py`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aiohttp import web
from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.adapters.telegram.agents import DeskGroups
from bot.adapters.telegram.convert import PLATFORM, BotIdentity, to_incoming
from bot.adapters.telegram.delivery import Outbox
from bot.adapters.telegram.desk_records import DeskRecords
from bot.adapters.telegram.files import TelegramFiles
from bot.adapters.telegram.ordering import PerChatProcessor
from bot.adapters.telegram.pacing import RetryPolicy
from bot.adapters.telegram.polling import RecordingBot
from bot.adapters.telegram.sender import OutboxSender
from bot.adapters.telegram.settings import HideToken, TelegramConfig
from bot.adapters.telegram.startup import connect, register_commands
from bot.adapters.telegram.users import UserChats
from bot.adapters.telegram.webhook import webhook_handler
from bot.errors import ConfigError, DeliveryError
from bot.files import FileSource, FileSources
from bot.handoff.desk_port import DeskPort
from bot.handoff.inbox import DeskInbox
from bot.handoff.outbox import DbOutbox
from bot.handoff.outbox_port import Outbox as CoreOutbox
from bot.messages import Core
from bot.pacing import Pace

__all__ = ["TelegramChannel"]

log = logging.getLogger(__name__)


class TelegramChannel:
    """One bot token served by polling or by a webhook on our own aiohttp server."""

    def __init__(
        self,
        core: Core,
        config: TelegramConfig,
        *,
        pacer: Pace | None = None,
        policy: RetryPolicy | None = None,
        desk: DeskPort | None = None,
        outbox: CoreOutbox | None = None,
        inbox: DeskInbox | None = None,
        files: FileSource | None = None,
    ) -> None:
        """With `desk` (and `inbox`): desk groups (see `agents.py`); `outbox` is the core's
        (the database's by default), `files` fetches what other platforms' users and agents
        sent (Telegram's own by default)."""
        self.core, self.config = core, config
        self.bot = RecordingBot(
            config.token,
            base_url=config.base_url,
            base_file_url=config.file_url,
            request=HTTPXRequest(connection_pool_size=32),
            get_updates_request=HTTPXRequest(),
            recorder=self._record,
        )
        builder = Application.builder().bot(self.bot).concurrent_updates(PerChatProcessor())
        self.application = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self.outbox = Outbox(self.bot, core, pacer=pacer, policy=policy)
        # Telegram's FileSource; a 429 there puts the delivery off rather than waiting
        self.files = TelegramFiles(self.bot, policy=self.outbox.policy.impatient())
        files = files or FileSources({PLATFORM: self.files})
        every = config.outbox_every
        self.sender = OutboxSender(
            outbox or DbOutbox(), self.outbox, files, every=every, desks=config.desk_chats
        )
        self.desks = None if desk is None else DeskGroups(self, desk, wake=self.sender.wake)
        self.users = UserChats(self)
        self._delivering: asyncio.Task[None] | None = None
        # With `inbox`, agents' orders are recorded before Telegram is told they arrived.
        self.desk_records = (
            None if self.desks is None or inbox is None else DeskRecords(inbox, self.bot)
        )
        self.me: BotIdentity | None = None
        self._seen_before: set[int] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._hide_token = HideToken(config.token)

    def mount(self, web_app: web.Application) -> None:
        """Add the webhook route (the path of TELEGRAM_WEBHOOK_URL) to our web server."""
        web_app.router.add_post(self.config.webhook_path, webhook_handler(self))

    async def start(self) -> None:
        """Ask who we are, register the commands, and start taking updates."""
        logging.getLogger("httpx").addFilter(self._hide_token)  # it logs URLs with the token
        try:
            await self.application.initialize()
        except InvalidToken:
            await self.bot.shutdown()  # the Application shuts down only what it initialized
            # PTB's message quotes the token: not chained, so no traceback can show it.
            raise ConfigError("TELEGRAM_BOT_TOKEN: the Bot API refused the token") from None
        except TelegramError as exc:
            await self.bot.shutdown()
            raise DeliveryError(f"telegram: cannot reach the Bot API: {exc.message}") from exc
        self.me = BotIdentity(self.bot.id, self.bot.username)
        await register_commands(self.bot, self.config, policy=self.outbox.policy)
        await self.application.start()
        await connect(self.application.updater, self.bot, self.config, policy=self.outbox.policy)
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="telegram-recovery")
        self._delivering = asyncio.create_task(self.sender.run(), name="telegram-outbox")
        log.info("telegram: @%s started (%s)", self.me.username, self.config.mode)

    async def stop(self) -> None:
        """Stop polling and the recovery sweep, finish the updates in flight."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        self.sender.stop()
        await asyncio.gather(
            *filter(None, (self._sweeper, self._delivering)), return_exceptions=True
        )
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        logging.getLogger("httpx").removeFilter(self._hide_token)

    async def accept(self, update: Update) -> bool:
        """Record `update` if the bot should read it; False for a redelivery."""
        if self.me is None:
            raise RuntimeError("the Telegram channel is not started")
        if self.desks is not None and self.desks.owns(update):
            records = self.desk_records
            fresh = records is None or await records.accept(update, self.me)
        else:
            message = to_incoming(update, self.me)
            fresh = message is None or await self.core.accept(message)
        if not fresh:
            self._seen_before.add(update.update_id)
        return fresh

    async def recover(self) -> None:
        """Handle the updates a crash left recorded but unhandled."""
        workspace = str(self.me.id if self.me else "")
        found = await self.core.pending(PLATFORM, older_than=self.config.recover_after)
        for message in found:
            desk = self.desks is not None and message.chat_id in self.desks.chats
            if message.user.workspace == workspace and not desk:
                await self.users.recovered(message)
        if self.desks is not None and self.desk_records is not None and self.me is not None:
            desks, me = self.desks, self.me
            await self.desk_records.replay(
                me, lambda update: desks.on_update(update, me), older_than=self.config.recover_after
            )

    async def _record(self, updates: Sequence[Update]) -> None:
        for update in updates:
            await self.accept(update)

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.update_id in self._seen_before:
            self._seen_before.discard(update.update_id)
            return
        assert self.me is not None  # noqa: S101 - updates arrive only after start()
        if self.desks is not None and self.desks.owns(update):
            await self.desks.on_update(update, self.me)
        else:
            await self.users.on_update(update, self.me)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("telegram: update %s failed", update_id, exc_info=context.error)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.recover()
            except Exception:
                log.exception("telegram: recovering unhandled updates failed")
            await asyncio.sleep(self.config.recover_every.total_seconds())
