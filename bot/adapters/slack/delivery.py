"""Sending to Slack: the Web API client and response_url, with slack_sdk's retry handlers.

A 429 waits for `Retry-After` and is sent again (once); a dropped connection is retried
once. What still fails raises `TryLater` when the same message may go later (a 429, a 5xx,
no connection: the caller's outbox retries it). Refusals (`channel_not_found`,
`not_in_channel`, `is_archived`, …) are not retried: they are logged with the channel id and
raised as `DeliveryError` (`Unreachable` when the user's own DM is gone; see `refusals.py`),
the SDK's errors never leave this module.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.convert import ButtonPress, SlackMessage, Target
from bot.adapters.slack.refusals import TryLater, refusal
from bot.errors import DeliveryError
from bot.handoff.outbox_port import Parts
from bot.pacing import SLACK, Pace, Pacer

__all__ = ["Sender", "post_message", "retry_handlers", "web_client"]

log = logging.getLogger(__name__)


def retry_handlers() -> list[AsyncRetryHandler]:
    """One more attempt after a 429 (after Retry-After) or a dropped connection."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
    ]


def web_client(token: str, *, base_url: str, timeout: int = 30) -> AsyncWebClient:
    """The Web API client: every call goes to `base_url` (SLACK_API_URL)."""
    return AsyncWebClient(
        token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers()
    )


def post_message(
    client: AsyncWebClient, target: Target, text: str, blocks: list[dict[str, Any]]
) -> Awaitable[AsyncSlackResponse]:
    """chat.postMessage to the target's channel (in its thread); links never unfurl."""
    return client.chat_postMessage(
        channel=target.channel,
        thread_ts=target.thread_ts,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
    )


class Sender:
    """Sends Block Kit messages to a `Target`, each paced with the outbox's (`relay.py`), and
    updates pressed messages."""

    def __init__(self, client: AsyncWebClient, *, pacer: Pace | None = None) -> None:
        self.client = client
        self.pacer = pacer or Pacer(SLACK)

    async def send(
        self, target: Target, messages: Sequence[SlackMessage], parts: Parts | None = None
    ) -> None:
        """Send the `messages` not taken yet, in order; stops at the first refusal
        (`DeliveryError`). With `parts`, each message Slack takes is counted (and recorded)."""
        parts = Parts() if parts is None else parts
        await parts.send(messages, lambda message: self._send_one(target, message))

    async def update(self, press: ButtonPress, blocks: Sequence[dict[str, Any]]) -> None:
        """Replace the pressed message's blocks (so its buttons cannot be pressed again)."""
        if press.ephemeral and press.response_url:
            await self._respond(press.response_url, press.channel, blocks, replace=True)
        elif press.message_ts and not press.ephemeral:
            call = self.client.chat_update(
                channel=press.channel, ts=press.message_ts, blocks=list(blocks), text=press.text
            )
            await self._api(call, press.channel)

    async def _send_one(self, target: Target, message: SlackMessage) -> None:
        blocks, text = list(message.blocks), message.text
        await self.pacer.wait(target.channel, group=False)
        if target.response_url:
            await self._respond(target.response_url, target.channel, blocks, text=text)
        elif target.ephemeral_user:
            call = self.client.chat_postEphemeral(
                channel=target.channel,
                user=target.ephemeral_user,
                thread_ts=target.thread_ts,
                text=text,
                blocks=blocks,
            )
            await self._api(call, target.channel)
        else:
            await self._api(post_message(self.client, target, text, blocks), target.channel)

    async def _api(self, call: Awaitable[Any], channel: str) -> None:
        try:
            await call
        except SlackApiError as exc:
            raise refusal(exc, channel) from None
        except (SlackClientError, ClientError, TimeoutError) as exc:
            log.warning("Slack unreachable for channel %s: %s", channel, type(exc).__name__)
            raise TryLater(f"Slack channel {channel}: {type(exc).__name__}") from None

    async def _respond(
        self, url: str, channel: str, blocks: Sequence[dict[str, Any]], **options: Any
    ) -> None:
        """Answer through a response_url (visible to the user who acted); never logs the url."""
        webhook = AsyncWebhookClient(
            url, timeout=self.client.timeout, retry_handlers=retry_handlers()
        )
        status: int | str
        try:
            response = await webhook.send(
                text=options.get("text", "…"),
                blocks=list(blocks),
                response_type="ephemeral",
                replace_original=options.get("replace", False),
            )
            status = response.status_code
        except (SlackClientError, ClientError, TimeoutError) as exc:
            status = type(exc).__name__
        if status != 200:
            log.warning("Slack response_url in channel %s failed: %s", channel, status)
            message = f"Slack response_url in {channel}: {status}"
            if isinstance(status, str) or status == 429 or status >= 500:
                raise TryLater(message)
            raise DeliveryError(message)
