"""The slack-bolt `AsyncApp`, built from explicit values, and its listeners.

Every listener records the delivery *before* it acknowledges (a user's with the core, an
agent's on a desk with the desk inbox), so a crash after the ack loses nothing, then
acknowledges, and leaves the work to a background task (the dispatcher's, the desk's).
`process_before_response=True` makes Bolt wait for our listener instead of acknowledging
events first on its own.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import (
    ACTION_PREFIX,
    mentions_in,
    message_from_command,
    message_from_event,
    press_from_action,
    target_for,
)
from bot.adapters.slack.desk import SlackDesk
from bot.adapters.slack.desk_convert import DESK_PREFIX, channel_action, desk_message, desk_press
from bot.adapters.slack.dispatch import Delivery, Dispatcher
from bot.adapters.slack.edits import as_sent
from bot.adapters.slack.identity import Identity
from bot.adapters.slack.mention_records import noted
from bot.adapters.slack.press_records import recorded
from bot.adapters.slack.user_commands import SLASH_COMMAND

__all__ = ["COMMAND", "build_app"]

log = logging.getLogger(__name__)
COMMAND: Final = SLASH_COMMAND
# Bolt falls back to these when an argument is missing, and SLACK_CLIENT_ID with
# SLACK_CLIENT_SECRET silently switch it to the OAuth flow; our settings are the only source.
_BOLT_ENV: Final = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_VERIFICATION_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
)


@contextmanager
def _without_env(names: tuple[str, ...]) -> Iterator[None]:
    """Hide `names` from the environment while Bolt's constructor runs (synchronously)."""
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def build_app(
    dispatcher: Dispatcher,
    *,
    identity: Identity,
    signing_secret: str,
    desk: SlackDesk | None = None,
) -> AsyncApp:
    """The Bolt app: it knows the bot (and its token) from `identity`, and calls SLACK_API_URL
    (the base_url of its client); with `desk`, Claim presses and messages in its channels'
    threads go to the agents' desk."""
    ours = identity.client
    # No token: Bolt would warn that `authorize` makes it unused; each request's comes from it.
    client = AsyncWebClient(
        base_url=ours.base_url, timeout=ours.timeout, retry_handlers=ours.retry_handlers
    )
    with _without_env(_BOLT_ENV):
        app = AsyncApp(
            client=client,
            authorize=identity,
            signing_secret=signing_secret,
            process_before_response=True,
            logger=logging.getLogger("bot.adapters.slack.bolt"),
            name="helpdesk-bot",
        )
    listeners = _Listeners(dispatcher, desk)
    app.event("message")(listeners.on_event)
    app.event("app_mention")(listeners.on_event)
    app.event(re.compile(r".*"))(listeners.on_other)  # subscribed by mistake: ack, not 404
    app.action(re.compile(rf"^{re.escape(ACTION_PREFIX)}"))(listeners.on_action)
    app.action(re.compile(rf"^{re.escape(DESK_PREFIX)}"))(listeners.on_desk_action)
    app.command(COMMAND)(listeners.on_command)
    return app


class _Listeners:
    """Bolt passes listener arguments by name: `body`, `ack`, `context`."""

    def __init__(self, dispatcher: Dispatcher, desk: SlackDesk | None) -> None:
        self.dispatcher = dispatcher
        self.desk = desk

    async def on_event(
        self, body: dict[str, Any], ack: AsyncAck, context: AsyncBoltContext
    ) -> None:
        if not _for_us(context):
            log.info("Slack event for workspace %s, not the bot's: ignored", context.team_id)
            await ack()
            return
        if self.desk is not None and _in_desk(body, self.desk.desks):
            await self._on_desk_message(self.desk, body, ack, context)
            return
        message = message_from_event(body, bot_user_id=context.bot_user_id)
        mentions = mentions_in(body, bot_user_id=context.bot_user_id)
        message = None if message is None else noted(message, mentions)  # for a recovery
        delivery = None if message is None else await self.dispatcher.accept(message)
        await ack()
        if delivery is not None and message is not None:
            self.dispatcher.answer(message, target_for(message), delivery)

    async def on_other(self, ack: AsyncAck) -> None:
        await ack()

    async def on_action(self, body: dict[str, Any], ack: AsyncAck) -> None:
        press = press_from_action(body)
        press = None if press is None else recorded(press)  # its message, for recovery
        delivery = None if press is None else await self.dispatcher.accept(press.message)
        await ack()
        if press is not None and delivery is not None:
            self.dispatcher.answer_press(press, delivery)

    async def on_command(self, body: dict[str, Any], ack: AsyncAck) -> None:
        message = message_from_command(body)
        delivery = await self.dispatcher.accept(message) or Delivery.AGAIN
        await ack()
        response_url = body.get("response_url")
        self.dispatcher.answer(message, target_for(message, response_url=response_url), delivery)

    async def on_desk_action(
        self, body: dict[str, Any], ack: AsyncAck, context: AsyncBoltContext
    ) -> None:
        press, desk, fresh = desk_press(body), self.desk, False
        if press is not None and desk is not None:
            fresh = await desk.accept(press, body, bot_user_id=context.bot_user_id)
        await ack()
        if fresh and press is not None and desk is not None:
            desk.take(press)

    @staticmethod
    async def _on_desk_message(
        desk: SlackDesk, body: dict[str, Any], ack: AsyncAck, context: AsyncBoltContext
    ) -> None:
        work = desk_message(body, desks=desk.desks, bot_user_id=context.bot_user_id)
        fresh = work is not None and await desk.accept(work, body, bot_user_id=context.bot_user_id)
        await ack()
        if fresh and work is not None:
            desk.take(work)


def _for_us(context: AsyncBoltContext) -> bool:
    """Whether an event is for the workspace the bot's token serves, not another one's
    installation of the app (which shares the signing secret and the request URL). Bolt takes
    the event's workspace from the installation it is delivered to (`authorizations`), so a
    shared channel's other side still counts as ours."""
    bot = context.authorize_result
    return bot is None or not context.team_id or context.team_id == bot.team_id


def _in_desk(body: dict[str, Any], desks: frozenset[str]) -> bool:
    """An event in a thread of a desk channel, or a `!take` or `!tickets` there: those are
    the agents', never the dialog's (a mention there arrives twice, as `message` and
    `app_mention`)."""
    event = as_sent(body.get("event") or {}) or {}  # an agent's correction: its thread
    take = channel_action(str(event.get("text") or "")) is not None
    return str(event.get("channel") or "") in desks and (bool(event.get("thread_ts")) or take)
