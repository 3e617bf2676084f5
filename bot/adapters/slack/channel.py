"""The Slack channel: HTTP (Events API on our aiohttp server) or Socket Mode.

At the start the bot token is checked with auth.test (`identity.py`, once: Bolt is given
its answer), so a wrong SLACK_BOT_TOKEN stops the bot with the setting named instead of
failing at the first answer. HTTP mode mounts one route, POST /slack/events, for events,
interactivity and the slash command. Its signature is checked here first, so a forged
request is answered 401 before Bolt (which would log the body) sees it; Bolt checks it
again. The outbox sender always runs (the bot's replies are retried through it), and what a
crash left accepted but not answered is looked for at the start and every `recover_every`
after.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Final

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.bolt import build_app
from bot.adapters.slack.delivery import Sender, web_client
from bot.adapters.slack.dispatch import Dispatcher
from bot.adapters.slack.files import SlackFiles
from bot.adapters.slack.identity import Identity
from bot.adapters.slack.profiles import Profiles
from bot.adapters.slack.refusals import api_error
from bot.adapters.slack.setup import DeskSetup, desk_for, outbox_sender
from bot.errors import ConfigError
from bot.messages import Core
from bot.pacing import SLACK, Pace, Pacer

__all__ = ["EVENTS_PATH", "SlackChannel"]

EVENTS_PATH: Final = "/slack/events"
log = logging.getLogger(__name__)


class SlackChannel:
    """Serves Slack for the core: `mount` (HTTP mode) before the server starts, then `start`."""

    def __init__(
        self,
        core: Core,
        *,
        bot_token: str,
        api_url: str,
        error_text: str,
        apologies: Mapping[str, str] | None = None,
        signing_secret: str | None = None,
        app_token: str | None = None,
        recover_older_than: timedelta = timedelta(0),
        recover_every: timedelta = timedelta(minutes=1),
        desk: DeskSetup | None = None,
        pacer: Pace | None = None,
    ) -> None:
        """`error_text`: the apology when the user's language is not known (`apologies`: by
        language). `recover_older_than`: what the first look (at the start) takes; later
        looks, every `recover_every`, take what waited that long (an answer in flight takes
        seconds).
        `pacer`: the answers' and the outbox sender's (in process by default; shared by
        instances if given)."""
        if app_token is None and not signing_secret:
            raise ConfigError("Slack over HTTP (no SLACK_APP_TOKEN) needs SLACK_SIGNING_SECRET")
        client = web_client(bot_token, base_url=api_url)
        pacer = pacer or Pacer(SLACK)  # the answers at once and the outbox write in turn
        sender = Sender(client, pacer=pacer)
        self.files = SlackFiles(bot_token, api_url=api_url)  # Slack's FileSource
        self.outbox = outbox_sender(desk, bot_token, api_url, self.files, pacer)
        wake, profiles = self.outbox.wake, Profiles(client)  # users' and agents' alike
        self.dispatcher = Dispatcher(
            core,
            sender,
            outbox=self.outbox.outbox,
            error_text=error_text,
            apologies=apologies or {},
            on_turn=wake,
            profiles=profiles,
        )
        self.desk = desk_for(desk, sender, wake, profiles=profiles)
        self.identity = Identity(client)  # auth.test, once, at the start
        secret = signing_secret or ""
        self.app = build_app(
            self.dispatcher, identity=self.identity, signing_secret=secret, desk=self.desk
        )
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self._app_token = app_token
        self._socket: AsyncSocketModeHandler | None = None
        self._recover_older_than, self._recover_every = recover_older_than, recover_every
        self._delivering: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None

    @property
    def socket_mode(self) -> bool:
        return self._app_token is not None

    def mount(self, web_app: web.Application) -> None:
        """Add POST /slack/events to `web_app` (HTTP mode only; before it starts)."""
        if self._verifier is not None and not self.socket_mode:
            web_app.router.add_post(EVENTS_PATH, self._events)

    async def start(self) -> None:
        """Connect (Socket Mode; HTTP requests come to the route), answer what a crash left
        accepted but unanswered, and keep delivering the outbox and looking again."""
        await self.identity.check()
        if self._app_token is not None:
            self._socket = AsyncSocketModeHandler(self.app, app_token=self._app_token)
            await self._open_socket(self._socket)
            log.info("Slack connected over Socket Mode")
        await self.recover(older_than=self._recover_older_than)
        self._delivering = asyncio.create_task(self.outbox.run(), name="slack-outbox")
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="slack-recovery")

    async def recover(self, *, older_than: timedelta) -> int:
        """Answer the deliveries (and act on the agents' events) a crash left recorded but
        not done for `older_than`; how many were found."""
        found = await self.dispatcher.recover(older_than=older_than)
        if self.desk is not None:
            found += await self.desk.recover(older_than=older_than)
        if found:
            log.info("answering %d Slack deliveries left unhandled", found)
        return found

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._recover_every.total_seconds())
            try:
                await self.recover(older_than=self._recover_every)
            except Exception:
                log.exception("Slack: recovering unhandled deliveries failed")

    @staticmethod
    async def _open_socket(socket: AsyncSocketModeHandler) -> None:
        # The SDK retries a refused connection forever; ask for the address once ourselves
        # so that a wrong SLACK_APP_TOKEN stops the start with a clear error instead.
        try:
            socket.client.wss_uri = await socket.client.issue_new_wss_url()
        except SlackApiError as exc:
            error = api_error(exc)[1]
            raise ConfigError(f"SLACK_APP_TOKEN: Slack refused Socket Mode ({error})") from None
        # slack_bolt's Socket Mode methods carry no annotations.
        await socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        """Disconnect Socket Mode and finish the answers in flight."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        await self.join()
        if self._delivering is not None:
            self.outbox.stop()
            await self._delivering
            self._delivering = None

    async def join(self) -> None:
        """Wait until every answer and desk action in flight is done (tests, shutdown)."""
        await self.dispatcher.join()
        if self.desk is not None:
            await self.desk.join()

    async def _events(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not self._signed(body, request.headers):
            # Never log the body: it is whatever the sender chose to put there.
            log.warning("Slack request with a bad signature from %s", request.remote)
            return web.json_response({"error": "invalid request"}, status=401)
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    def _signed(self, body: bytes, headers: Mapping[str, str]) -> bool:
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if self._verifier is None or not timestamp.isdigit():
            return False  # the verifier reads it with int(): missing or garbled, it raises
        return self._verifier.is_valid(body, timestamp, signature)
